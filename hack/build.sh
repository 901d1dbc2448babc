#!/usr/bin/env bash
# Build the solution (so the tests compile) and publish the NativeAOT binaries to artifacts/bin:
#   artifacts/bin/ovs-mirror (the CNI plugin), plus symlinks ovs-mirror-producer and ovs-mirror-consumer, and
#   artifacts/bin/ovs-mirrorctl (the operator CLI: list, gc, validate, doctor).
# Fails on ANY warning in the build or publish output (CS, CA, IL2xxx/IL3xxx trim/AOT, ...).
#
# The release binary is linked against a Debian 11 sysroot with clang-14 (hack/sysroot.sh; recipe:
# /work/shared/reference/portable-binary.md) plus src/OvsMirror/Native/glibc-compat.c, so it runs on nodes
# with an older glibc than this machine's. The script prints the binary's glibc floor (the highest GLIBC_x.y
# version it binds, objdump -T) and fails when it is above the floor README.md states (<!-- glibc-floor: X -->).
# Then hack/image.sh writes the OCI image archive to artifacts/ (SKIP_IMAGE=1 skips it).
#
#   ./hack/build.sh                 the above
#   OVS_MIRROR_PIE=1 ./hack/build.sh  the plugin as a position-independent executable (default: fixed address,
#                                   see src/OvsMirror/OvsMirror.csproj and README "Performance")
#   OVS_MIRROR_CGROUP_SCAN=1 ./hack/build.sh  the plugin's runtime reads /proc/self/mountinfo at start-up, as a
#                                   stock NativeAOT binary does (default: it does not; src/OvsMirror/Native/no-cgroup-scan.c)
#   ./hack/build.sh --upgrade-peer  also publish a second build that differs only in its informational
#                                   version (artifacts/upgrade-peer/ovs-mirror), for the upgrade-safety test,
#                                   and its image (artifacts/upgrade-peer/image/), for the DaemonSet's rolling update
set -euo pipefail
UPGRADE_PEER=0
for a in "$@"; do
  case "$a" in
    --upgrade-peer) UPGRADE_PEER=1 ;;
    *) echo "build.sh: unknown argument '$a' (usage: build.sh [--upgrade-peer])" >&2; exit 2 ;;
  esac
done
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH=$PATH:/usr/sbin:/sbin ;; esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() { echo "build.sh: ERROR: $*" >&2; exit 1; }

command -v objdump >/dev/null 2>&1 || die "objdump not found: apt-get install binutils (it reads the binary's glibc floor)"
command -v dotnet >/dev/null 2>&1 ||
  die "dotnet not found on PATH: install the .NET 10 SDK (see global.json), e.g. https://dot.net/v1/dotnet-install.sh --channel 10.0"

start=$(date +%s.%N)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

LOG_DIR=$ROOT/artifacts/logs
mkdir -p "$LOG_DIR"
PUB=$(mktemp -d /tmp/ovs-mirror-publish.XXXXXX)
trap 'rm -rf "$PUB"' EXIT

# run STEP-NAME CMD... : runs CMD, tees its output to artifacts/logs/STEP.log, fails on error
# or on any warning line (MSBuild prints "file(line,col): warning CODE: text").
run() {
  local name=$1; shift
  local log=$LOG_DIR/$name.log
  echo "==> $*"
  set +e
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" -eq 0 ] || die "'$*' failed (exit $rc); log: $log"
  # "0 Warning(s)" is the summary line, not a warning
  local warnings
  warnings=$(grep -iE '(^|[^a-z])warning([^a-z(]|$)' "$log" | grep -viE '^[[:space:]]*[0-9]+ warning\(s\)' | sort -u || true)
  if [ -n "$warnings" ]; then
    echo "build.sh: ERROR: warnings in '$*' (the build must be warning-free):" >&2
    echo "$warnings" >&2
    exit 1
  fi
}

# TreatWarningsAsErrors (Directory.Build.props) also makes ILC/ILLink warnings errors
# (IlcTreatWarningsAsErrors defaults to it), so an incremental build cannot hide an old warning.
run restore dotnet restore ovs-mirror.sln
run build   dotnet build ovs-mirror.sln -c Release --no-restore -nologo

# The old-glibc toolchain: a cached Debian 11 sysroot and clang-14 (Debian's gcc ignores --sysroot for its
# own crt/libgcc search paths; clang honours it).
CC=clang-14
if ! command -v "$CC" >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "$CC not found and not root: apt-get install clang-14"
  echo "==> apt-get install clang-14"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang-14 >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang-14 >/dev/null; } ||
    die "apt-get install clang-14 failed"
