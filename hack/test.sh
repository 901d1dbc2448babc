#!/usr/bin/env bash
# Install what the tests need (apt, only if missing), build (unless SKIP_BUILD=1), run every test
# project of ovs-mirror.sln, and print one summary line summed from the TRX files:
#   N passed, N failed[, N skipped]
# Exits non-zero on any failure, on a test run error, or when zero tests ran.
# Env: SKIP_BUILD=1, SKIP_INSTALL=1, OVS_MIRROR_ALLOW_NO_OVS=1 (skip OVS tests if OVS is missing),
#      TEST_FILTER=<dotnet test --filter expression>, BLAME_HANG_TIMEOUT (default 5m),
#      OVS_MIRROR_K8S=0 (do not bring up the one-node Kubernetes; its tests then skip),
#      OVS_MIRROR_PEERS (Multus/ovs-cni sources for it; default ../shared/peers).
# The Kubernetes project (tests/OvsMirror.Kubernetes.Tests) runs last, between hack/k8s/up and hack/k8s/down
# (up installs ovs-mirror through its DaemonSet from artifacts/image; the suite rolls it to artifacts/upgrade-peer/image);
# where the peer sources are absent, its tests are skipped (each names the missing file) and all else runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH=$PATH:/usr/sbin:/sbin ;; esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { echo "test.sh: $*" >&2; }
die() { echo "test.sh: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. packages
PACKAGES=(openvswitch-switch ovn-central tcpdump ethtool iputils-ping jq netcat-openbsd strace)

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

install_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { log "no dpkg: cannot install ${PACKAGES[*]}; relying on what is on PATH"; return 0; }
  local missing=() p
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then log "packages present: ${PACKAGES[*]}"; return 0; fi
  [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]} and not root: run as root or install them"
  log "installing: ${missing[*]}"
  # No service may start: no systemd here, and OVS/OVN run hermetically from the tests.
  # Where no policy-rc.d exists (it exits 101 in most containers), add one for the install only.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# added by ovs-mirror hack/test.sh for the apt-get install only\nexit 101\n' > "$policy"
    chmod +x "$policy"; added_policy=1
  fi
  local rc=0
  {
    apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  } || rc=$?
  [ "$added_policy" = 1 ] && rm -f "$policy"
  [ "$rc" -eq 0 ] || die "apt-get install ${missing[*]} failed (exit $rc)"
}

if [ "${SKIP_INSTALL:-0}" != 1 ]; then install_packages; fi
# hack/cnidriver (a libcni runtime for the end-to-end tests) builds offline from Debian's Go packages;
# podman (CNI backend, runc, a static busybox imported as the image) is the second real runtime.
if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  PACKAGES=(golang-go golang-github-appc-cni-dev podman runc conmon busybox-static); install_packages
fi

ovs_missing=$(
  for c in ovsdb-server ovsdb-tool ovs-vsctl ovs-vswitchd ovs-appctl ovn-nbctl ip ethtool tcpdump ping; do
    command -v "$c" >/dev/null 2>&1 || echo "$c"
  done | paste -sd' ' -)
if [ -n "$ovs_missing" ]; then
  if [ "${OVS_MIRROR_ALLOW_NO_OVS:-0}" = 1 ]; then
    log "WARNING: missing $ovs_missing; OVS_MIRROR_ALLOW_NO_OVS=1, so the OVS tests will be SKIPPED"
  else
    die "missing $ovs_missing after install (set OVS_MIRROR_ALLOW_NO_OVS=1 to skip the OVS tests)"
  fi
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet not found on PATH: install the .NET 10 SDK (see global.json)"

# ---------------------------------------------------------------------------------------------
# 2. build
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  "$ROOT/hack/build.sh" --upgrade-peer   # the second build is for the installer's upgrade-under-load test
fi
# cnidriver always (it is not part of hack/build.sh; incremental: skipped when up to date)
"$ROOT/hack/cnidriver/build.sh" || die "building hack/cnidriver failed (needs golang-go golang-github-appc-cni-dev)"

# ---------------------------------------------------------------------------------------------
# 3. tests: one `dotnet test` per test project, so each TRX file gets its own name (with the
# solution, one LogFileName is overwritten by every project, and LogFilePrefix only has seconds).
RESULTS=$ROOT/artifacts/test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

# sandboxes of test processes that died without disposing them (crash, hang kill): by PID only
"$ROOT/hack/ovs-sandbox.sh" sweep 2>/dev/null || true
K8S_PROJECT=OvsMirror.Kubernetes.Tests
k8s_up=0
cleanup() {
  if [ "$k8s_up" = 1 ]; then "$ROOT/hack/k8s/down" || log "WARNING: hack/k8s/down failed"; k8s_up=0; fi
  "$ROOT/hack/ovs-sandbox.sh" sweep >/dev/null 2>&1 || true
}
trap cleanup EXIT

