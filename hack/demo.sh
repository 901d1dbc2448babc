#!/usr/bin/env bash
# ovs-mirror demo: the proposal's test case 2, cni-args approach (cni-conf-examples/cniargs-tc2.yaml), live.
#
#   ovs-prod-1 (VLAN 100) asks, through its pod annotation's cni-args, to be a source of mirror-1 and mirror-2;
#   ovs-prod-2 (VLAN 100) of mirror-1; ovs-cons-1 is the output of mirror-1, ovs-cons-2 of mirror-2 (their eth2);
#   "peer" is a plain VLAN 100 pod that is not mirrored.
#
# Pods are network namespaces; every attachment goes through a real CNI runtime: hack/cnidriver (libcni), which
# injects the cni-args into the chain as Multus does, runs `ovs` (hack/ovs-attach, standing in for ovs-cni) and
# then `ovs-mirror` (artifacts/bin/ovs-mirror). OVS is a private sandbox (hack/ovs-sandbox.sh): ovsdb-server and
# ovs-vswitchd with the userspace datapath in its own netns; the host's networking is not touched.
# The demo pings and opens a TCP connection between the pods, captures on both consumers, prints what each saw,
# removes everything (DEL) and checks that no mirror is left. Exit 0 only if each consumer saw exactly its
# producers. Ctrl-C tears everything down.
#
# Env: SKIP_BUILD=1 (use the existing artifacts/bin/ovs-mirror), SKIP_BUILD=0 (always run hack/build.sh;
#      default: build when the binary is missing or older than src/), SKIP_INSTALL=1 (no apt-get).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH=$PATH:/usr/sbin:/sbin ;; esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
START=$SECONDS

if [ -t 1 ]; then B=$'\e[1m'; G=$'\e[32m'; R=$'\e[31m'; N=$'\e[0m'; else B=; G=; R=; N=; fi
say()  { echo "${B}==> $*${N}"; }
die()  { echo "${R}demo: ERROR: $*${N}" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (network namespaces, veth pairs, a private OVS)"

# ------------------------------------------------------------------------------------------------
# 1. what is missing
PACKAGES=(openvswitch-switch tcpdump ethtool iputils-ping jq netcat-openbsd golang-go golang-github-appc-cni-dev)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "${SKIP_INSTALL:-0}" != 1 ] || die "missing packages: ${missing[*]} (and SKIP_INSTALL=1)"
  say "installing ${missing[*]}"
  policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then   # no service may start: the demo runs its own private OVS
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; added_policy=1
  fi
  rc=0
  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } || rc=$?
  [ "$added_policy" = 1 ] && rm -f "$policy"
  [ "$rc" = 0 ] || die "apt-get install ${missing[*]} failed"
fi

# ------------------------------------------------------------------------------------------------
# 2. build
BIN=$ROOT/artifacts/bin/ovs-mirror
need_build=0
case "${SKIP_BUILD:-}" in
  1) [ -x "$BIN" ] || need_build=1 ;;
  0) need_build=1 ;;
  *) if [ ! -x "$BIN" ] || [ -n "$(find src -newer "$BIN" -type f \( -name '*.cs' -o -name '*.csproj' \) -print -quit)" ]; then need_build=1; fi ;;
esac
if [ "$need_build" = 1 ]; then
  command -v dotnet >/dev/null 2>&1 || die "dotnet not found: install the .NET 10 SDK (see global.json)"
  say "building ovs-mirror (hack/build.sh; log in artifacts/logs)"
  mkdir -p "$ROOT/artifacts"   # a fresh clone has none yet
  "$ROOT/hack/build.sh" > "$ROOT/artifacts/demo-build.log" 2>&1 || { tail -n 30 "$ROOT/artifacts/demo-build.log"; die "hack/build.sh failed"; }
else
  say "ovs-mirror is up to date ($BIN)"
fi
"$ROOT/hack/cnidriver/build.sh" 2>/dev/null || die "building hack/cnidriver failed"

