#!/usr/bin/env bash
# The README's test command (and what .ci/run executes): installs missing
# apt/npm dependencies and builds build/release (deploy/setup.sh), then runs
# every registered test with ctest: the C++ unit and service tests, buf lint of
# the contracts, the offline Kubernetes and Dockerfile checks, and the interop
# test against the real binaries and a real redis-server. Exits non-zero when
# anything fails. Needs no stdin; runs as root on a fresh Debian 12.
#
#   deploy/test.sh                 set up, build, run everything
#   deploy/test.sh -R k8s          extra arguments go to ctest (here: a subset)
#
# Environment: UMKM_BUILD_DIR (default build/release), UMKM_TEST_JOBS (ctest
# -j, default 2), UMKM_SKIP_SETUP=1 to reuse an existing build without
# installing or rebuilding.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${UMKM_BUILD_DIR:-build/release}"
jobs="${UMKM_TEST_JOBS:-2}"
start=$(date +%s)

banner() { printf '\n== %s\n' "$*"; }

if [ "${UMKM_SKIP_SETUP:-0}" != 1 ]; then
  banner "setup and build ($build_dir)"
  deploy/setup.sh "$build_dir"
else
  banner "UMKM_SKIP_SETUP=1: using the existing build in $build_dir"
fi
[ -f "$build_dir/CTestTestfile.cmake" ] || {
  echo "test.sh: $build_dir is not a configured build tree" >&2
  exit 1
}

banner "tests registered: $(ctest --test-dir "$build_dir" -N "$@" | sed -n 's/^Total Tests: //p')"
log="$build_dir/Testing/test-sh.log"
mkdir -p "$(dirname "$log")"
set +e
# --no-tests=error: a build that registered nothing must not pass as green.
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j"$jobs" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

closing=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
banner "summary"
echo "build dir:  $build_dir"
echo "elapsed:    $(($(date +%s) - start))s"
echo "ctest exit: $rc"
if [ "$rc" -ne 0 ]; then
  echo "FAILED tests (details above, full log in $log):"
  sed -n '/The following tests FAILED:/,/^Errors while running CTest/p' "$log" | sed '1d;$d'
fi
# ctest's own closing line last: it is what CI reads.
echo "${closing:-no ctest summary line: ctest did not run to the end}"
exit "$rc"
