#!/bin/bash
# Hermetic Open vSwitch (+ optional OVN NB) for tests, after /work/shared/reference/ovs-testenv.sh.
# Everything lives in $T (state, sockets, logs, pids) and in network namespaces named ${P}*,
# so several instances can run side by side. ovs-vswitchd runs INSIDE its own netns ${P}ovs:
# its tap/veth devices and routes never touch the root namespace.
# Usage: source hack/lib/ovs-testenv.sh; T=$(mktemp -d /tmp/oms.XXXXXX) P=t1- ovs_up; ...; ovs_down
# Unix socket paths must stay < 108 bytes: keep $T short.
# Differences from the reference: ovs_tools_missing/ovs_require_tools, a marker file, ovs_down
# only signals PIDs whose command line names $T, and `ip link add name N` (a bare "h" means "help").

OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
OVN_NB_SCHEMA=${OVN_NB_SCHEMA:-/usr/share/ovn/ovn-nb.ovsschema}
OVS_SANDBOX_MARKER=.ovs-mirror-sandbox   # a dir holding this file may be removed by ovs_down

case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac

ovs_tools_missing() {  # ovs_tools_missing [nb] : prints what is missing, one per line
  local c
  for c in ovsdb-server ovsdb-tool ovs-vsctl ovs-vswitchd ovs-appctl ip ethtool; do
    command -v "$c" >/dev/null 2>&1 || echo "$c"
  done
  [ -r "$OVS_SCHEMA" ] || echo "$OVS_SCHEMA"
  if [ "${1:-}" = nb ]; then
    command -v ovn-nbctl >/dev/null 2>&1 || echo "ovn-nbctl"
    [ -r "$OVN_NB_SCHEMA" ] || echo "$OVN_NB_SCHEMA"
  fi
}
ovs_require_tools() {  # ovs_require_tools [nb] : fail loudly if anything is missing
  local missing
  missing=$(ovs_tools_missing "${1:-}" | paste -sd' ' -)
  if [ -n "$missing" ]; then
    echo "ERROR: OVS not installed: missing $missing" >&2
    echo "       install: apt-get install -y --no-install-recommends openvswitch-switch ovn-central ethtool" >&2
    echo "       (hack/test.sh installs them)" >&2
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "ERROR: the OVS sandbox needs root (ip netns, veth)" >&2
    return 1
  fi
}

ovs_up() {            # needs T, P
  : "${T:?}" "${P:?}"
  mkdir -p "$T"; : > "$T/$OVS_SANDBOX_MARKER"
  _netns_add "${P}ovs"; ip -n "${P}ovs" link set lo up
  ovsdb-tool create "$T/conf.db" "$OVS_SCHEMA"
  ovsdb-server "$T/conf.db" --remote=punix:"$T/db.sock" \
    --pidfile="$T/ovsdb-server.pid" --unixctl="$T/ovsdb-server.ctl" \
    -vconsole:off --log-file="$T/ovsdb-server.log" --detach --no-chdir
  ovs-vsctl --db=unix:"$T/db.sock" --timeout=10 --no-wait init
  ip netns exec "${P}ovs" env OVS_RUNDIR="$T" OVS_DBDIR="$T" OVS_LOGDIR="$T" OVS_SYSCONFDIR="$T" \
    ovs-vswitchd unix:"$T/db.sock" --pidfile="$T/ovs-vswitchd.pid" \
    --unixctl="$T/ovs-vswitchd.ctl" -vconsole:off --log-file="$T/ovs-vswitchd.log" --detach --no-chdir
  # returns only when ovs-vswitchd has applied the change (i.e. it is up)
  ovs-vsctl --db=unix:"$T/db.sock" --timeout=10 set Open_vSwitch . external_ids:testenv=1
}
# detached daemons are re-parented to PID 1; a dead one stays a zombie until PID 1 reaps it
# (1.5-2 s in a container), so "alive" means: exists and is not in state Z
_alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
_netns_add() { ip netns add "$1" && echo "$1" >> "$T/netns.list"; }
vsctl()  { ovs-vsctl --db=unix:"$T/db.sock" --timeout=10 "$@"; }
appctl() { ovs-appctl -t "$T/ovs-vswitchd.ctl" "$@"; }   # -t must be the absolute .ctl path