# ------------------------------------------------------------------------------------------------
# 3. a private OVS; torn down on exit, also on Ctrl-C
export OVS_SANDBOX_CURRENT_FILE=/tmp/ovs-mirror-demo.$$.current
# shellcheck source=hack/lib/ovs-testenv.sh
source "$ROOT/hack/lib/ovs-testenv.sh"
# shellcheck source=hack/lib/e2e.sh
source "$ROOT/hack/lib/e2e.sh"
T=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$T" ] && [ -d "$T" ]; then
    e2e_stop_captures 2>/dev/null || true
    "$ROOT/hack/ovs-sandbox.sh" down >/dev/null 2>&1 || true
  fi
  rm -f "$OVS_SANDBOX_CURRENT_FILE"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted, tearing down" >&2; exit 130' INT TERM

say "starting a private Open vSwitch (hack/ovs-sandbox.sh up)"
eval "$("$ROOT/hack/ovs-sandbox.sh" up 2>/dev/null)"
T=$OVS_SANDBOX_DIR P=$OVS_SANDBOX_NETNS_PREFIX
e2e_init
echo "    OVSDB $OVS_SANDBOX_DB, ovs-vswitchd in netns ${P}ovs, bridge br1 (netdev datapath)"

# ------------------------------------------------------------------------------------------------
# 4. the pods and their networks, as in cniargs-tc2.yaml
declare -A IP=([ovs-prod-1]=10.100.0.1 [ovs-prod-2]=10.100.0.2 [peer]=10.100.0.9 [ovs-cons-1]=10.200.0.1 [ovs-cons-2]=10.30.0.1)
declare -A NAME_OF=()
for pod in "${!IP[@]}"; do NAME_OF[${IP[$pod]}]=$pod; done
VLAN100=$(e2e_conflist cniargs-tc2-ovs-vlan100-mir.conflist)
CONS=$(e2e_conflist cniargs-tc2-ovs-cons-mir.conflist)
VLAN200=$(e2e_conflist cniargs-tc2-ovs-vlan200.conflist)
VLAN300=$(e2e_conflist cniargs-tc2-ovs-vlan300.conflist)
jq -n --arg db "unix:$T/db.sock" '{cniVersion: "0.4.0", name: "peer-vlan100",
  plugins: [{type: "ovs", bridge: "br1", vlan: 100, socket_file: $db}]}' > "$E2E_CONF/peer-vlan100.conflist"

attach() {  # attach POD IFNAME CONFLIST ARGS|- CIDR|"" WHAT
  local out host
  out=$(e2e_add "$1" "$2" "$3" "$4" "$5") || die "ADD $1/$2 failed: $out"
  host=$(jq -r '.interfaces[] | select(.sandbox == null) | .name' <<<"$out")
  printf '    %-11s %-5s %-28s port %-15s %s\n' "$1" "$2" "$(basename "$3" .conflist)" "$host" "$6"
}
say "ADD through libcni (cnidriver): pod, interface, network, OVS port, cni-args"
for pod in ovs-prod-1 ovs-prod-2 ovs-cons-1 ovs-cons-2 peer; do e2e_pod "$pod"; done
attach peer       eth1 "$E2E_CONF/peer-vlan100.conflist" - "${IP[peer]}/24" "(plain port, not mirrored)"
attach ovs-prod-1 eth1 "$VLAN100" cniargs-tc2-ovs-vlan100-mir.ovs-prod-1.eth1.cni-args.json "${IP[ovs-prod-1]}/24" \
  "$(jq -c .mirrors cni-conf-examples/cniargs-tc2-ovs-vlan100-mir.ovs-prod-1.eth1.cni-args.json)"
attach ovs-prod-2 eth1 "$VLAN100" cniargs-tc2-ovs-vlan100-mir.ovs-prod-2.eth1.cni-args.json "${IP[ovs-prod-2]}/24" \
  "$(jq -c .mirrors cni-conf-examples/cniargs-tc2-ovs-vlan100-mir.ovs-prod-2.eth1.cni-args.json)"
