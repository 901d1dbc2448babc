#!/usr/bin/env bash
# hack/bench/ovs-cni.sh OUT-DIR: build ovs-cni's own mirror plugin, the peer that hack/bench measures
# ovs-mirror against, from ../shared/peers (OVS_MIRROR_PEERS), with Debian's Go, offline (vendored modules).
# The recipe is hack/k8s/build's (GOFLAGS=-mod=vendor CGO_ENABLED=0, the same Go caches), for
# ./cmd/mirror-producer instead of ./cmd/plugin. Prints the binary's path on stdout.
# The build is cached in OUT-DIR/ovs-cni-<version>-<sha256[:12]>/ (keyed by the tarball's checksum).
# Exit status 3, with the reason on stderr, when the peer sources (or Go) are absent: the bench skips the
# contender and says why.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:?usage: ovs-cni.sh OUT-DIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PEERS=${OVS_MIRROR_PEERS:-$ROOT/../shared/peers}
CACHE=${OVS_MIRROR_K8S_CACHE:-/var/cache/ovs-mirror-k8s}

tarball=$(cd "$PEERS" 2>/dev/null && ls ovs-cni-*.tar.gz 2>/dev/null | sort -V | tail -1) || true
if [ -z "$tarball" ]; then
  echo "ovs-cni.sh: no ovs-cni-*.tar.gz in $PEERS (OVS_MIRROR_PEERS): the ovs-cni contender is skipped" >&2
  exit 3
fi
if ! command -v go >/dev/null 2>&1; then
  echo "ovs-cni.sh: go not found (apt-get install golang-go): the ovs-cni contender is skipped" >&2
  exit 3
fi
want=$(awk -v n="$tarball" '$2 == n || $2 == "*" n { print $1 }' "$PEERS/SHA256SUMS" 2>/dev/null || true)
got=$(sha256sum "$PEERS/$tarball" | cut -d' ' -f1)
if [ -n "$want" ] && [ "$want" != "$got" ]; then
  echo "ovs-cni.sh: $PEERS/$tarball does not match SHA256SUMS" >&2
  exit 1
fi
dir=$OUT/${tarball%.tar.gz}-${got:0:12}
bin=$dir/ovs-mirror-producer
if [ ! -x "$bin" ]; then
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp/tree"
  tar -xzf "$PEERS/$tarball" -C "$dir.tmp/tree" --strip-components=1
  mkdir -p "$CACHE/go-build" "$CACHE/gopath" 2>/dev/null || CACHE=$OUT/go
  (cd "$dir.tmp/tree" && GOFLAGS=-mod=vendor CGO_ENABLED=0 GOCACHE=$CACHE/go-build GOPATH=$CACHE/gopath \
    go build -o "$dir.tmp/ovs-mirror-producer" ./cmd/mirror-producer) >&2
  rm -rf "$dir.tmp/tree" "$dir"
  mv "$dir.tmp" "$dir"
fi
echo "$bin"