fi
SYSROOT=$("$ROOT/hack/sysroot.sh") || die "hack/sysroot.sh failed"
# ILC's object is incremental, but the link (LinkNative) does not list the sysroot among its inputs: drop the
# linked output so a binary once linked against the host's glibc (a plain dotnet publish) is never reused.
rm -rf src/OvsMirror/bin/Release/net10.0/linux-x64/native src/OvsMirrorCtl/bin/Release/net10.0/linux-x64/native
PORTABLE=(-p:SysRoot="$SYSROOT" -p:CppCompilerAndLinker="$CC")
# The plugin is a fixed-address executable (src/OvsMirror/OvsMirror.csproj says why); OVS_MIRROR_PIE=1 builds a PIE.
[ "${OVS_MIRROR_PIE:-0}" = 1 ] && PORTABLE+=(-p:OvsMirrorPie=true)
# The plugin's runtime skips its cgroup scan of /proc/self/mountinfo (src/OvsMirror/Native/no-cgroup-scan.c);
# OVS_MIRROR_CGROUP_SCAN=1 keeps it.
[ "${OVS_MIRROR_CGROUP_SCAN:-0}" = 1 ] && PORTABLE+=(-p:OvsMirrorNoCgroupScan=false)
run publish dotnet publish src/OvsMirror/OvsMirror.csproj -c Release -r linux-x64 -o "$PUB" -nologo "${PORTABLE[@]}"
run publish-ctl dotnet publish src/OvsMirrorCtl/OvsMirrorCtl.csproj -c Release -r linux-x64 -o "$PUB/ctl" -nologo "${PORTABLE[@]}"

[ -f "$PUB/ovs-mirror" ] || die "publish did not produce $PUB/ovs-mirror"
[ -f "$PUB/ctl/ovs-mirrorctl" ] || die "publish did not produce $PUB/ctl/ovs-mirrorctl"
BIN=$ROOT/artifacts/bin
mkdir -p "$BIN"
rm -f "$BIN/ovs-mirror" "$BIN/ovs-mirror-producer" "$BIN/ovs-mirror-consumer" "$BIN/ovs-mirrorctl"
cp "$PUB/ovs-mirror" "$BIN/ovs-mirror"
cp "$PUB/ctl/ovs-mirrorctl" "$BIN/ovs-mirrorctl"
chmod +x "$BIN/ovs-mirror" "$BIN/ovs-mirrorctl"
ln -s ovs-mirror "$BIN/ovs-mirror-producer"
ln -s ovs-mirror "$BIN/ovs-mirror-consumer"

# glibc floor: the highest symbol version the binary binds (objdump -T lists e.g. "(GLIBC_2.17) clock_gettime")
glibc_floor() { objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -n1; }
stated=$(grep -o 'glibc-floor: [0-9][0-9.]*' README.md | head -n1 | sed 's/glibc-floor: //')
[ -n "$stated" ] || die "README.md states no glibc floor (<!-- glibc-floor: X.Y -->)"
for exe in ovs-mirror ovs-mirrorctl; do
  floor=$(glibc_floor "$BIN/$exe")
  [ -n "$floor" ] || die "objdump -T found no GLIBC version in $BIN/$exe"
  echo "$exe glibc floor: $floor (README states $stated); needs: $(objdump -T "$BIN/$exe" | grep -F "GLIBC_$floor" | awk '{print $NF}' | sort -u | paste -sd' ' -)"
  if [ "$(printf '%s\n%s\n' "$floor" "$stated" | sort -V | tail -n1)" != "$stated" ]; then
    die "$exe needs glibc $floor, above the $stated README.md states: it would fail on nodes README says are supported"
  fi
done

if [ "$UPGRADE_PEER" = 1 ]; then
  # The same sources with another informational version: a second, different build (own obj/bin dirs, so the
  # main build stays incremental). hack/test.sh asks for it; the installer's upgrade test swaps the two.
  PEER=$ROOT/artifacts/upgrade-peer
  rm -rf src/OvsMirror/bin/upgrade-peer/native
  version=$("$BIN/ovs-mirror" version | sed -n 's/^build: //p')
  run publish-upgrade-peer dotnet publish src/OvsMirror/OvsMirror.csproj -c Release -r linux-x64 -o "$PUB/peer" -nologo "${PORTABLE[@]}" \
    -p:InformationalVersion="${version%%+*}-upgrade-peer" -p:IntermediateOutputPath=obj/upgrade-peer/ -p:OutputPath=bin/upgrade-peer/
  mkdir -p "$PEER"
  cp "$PUB/peer/ovs-mirror" "$PEER/ovs-mirror.tmp" && mv "$PEER/ovs-mirror.tmp" "$PEER/ovs-mirror"
  echo "upgrade peer: artifacts/upgrade-peer/ovs-mirror ($("$PEER/ovs-mirror" version | sed -n 's/^build: //p'))"
fi

if [ "${SKIP_IMAGE:-0}" != 1 ]; then
  "$ROOT/hack/image.sh" || die "hack/image.sh failed"
  if [ "$UPGRADE_PEER" = 1 ]; then
    # its image too (own tag): the real-cluster suite rolls the DaemonSet from the first image to this one
    OVS_MIRROR_IMAGE_BIN=$PEER/ovs-mirror OVS_MIRROR_IMAGE_OUT=$PEER/image "$ROOT/hack/image.sh" ||
      die "hack/image.sh failed for the upgrade peer"
  fi
fi

end=$(date +%s.%N)
for exe in ovs-mirror ovs-mirrorctl; do
  awk -v s="$(stat -c %s "$BIN/$exe")" -v e="$exe" 'BEGIN { printf "binary: artifacts/bin/%s %d bytes (%.2f MiB)\n", e, s, s / 1048576 }'
done
awk -v a="$start" -v b="$end" 'BEGIN { printf "build.sh: done in %.1f s\n", b - a }'
