#!/usr/bin/env bash
# Build the solution (so the tests compile) and publish the NativeAOT binary to artifacts/bin:
#   artifacts/bin/ovs-mirror, plus symlinks ovs-mirror-producer and ovs-mirror-consumer.
# Fails on ANY warning in the build or publish output (CS, CA, IL2xxx/IL3xxx trim/AOT, ...).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() { echo "build.sh: ERROR: $*" >&2; exit 1; }

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
run publish dotnet publish src/OvsMirror/OvsMirror.csproj -c Release -r linux-x64 -o "$PUB" -nologo

[ -f "$PUB/ovs-mirror" ] || die "publish did not produce $PUB/ovs-mirror"
BIN=$ROOT/artifacts/bin
mkdir -p "$BIN"
rm -f "$BIN/ovs-mirror" "$BIN/ovs-mirror-producer" "$BIN/ovs-mirror-consumer"
cp "$PUB/ovs-mirror" "$BIN/ovs-mirror"
chmod +x "$BIN/ovs-mirror"
ln -s ovs-mirror "$BIN/ovs-mirror-producer"
ln -s ovs-mirror "$BIN/ovs-mirror-consumer"

size=$(stat -c %s "$BIN/ovs-mirror")
end=$(date +%s.%N)
awk -v s="$size" 'BEGIN { printf "binary: artifacts/bin/ovs-mirror %d bytes (%.2f MiB)\n", s, s / 1048576 }'
awk -v a="$start" -v b="$end" 'BEGIN { printf "build.sh: done in %.1f s\n", b - a }'