attach ovs-cons-1 eth1 "$VLAN200" - "${IP[ovs-cons-1]}/24" "(data interface, VLAN 200)"
attach ovs-cons-1 eth2 "$CONS" cniargs-tc2-ovs-cons-mir.ovs-cons-1.eth2.cni-args.json "" \
  "$(jq -c .mirrors cni-conf-examples/cniargs-tc2-ovs-cons-mir.ovs-cons-1.eth2.cni-args.json)"
attach ovs-cons-2 eth1 "$VLAN300" - "${IP[ovs-cons-2]}/24" "(data interface, VLAN 300)"
attach ovs-cons-2 eth2 "$CONS" cniargs-tc2-ovs-cons-mir.ovs-cons-2.eth2.cni-args.json "" \
  "$(jq -c .mirrors cni-conf-examples/cniargs-tc2-ovs-cons-mir.ovs-cons-2.eth2.cni-args.json)"

port_names() {  # uuids ("[a, b]" or "a") -> port names
  local u
  for u in $(tr -d '[],' <<<"$1"); do vsctl get Port "$u" name | tr -d '"'; done | paste -sd, -
}
say "the mirrors in OVSDB (ovs-vsctl)"
for m in $(vsctl --bare --columns=name list Mirror | sort); do
  printf '    %-9s select_src_port=[%s] output_port=%s\n' "$m" \
    "$(port_names "$(vsctl get Mirror "$m" select_src_port)")" "$(port_names "$(vsctl get Mirror "$m" output_port)")"
done

# ------------------------------------------------------------------------------------------------
# 5. traffic, captured on the consumers
CAP=$T/cap; mkdir -p "$CAP"
e2e_capture ovs-cons-1 eth2 "$CAP/ovs-cons-1.pcap"
e2e_capture ovs-cons-2 eth2 "$CAP/ovs-cons-2.pcap"
ping_() { ip netns exec "${P}$1" ping -c "$3" -i 0.1 -W 2 -q "$2" >/dev/null || die "ping $1 -> $2 failed"; }
say "traffic: ping and TCP between the pods (producers select src_port: what they send)"
ping_ peer       "${IP[ovs-prod-1]}" 3; echo "    peer       -> ovs-prod-1  3 pings"
ping_ ovs-prod-1 "${IP[ovs-prod-2]}" 5; echo "    ovs-prod-1 -> ovs-prod-2  5 pings"
ping_ ovs-prod-2 "${IP[peer]}"       3; echo "    ovs-prod-2 -> peer        3 pings"
ip netns exec "${P}ovs-prod-2" timeout 10 nc -4 -l 5001 > "$T/nc.out" &
NC=$!
for _ in $(seq 100); do ip netns exec "${P}ovs-prod-2" ss -Htln 'sport = :5001' | grep -q . && break; sleep 0.05; done
echo "hello from ovs-prod-1" | ip netns exec "${P}ovs-prod-1" nc -4 -N -w 3 "${IP[ovs-prod-2]}" 5001 || die "TCP failed"
wait "$NC" || true
echo "    ovs-prod-1 -> ovs-prod-2  TCP: \"$(cat "$T/nc.out")\""
sleep 0.3   # mirrored copies leave with the originals; this is only for the last ones in flight
e2e_stop_captures

