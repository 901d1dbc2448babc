#!/usr/bin/env bash
# Build hack/cnidriver offline (GOPATH mode) from Debian's golang-go and golang-github-appc-cni-dev
# into artifacts/bin/cnidriver. Skips the build when the binary is newer than main.go.
# Env: FORCE=1 rebuilds; CNIDRIVER_OUT overrides the output path.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${CNIDRIVER_OUT:-$ROOT/artifacts/bin/cnidriver}
SRC=$ROOT/hack/cnidriver
die() { echo "cnidriver/build.sh: ERROR: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go not found: apt-get install -y golang-go golang-github-appc-cni-dev"
[ -d /usr/share/gocode/src/github.com/containernetworking/cni/libcni ] ||
  die "libcni not found under /usr/share/gocode: apt-get install -y golang-github-appc-cni-dev"
if [ "${FORCE:-0}" != 1 ] && [ -x "$OUT" ] && [ -z "$(find "$SRC" -name '*.go' -newer "$OUT")" ]; then
  echo "cnidriver: up to date ($OUT)" >&2; exit 0
fi
mkdir -p "$(dirname "$OUT")"
GOTMP=$(mktemp -d /tmp/cnidriver-gopath.XXXXXX)
trap 'rm -rf "$GOTMP"' EXIT
# GOPATH mode: nothing is downloaded; libcni comes from /usr/share/gocode. The build cache lives
# next to the artifacts so rebuilds are fast, and never in $HOME (may be read-only in CI).
cd "$SRC"
GO111MODULE=off GOPATH="$GOTMP:/usr/share/gocode" GOCACHE="${GOCACHE:-$ROOT/artifacts/obj/go-build}" \
  GOFLAGS= CGO_ENABLED=0 go build -trimpath -o "$OUT" .
echo "cnidriver: built $OUT" >&2
