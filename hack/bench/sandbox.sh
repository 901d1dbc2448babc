#!/usr/bin/env bash
# Hermetic OVS sandboxes for hack/bench, on the project's rig (hack/lib/ovs-testenv.sh):
#   sandbox.sh up-db         ovsdb-server only (no datapath: cheap, for big databases); prints the dir
#   sandbox.sh up-vswitchd   ovsdb-server + ovs-vswitchd (netdev datapath, own netns) + bridge br1; prints the dir
#   sandbox.sh down DIR      stop by PID, delete the netns, remove DIR
# Dirs are /tmp/omb.XXXXXX; each is appended to $BENCH_SANDBOX_LIST (when set) so hack/bench/run can
# clean up after a crashed harness.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=hack/lib/ovs-testenv.sh
source "$ROOT/hack/lib/ovs-testenv.sh"

new_dir() {
  T=$(mktemp -d /tmp/omb.XXXXXX)
  P="omb${T##*.}-"
  [ -n "${BENCH_SANDBOX_LIST:-}" ] && echo "$T" >> "$BENCH_SANDBOX_LIST"
  : > "$T/$OVS_SANDBOX_MARKER"
  echo "$P" > "$T/prefix"
  trap 'rc=$?; if [ $rc -ne 0 ]; then ovs_log_tails >&2; ovs_down; fi' EXIT
}

case "${1:-}" in
  up-db)
    ovs_require_tools
    new_dir
    ovsdb-tool create "$T/conf.db" "$OVS_SCHEMA"
    ovsdb-server "$T/conf.db" --remote=punix:"$T/db.sock" \
      --pidfile="$T/ovsdb-server.pid" --unixctl="$T/ovsdb-server.ctl" \
      -vconsole:off --log-file="$T/ovsdb-server.log" --detach --no-chdir
    ovs-vsctl --db=unix:"$T/db.sock" --timeout=10 --no-wait init
    trap - EXIT
    echo "$T" ;;
  up-vswitchd)
    ovs_require_tools
    new_dir
    ovs_up >&2
    add_bridge br1 >&2
    trap - EXIT
    echo "$T" ;;
  down)
    T=${2:?usage: sandbox.sh down DIR}
    [ -d "$T" ] || exit 0
    [ -f "$T/$OVS_SANDBOX_MARKER" ] || { echo "sandbox.sh: $T is not a sandbox; not touching it" >&2; exit 1; }
    ovs_down ;;
  *) echo "usage: $0 up-db | up-vswitchd | down DIR" >&2; exit 2 ;;
esac
