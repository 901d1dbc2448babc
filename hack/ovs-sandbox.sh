#!/usr/bin/env bash
# Hermetic Open vSwitch sandbox for manual testing of ovs-mirror.
#
#   eval "$(hack/ovs-sandbox.sh up [nb])"   # ovsdb-server + ovs-vswitchd (netdev) + bridge br1
#   hack/ovs-sandbox.sh env                 # print the exports of the current sandbox again
#   hack/ovs-sandbox.sh down                # stop by PID, delete the netns, remove the dir (idempotent)
#   hack/ovs-sandbox.sh sweep               # clean sandboxes left behind by dead test processes
#
# `up` prints `export VAR=...` lines on stdout (for eval) and progress on stderr. `nb` or OVN_NB=1
# also starts an OVN Northbound ovsdb-server. The state dir is recorded in $CURRENT_FILE, so `down`
# finds it from any shell; $OVS_SANDBOX_DIR, when set, wins.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=hack/lib/ovs-testenv.sh
source "$ROOT/hack/lib/ovs-testenv.sh"

CURRENT_FILE=${OVS_SANDBOX_CURRENT_FILE:-/tmp/ovs-mirror-sandbox.current}

log() { echo "ovs-sandbox: $*" >&2; }
die() { echo "ovs-sandbox: ERROR: $*" >&2; exit 1; }

current_dir() {       # the sandbox dir in use, or nothing
  if [ -n "${OVS_SANDBOX_DIR:-}" ]; then echo "$OVS_SANDBOX_DIR"; return; fi
  [ -f "$CURRENT_FILE" ] && cat "$CURRENT_FILE" || true
}

cmd_up() {
  local nb=${OVN_NB:-0}
  case "${1:-}" in nb) nb=1 ;; "") ;; *) die "unknown flag '$1' (usage: up [nb])" ;; esac
  [ "$nb" = 1 ] && ovs_require_tools nb || ovs_require_tools
  local old; old=$(current_dir)
  if [ -n "$old" ] && [ -d "$old" ]; then
    die "a sandbox is already up at $old (run: $0 down)"
  fi

  local start=$SECONDS
  T=$(mktemp -d /tmp/oms.XXXXXX)
  P="oms${T##*.}-"
  trap 'rc=$?; if [ $rc -ne 0 ]; then log "start failed (exit $rc), cleaning up $T"; ovs_log_tails >&2; ovs_down; rm -f "$CURRENT_FILE"; fi' EXIT
  echo "$T" > "$CURRENT_FILE"
  ovs_up
  add_bridge br1
  [ "$nb" = 1 ] && nb_up
  {
    echo "export OVS_SANDBOX_DIR=$T"
    echo "export OVS_SANDBOX_DB=unix:$T/db.sock"
    echo "export OVS_SANDBOX_DB_SOCK=$T/db.sock"
    echo "export OVS_SANDBOX_VSWITCHD_CTL=$T/ovs-vswitchd.ctl"
    echo "export OVS_SANDBOX_NETNS_PREFIX=$P"
    echo "export OVS_SANDBOX_VSWITCHD_NETNS=${P}ovs"
    [ "$nb" = 1 ] && echo "export OVS_SANDBOX_NB=unix:$T/nb.sock"
    true
  } > "$T/env"
  trap - EXIT
  log "up in $((SECONDS - start))s: dir $T, bridge br1 (netdev), vswitchd in netns ${P}ovs"
  log "  ovs-vsctl --db=unix:$T/db.sock show;  ovs-appctl -t $T/ovs-vswitchd.ctl dpif/show"
  log "  stop with: $0 down"
  cat "$T/env"
}

cmd_env() {
  local d; d=$(current_dir)
  [ -n "$d" ] && [ -f "$d/env" ] || die "no sandbox is up (run: $0 up)"
  cat "$d/env"
}

cmd_down() {
  local d; d=$(current_dir)
  if [ -z "$d" ] || [ ! -d "$d" ]; then
    log "no sandbox is up; nothing to do"
    rm -f "$CURRENT_FILE"
    return 0
  fi
  [ -f "$d/$OVS_SANDBOX_MARKER" ] || die "$d is not an ovs-mirror sandbox (no $OVS_SANDBOX_MARKER); not touching it"
  T=$d ovs_down
  if [ -f "$CURRENT_FILE" ] && [ "$(cat "$CURRENT_FILE")" = "$d" ]; then rm -f "$CURRENT_FILE"; fi
  log "down: removed $d"
}

# Sandboxes of the C# fixture (/tmp/om.*) record the test process in owner.pid. When that process
# died without disposing them (crash, blame-hang kill), stop their daemons by PID and clean up.
cmd_sweep() {
  local d owner n=0
  for d in /tmp/om.* /tmp/oms.*; do
    [ -f "$d/$OVS_SANDBOX_MARKER" ] && [ -f "$d/owner.pid" ] || continue
    owner=$(cat "$d/owner.pid" 2>/dev/null || true)
    if [ -n "$owner" ] && [ -d "/proc/$owner" ]; then continue; fi
    log "sweep: $d (owner ${owner:-?} is gone)"
    T=$d ovs_down; n=$((n + 1))
  done
  log "sweep: cleaned $n sandbox(es)"
}

case "${1:-}" in
  up)    shift; cmd_up "$@" ;;
  down)  cmd_down ;;
  env)   cmd_env ;;
  sweep) cmd_sweep ;;
  *) echo "usage: $0 up [nb] | down | env | sweep" >&2; exit 2 ;;
esac
