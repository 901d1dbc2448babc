# Shared by hack/k8s/{up,down,env,build}: paths, versions, logging. Sourced, never run.
# shellcheck shell=bash

K8S_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
export PATH

# Peer sources (Multus, ovs-cni). Relative paths are taken from the repository root.
K8S_PEERS=${OVS_MIRROR_PEERS:-../shared/peers}
case $K8S_PEERS in /*) ;; *) K8S_PEERS=$K8S_ROOT/$K8S_PEERS ;; esac

# Builds live outside the clone, keyed by version and checksum, so a fresh clone reuses them.
K8S_CACHE=${OVS_MIRROR_K8S_CACHE:-/var/cache/ovs-mirror-k8s}

# The cluster's state: one directory; `up` writes its path to the state file below.
K8S_STATE_POINTER=${OVS_MIRROR_K8S_POINTER:-$K8S_ROOT/artifacts/k8s/state-dir}

KUBERNETES_VERSION=1.20.2
# Bumped when the build recipe (patches, flags) changes, so an old cache entry is not reused.
KUBERNETES_RECIPE=1
MULTUS_TARBALL=multus-cni-4.0.2.tar.gz
OVS_CNI_TARBALL=ovs-cni-0.34.0.tar.gz

k8s_log() { echo "k8s: $*" >&2; }
k8s_die() { echo "k8s: ERROR: $*" >&2; exit 1; }

# The peer files the Kubernetes rig needs; prints the first missing one and fails.
k8s_peers_missing() {
  local f
  for f in "$MULTUS_TARBALL" "$OVS_CNI_TARBALL" SHA256SUMS; do
    [ -f "$K8S_PEERS/$f" ] || { echo "$K8S_PEERS/$f"; return 0; }
  done
  return 1
}

# sha256 of a peer tarball, checked against the peers' SHA256SUMS.
k8s_peer_sha256() {
  local name=$1 want got
  want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$K8S_PEERS/SHA256SUMS")
  got=$(sha256sum "$K8S_PEERS/$name" | cut -d' ' -f1)
  [ -n "$want" ] || k8s_die "$name is not listed in $K8S_PEERS/SHA256SUMS"
  [ "$want" = "$got" ] || k8s_die "$name: sha256 $got, SHA256SUMS says $want"
  echo "$got"
}
