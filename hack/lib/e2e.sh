#!/bin/bash
# Shell helpers for end-to-end runs of ovs-mirror through a real CNI runtime (hack/cnidriver, libcni),
# on a sandbox of hack/lib/ovs-testenv.sh (T = state dir, P = netns prefix, vswitchd in netns ${P}ovs).
# The C# twin is tests/OvsMirror.Tests/EndToEnd/CniTestbed.cs. Source after ovs-testenv.sh; needs ROOT.
#
#   e2e_init                      private CNI_PATH ($T/cni-bin: ovs = hack/ovs-attach, ovs-mirror = the binary)
#   e2e_pod NAME                  netns ${P}NAME (recorded in $T/netns.list, so ovs_down deletes it)
#   e2e_conflist FILE             copy of cni-conf-examples/FILE (or a path) with this sandbox's socket_file and
#                                 vswitchdCtl; prints the copy's path
#   e2e_add POD IFNAME CONFLIST [CNI_ARGS_FILE|-] [CIDR]   cnidriver add (records the attachment for e2e_del_all)
#   e2e_del POD IFNAME CONFLIST [CNI_ARGS_FILE|-]          cnidriver del
#   e2e_capture POD IFNAME FILE   tcpdump in the pod, returns once it listens; its PID goes to $T/e2e-pids
#   e2e_stop_captures             SIGINT every tcpdump started (by PID), waits for them

E2E_NS=emu-cni

e2e_init() {
  : "${T:?}" "${P:?}" "${ROOT:?}"
  E2E_BIN=$T/cni-bin; E2E_CACHE=$T/cni-cache; E2E_CONF=$T/conf
  mkdir -p "$E2E_BIN" "$E2E_CACHE" "$E2E_CONF"
  ln -sf "$ROOT/hack/ovs-attach" "$E2E_BIN/ovs"
  ln -sf "$ROOT/artifacts/bin/ovs-mirror" "$E2E_BIN/ovs-mirror"
  : > "$T/e2e-pids"; : > "$T/e2e-attachments"
  export OVS_ATTACH_SWITCH_NETNS=${P}ovs
}

e2e_pod() {
  ip netns add "${P}$1" && echo "${P}$1" >> "$T/netns.list" && ip -n "${P}$1" link set dev lo up
}

e2e_conflist() {
  local src=$1 out
  case "$src" in /*) ;; *) src=$ROOT/cni-conf-examples/$src ;; esac
  out=$E2E_CONF/$(basename "$src")
  jq --arg db "unix:$T/db.sock" --arg ctl "$T/ovs-vswitchd.ctl" '
    .plugins |= map(
      if .type == "ovs" or (.type | startswith("ovs-mirror")) then .socket_file = $db else . end
      | if (.type | startswith("ovs-mirror")) then .vswitchdCtl = $ctl else . end)' "$src" > "$out" && echo "$out"
}

_e2e_driver() {  # _e2e_driver CMD POD IFNAME CONFLIST [ARGS|-] [CIDR]
  local cmd=$1 pod=$2 ifname=$3 conf=$4 args=${5:--} cidr=${6:-}
  local extra=()
  if [ "$args" != - ]; then
    case "$args" in /*) ;; *) args=$ROOT/cni-conf-examples/$args ;; esac
    extra+=(--cni-args "$args")
  fi
  [ -n "$cidr" ] && extra+=(--ip "$cidr")
  "$ROOT/artifacts/bin/cnidriver" "$cmd" --conflist "$conf" --netns "/var/run/netns/${P}$pod" --ifname "$ifname" \
    --container-id "$pod" --pod-name "$pod" --pod-namespace "$E2E_NS" --cni-path "$E2E_BIN" --cache-dir "$E2E_CACHE" \
    "${extra[@]}"
}

e2e_add() {
  _e2e_driver add "$@" || return
  printf '%s\n' "$*" >> "$T/e2e-attachments"
}

e2e_del() { _e2e_driver del "$@"; }

e2e_del_all() {  # DEL every attachment, the last added first
  local line
  tac "$T/e2e-attachments" | while read -r line; do
    # shellcheck disable=SC2086 # the recorded words: POD IFNAME CONFLIST [ARGS [CIDR]]
    e2e_del $line >/dev/null || echo "e2e: DEL $line failed" >&2
  done
  : > "$T/e2e-attachments"
}

e2e_capture() {  # e2e_capture POD IFNAME FILE
  local pod=$1 ifname=$2 file=$3 err=$3.err pid
  ip netns exec "${P}$pod" tcpdump -i "$ifname" -nn -U --immediate-mode -s 0 -w "$file" 2>"$err" &
  pid=$!                                  # ip netns exec execs tcpdump: this is tcpdump's PID
  echo "$pid" >> "$T/e2e-pids"
  for _ in $(seq 200); do                 # "listening on" is printed once the capture is active
    grep -q "listening on" "$err" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "e2e: tcpdump on ${P}$pod/$ifname did not start: $(cat "$err")" >&2
  return 1
}

e2e_stop_captures() {
  local pid
  [ -f "$T/e2e-pids" ] || return 0
  while read -r pid; do kill -INT "$pid" 2>/dev/null || true; done < "$T/e2e-pids"
  while read -r pid; do
    for _ in $(seq 60); do _alive "$pid" || break; sleep 0.05; done   # (_alive: ovs-testenv.sh)
    if _alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true                                    # our child: reap it
  done < "$T/e2e-pids"
  : > "$T/e2e-pids"
}