# ------------------------------------------------------------------------------------------------
# 6. what each consumer saw
sources() {  # sources PCAP PROTO -> "IP COUNT" lines (IPv4 only; tagged frames too)
  tcpdump -r "$1" -nn "$2 or (vlan and $2)" 2>/dev/null |
    awk '{for (i = 1; i <= NF; i++) if ($i == "IP") { s = $(i + 1); if (s ~ /\.[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/) sub(/\.[0-9]+$/, "", s); print s; break }}' |
    sort | uniq -c | awk '{print $2, $1}'
}
declare -A EXPECT=([ovs-cons-1]="ovs-prod-1 ovs-prod-2" [ovs-cons-2]="ovs-prod-1")
declare -A MIRROR=([ovs-cons-1]=mirror-1 [ovs-cons-2]=mirror-2)
ok=1
say "what each consumer captured"
printf "    ${B}%-11s %-9s %-24s %-16s %-10s %s${N}\n" CONSUMER MIRROR "PRODUCERS SEEN" "ICMP" "TCP" "OTHERS"
for c in ovs-cons-1 ovs-cons-2; do
  declare -A icmp=() tcp=()
  while read -r ip n; do [ -n "$ip" ] && icmp[$ip]=$n; done < <(sources "$CAP/$c.pcap" icmp)
  while read -r ip n; do [ -n "$ip" ] && tcp[$ip]=$n; done < <(sources "$CAP/$c.pcap" tcp)
  seen=() icmp_col=() tcp_col=() others=()
  for ip in $(printf '%s\n' "${!icmp[@]}" "${!tcp[@]}" | sort -u); do
    name=${NAME_OF[$ip]:-$ip}
    if [[ " ${EXPECT[$c]} " == *" $name "* ]]; then
      seen+=("$name"); icmp_col+=("${icmp[$ip]:-0}"); tcp_col+=("${tcp[$ip]:-0}")
    else
      others+=("$name:$(( ${icmp[$ip]:-0} + ${tcp[$ip]:-0} ))")
    fi
  done
  printf '    %-11s %-9s %-24s %-16s %-10s %s\n' "$c" "${MIRROR[$c]}" "$(IFS=,; echo "${seen[*]:-none}")" \
    "$(IFS=+; echo "${icmp_col[*]:-0}")" "$(IFS=+; echo "${tcp_col[*]:-0}")" "${others[*]:-none}"
  # expected: exactly the mirror's producers, each with 8 ICMP echoes it sent, and TCP from ovs-prod-1
  [ "$(printf '%s\n' "${seen[@]}" | sort | paste -sd' ' -)" = "${EXPECT[$c]}" ] || ok=0
  [ ${#others[@]} -eq 0 ] || ok=0
  for ip in "${!icmp[@]}"; do [ "${icmp[$ip]}" = 8 ] || ok=0; done
  [ "${tcp[${IP[ovs-prod-1]}]:-0}" -gt 0 ] || ok=0
  unset icmp tcp
done
echo "    (ICMP/TCP: packets per producer, in the order listed; expected ovs-cons-1: ovs-prod-1 and ovs-prod-2 with 8 echoes"
echo "     each, ovs-cons-2: ovs-prod-1 with 8; peer, whose packets no mirror selects, nowhere)"
decoded() {  # decoded PCAP FILTER N : tcpdump -r -e, without the MAC addresses
  tcpdump -r "$1" -nn -e "$2 or (vlan and $2)" 2>/dev/null | head -n "$3" |
    sed -E 's/[0-9a-f:]{17} > [0-9a-f:]{17}, //; s/ethertype 802\.1Q \(0x8100\), //; s/, p 0, ethertype IPv4 \(0x0800\)//; s/, options \[[^]]*\]//' |
    cut -c1-150 | sed 's/^/    /'
}
for c in ovs-cons-1 ovs-cons-2; do
  say "a few of the packets $c/eth2 received (tcpdump -r -e)"
  decoded "$CAP/$c.pcap" icmp 3
  decoded "$CAP/$c.pcap" tcp 2
done

# ------------------------------------------------------------------------------------------------
# 7. DEL everything; no mirror may be left
say "DEL every attachment (last first)"
e2e_del_all
left=$(vsctl --bare --columns=name list Mirror | paste -sd' ' -)
ports=$(vsctl list-ports br1 | paste -sd' ' -)
if [ -z "$left" ] && [ -z "$ports" ]; then
  echo "    OVSDB: no mirror and no port left on br1"
else
  echo "    ${R}left behind: mirrors [$left], ports [$ports]${N}"; ok=0
fi

if [ "$ok" = 1 ]; then
  echo "${G}${B}demo: PASS${N}: each consumer saw exactly its mirror's producers ($((SECONDS - START)) s)"
  exit 0
fi
echo "${R}${B}demo: FAIL${N}: the consumers did not see what test case 2 expects (captures in $CAP are removed on exit)" >&2
exit 1