# start_kubernetes: hack/k8s/up (cached builds) unless disabled or the peer sources are missing.
# Prints why not; on success the Kubernetes tests are required to run (a missing cluster fails them).
start_kubernetes() {
  if [ "${OVS_MIRROR_K8S:-1}" = 0 ]; then log "OVS_MIRROR_K8S=0: no cluster; the Kubernetes tests skip"; return 0; fi
  local missing
  if missing=$(bash -c 'source "$1/hack/k8s/lib/common.sh"; k8s_peers_missing' _ "$ROOT"); then
    log "peer source missing: $missing: no cluster; the Kubernetes tests skip"
    return 0
  fi
  log "==> hack/k8s/up"
  k8s_up=1
  if "$ROOT/hack/k8s/up"; then
    export OVS_MIRROR_K8S_REQUIRED=1
  else
    log "ERROR: hack/k8s/up failed: the Kubernetes tests will fail"
    export OVS_MIRROR_K8S_REQUIRED=1
  fi
}

mapfile -t PROJECTS < <(
  dotnet sln ovs-mirror.sln list | tr '\\' '/' | grep -E '\.csproj$' | while read -r p; do
    grep -q '<IsTestProject>true</IsTestProject>' "$p" 2>/dev/null && echo "$p"
  done | sort | awk -v k="$K8S_PROJECT" 'index($0, k) { last = $0; next } { print } END { if (last) print last }')
[ ${#PROJECTS[@]} -gt 0 ] || die "no test projects (IsTestProject=true) in ovs-mirror.sln"

filter_args=()
[ -n "${TEST_FILTER:-}" ] && filter_args=(--filter "$TEST_FILTER")

run_failed=()
start=$SECONDS
for proj in "${PROJECTS[@]}"; do
  name=$(basename "$proj" .csproj)
  hang=${BLAME_HANG_TIMEOUT:-5m}
  if [ "$name" = "$K8S_PROJECT" ]; then
    start_kubernetes
    hang=${BLAME_HANG_TIMEOUT:-10m}   # one test = pods up, traffic, and kubelet's deletion (up to 90 s)
  fi
  log "==> $name"
  if ! dotnet test "$proj" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$RESULTS" \
      --blame-hang-timeout "$hang" --blame-hang-dump-type none \
      "${filter_args[@]}"; then
    run_failed+=("$name")
  fi
  if [ "$name" = "$K8S_PROJECT" ] && [ "$k8s_up" = 1 ]; then
    k8s_up=0
    "$ROOT/hack/k8s/down" || { log "ERROR: hack/k8s/down failed (something was left behind)"; run_failed+=("hack/k8s/down"); }
  fi
done

# ---------------------------------------------------------------------------------------------
# 4. sum the TRX <Counters .../> (attributes read with grep/sed: no xmllint on a fresh box)
counter() {  # counter FILE ATTR
  tr '\n' ' ' < "$1" | grep -o '<Counters [^>]*>' | head -n1 |
    sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" | grep . || echo 0
}

total=0 passed=0 failed=0 skipped=0 nfiles=0
echo
echo "Per project:"
for proj in "${PROJECTS[@]}"; do
  name=$(basename "$proj" .csproj)
  f=$RESULTS/$name.trx
  if [ ! -f "$f" ]; then
    printf '  %-28s no TRX file (test run crashed?)\n' "$name"
    run_failed+=("$name(no trx)")
    continue
  fi
  nfiles=$((nfiles + 1))
  t=$(counter "$f" total); p=$(counter "$f" passed)
  fl=$(( $(counter "$f" failed) + $(counter "$f" error) + $(counter "$f" timeout) + $(counter "$f" aborted) ))
  # xunit skips come out as outcome="NotExecuted" but with notExecuted="0": use total - executed
  s=$(( $(counter "$f" total) - $(counter "$f" executed) ))
  ne=$(counter "$f" notExecuted); [ "$ne" -gt "$s" ] && s=$ne
  printf '  %-28s %4d total, %4d passed, %4d failed, %4d skipped\n' "$name" "$t" "$p" "$fl" "$s"
  # name the failed tests (testName="..." on <UnitTestResult ... outcome="Failed">)
  tr '\n' ' ' < "$f" | grep -o '<UnitTestResult [^>]*>' | grep -E 'outcome="(Failed|Error|Timeout|Aborted)"' |
    sed -n 's/.* testName="\([^"]*\)".*/      FAILED: \1/p' || true
  if [ "$fl" -eq 0 ] && [[ " ${run_failed[*]} " == *" $name "* ]]; then
    # the run failed without a failed result: test host crash or blame-hang kill (Sequence_*.xml)
    echo "      ABORTED: test host crashed or hung; see the blame Sequence_*.xml under $RESULTS"
    fl=1
  fi
  total=$((total + t)) passed=$((passed + p)) failed=$((failed + fl)) skipped=$((skipped + s))
done
echo "TRX files: $RESULTS ($nfiles), tests took $((SECONDS - start)) s"
echo

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"

rc=0
if [ ${#run_failed[@]} -gt 0 ]; then log "dotnet test failed for: ${run_failed[*]}"; rc=1; fi
if [ "$failed" -gt 0 ]; then rc=1; fi
if [ "$total" -eq 0 ]; then log "ERROR: zero tests ran"; rc=1; fi
exit $rc
