#!/usr/bin/env bash
# Hermetic OVS sandboxes for hack/bench, on the project's rig (hack/lib/ovs-testenv.sh):
#   sandbox.sh up-db         ovsdb-server only (no datapath: cheap, for big databases); prints the dir
#   sandbox.sh up-vswitchd   ovsdb-server + ovs-vswitchd (netdev datapath, own netns) + bridge br1; prints the dir
#   sandbox.sh up-mountns N  a persistent private mount namespace with N more tmpfs mounts than this host's
#                            (a node's mount table, §6); prints the dir; DIR/ns is it (nsenter --mount=DIR/ns)
#   sandbox.sh down DIR      stop by PID, delete the netns (or release the mount namespace), remove DIR
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

# The mount namespace's handle (DIR/ns) and DIR's own private bind must go before DIR can be removed: the
# namespace, and with it its tmpfs mounts, ends when the handle is unmounted (it runs no process).
mountns_release() {
  [ -f "$T/mountns" ] || return 0
  if mountpoint -q "$T/ns" 2>/dev/null; then umount "$T/ns"; fi
  if mountpoint -q "$T" 2>/dev/null; then umount "$T"; fi
}

case "${1:-}" in
  up-mountns)
    N=${2:?usage: sandbox.sh up-mountns N}
    case "$N" in ''|*[!0-9]*) echo "sandbox.sh: up-mountns: N must be a number, not '$N'" >&2; exit 2 ;; esac
    [ "$(id -u)" = 0 ] || { echo "sandbox.sh: up-mountns needs root (mount namespaces)" >&2; exit 1; }
    for tool in unshare nsenter mountpoint; do
      command -v "$tool" >/dev/null 2>&1 || { echo "sandbox.sh: $tool not found (util-linux)" >&2; exit 1; }
    done
    new_dir
    trap 'rc=$?; if [ $rc -ne 0 ]; then mountns_release; ovs_down; fi' EXIT
    : > "$T/mountns"
    # unshare(1) --mount=FILE: FILE's mount must be private, or the bind of the namespace would propagate
    mount --bind "$T" "$T"
    mount --make-private "$T"
    : > "$T/ns"
    mkdir "$T/m"
    unshare --mount="$T/ns" --propagation private sh -c \
      'i=0; while [ "$i" -lt "$1" ]; do mkdir -p "$2/m/$i" && mount -t tmpfs -o size=16k "omb$i" "$2/m/$i" || exit 1; i=$((i+1)); done' \
      sh "$N" "$T"
    trap - EXIT
    echo "$T" ;;
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
    mountns_release
    ovs_down ;;
  *) echo "usage: $0 up-db | up-vswitchd | up-mountns N | down DIR" >&2; exit 2 ;;
esac
