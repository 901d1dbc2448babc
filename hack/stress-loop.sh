#!/usr/bin/env bash
# Runs test projects again and again while stress-ng loads every core, to show that no outcome depends on
# scheduling (tests wait for conditions, never for time). Counts the runs that failed.
#   hack/stress-loop.sh [RUNS] [PROJECT...]     default: 20 runs of the Ovsdb and Mirroring test projects
# Needs a built tree (hack/build.sh) and stress-ng (apt-get install stress-ng). stress-ng is stopped by its PID.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUNS=${1:-20}; shift || true
PROJECTS=("$@")
[ ${#PROJECTS[@]} -gt 0 ] || PROJECTS=(tests/OvsMirror.Ovsdb.Tests tests/OvsMirror.Mirroring.Tests)
command -v stress-ng >/dev/null || { echo "stress-ng not found: apt-get install stress-ng" >&2; exit 1; }
LOG=$ROOT/artifacts/stress-loop; rm -rf "$LOG"; mkdir -p "$LOG"

stress-ng --cpu "$(nproc)" --timeout 0 --quiet &
STRESS=$!
trap 'kill "$STRESS" 2>/dev/null; wait "$STRESS" 2>/dev/null || true' EXIT

failed=0 passed=0 tests_failed=0
for run in $(seq 1 "$RUNS"); do
  for proj in "${PROJECTS[@]}"; do
    name=$(basename "$proj")
    out=$LOG/$run.$name.log
    start=$SECONDS
    if dotnet test "$proj" -c Release --no-build --nologo > "$out" 2>&1; then
      passed=$((passed + 1)); verdict=passed
    else
      failed=$((failed + 1)); verdict=FAILED
      tests_failed=$((tests_failed + $(grep -cE '^\s+Failed ' "$out" || true)))
      grep -E '^\s+Failed ' "$out" | sed 's/^/    /' || true
    fi
    echo "run $run $name: $verdict in $((SECONDS - start)) s ($(grep -oE 'Passed: +[0-9]+' "$out" | tail -1))"
  done
done
echo "stress-loop: $RUNS runs x ${#PROJECTS[@]} projects under stress-ng --cpu $(nproc): $passed project runs passed, $failed failed ($tests_failed failed tests)"
[ "$failed" -eq 0 ]