add_bridge() {        # add_bridge BR : userspace (netdev) datapath, no kernel module needed
  vsctl --may-exist add-br "$1" -- set bridge "$1" datapath_type=netdev
  ip -n "${P}ovs" link set dev "$1" up
}
add_host() {          # add_host NAME BR CIDR [vsctl-args...] : netns ${P}NAME, eth0=CIDR, port NAME on BR
  local n=$1 br=$2 cidr=$3; shift 3
  _netns_add "${P}$n"
  # "name"/"dev" keywords: a bare short name such as "h" is read by ip(8) as "help"
  ip link add name "$n" netns "${P}ovs" type veth peer name eth0 netns "${P}$n"
  ip -n "${P}ovs" link set dev "$n" up
  ip -n "${P}$n" addr add "$cidr" dev eth0
  ip -n "${P}$n" link set eth0 up; ip -n "${P}$n" link set lo up
  # userspace datapath reads veths with AF_PACKET: TX checksum offload would leave TCP/UDP
  # checksums unfilled -> receiver drops them. ICMP works either way.
  ip netns exec "${P}$n" ethtool -K eth0 tx off >/dev/null
  vsctl add-port "$br" "$n" "$@"
}
add_underlay() {      # add_underlay BR LOCAL_CIDR NAME REMOTE_CIDR : tunnel underlay for GRE/ERSPAN
  local br=$1 lcidr=$2 n=$3 rcidr=$4
  add_bridge "$br"
  ip -n "${P}ovs" addr add "$lcidr" dev "$br"      # OVS imports this route -> ovs/route/show
  add_host "$n" "$br" "$rcidr"
  vsctl set interface "$n" mtu_request=9000      # room for the encapsulation overhead
  ip -n "${P}$n" link set eth0 mtu 9000
  local mac; mac=$(ip -n "${P}$n" -br link show eth0 | awk '{print $3}')
  appctl tnl/neigh/set "$br" "${rcidr%/*}" "$mac" >/dev/null   # no ARP wait, first packet not lost
}
nb_up() {             # optional OVN Northbound DB; socket $T/nb.sock
  ovsdb-tool create "$T/nb.db" "$OVN_NB_SCHEMA"
  ovsdb-server "$T/nb.db" --remote=punix:"$T/nb.sock" --pidfile="$T/nb.pid" \
    --unixctl="$T/nb.ctl" -vconsole:off --log-file="$T/nb.log" --detach --no-chdir
  ovn-nbctl --db=unix:"$T/nb.sock" --timeout=10 init
}
_pid_is_ours() {      # _pid_is_ours PID : the process runs with $T on its command line
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$T/"
}
ovs_down() {          # stop daemons by PID, delete the test namespaces, remove $T
  : "${T:?}"
  local f pid ns
  for f in ovs-vswitchd ovsdb-server nb; do
    [ -f "$T/$f.pid" ] || continue
    pid=$(cat "$T/$f.pid" 2>/dev/null) || continue
    [ -n "$pid" ] && _pid_is_ours "$pid" || continue      # never signal a recycled PID
    kill -CONT "$pid" 2>/dev/null || true                  # a paused daemon ignores TERM until continued
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do _alive "$pid" || break; sleep 0.05; done
    if _alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  if [ -f "$T/netns.list" ]; then
    while read -r ns; do [ -n "$ns" ] && ip netns delete "$ns" 2>/dev/null || true; done < "$T/netns.list"
  fi
  if [ -f "$T/$OVS_SANDBOX_MARKER" ] || [ -z "$(ls -A "$T" 2>/dev/null)" ]; then rm -rf "$T"; fi
}
ovs_log_tails() {     # ovs_log_tails : last lines of every log in $T, for error reports
  local f
  for f in "$T"/*.log; do
    [ -f "$f" ] || continue
    echo "----- tail of $f -----"; tail -n 25 "$f"
  done
}
