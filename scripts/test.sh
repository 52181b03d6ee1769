#!/usr/bin/env bash
# Builds cordon and runs the whole test suite: lint, unit tests (ctest), integration tests against
# moto_server + the test range on 127.0.0.1 (each test class starts its own), the unit tests under
# ASan+UBSan and those that run threads under TSan (both clang, the clang build beside gcc's), clang-tidy on the files the
# newest commit changed, and a short run of every fuzzer (built in the ASan build, so that its libraries
# are compiled once for both). Usage: scripts/test.sh [--quick]
#   --quick   unit and integration tests only (no sanitizers, no clang-tidy, no fuzzing)
# Environment: CORDON_IT_JOBS (integration modules run at once, default 3),
#   CORDON_OVERLAP_ASAN=0 (build the sanitizer tests after the integration tests, not during them).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
jobs=$(nproc)
it_jobs=${CORDON_IT_JOBS:-3}
overlap_asan=${CORDON_OVERLAP_ASAN:-1}
# ccache (the compiler launcher when installed, see CMakeLists.txt) keys on paths relative to the
# clone, and ignores the working directory that -g would otherwise hash, so another clone's objects
# (a rerun, a CI cache) are reused; debug info may then name that clone's folder.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
total_start=$SECONDS

scripts/install-deps.sh || exit 1

passed=0
failed=0
failures=()
stage() {  # stage NAME COMMAND...: runs one stage, counts it, keeps going
  local name=$1
  shift
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# Shell scripts pass shellcheck, Python files pyflakes (both quick; they fail the stage, not the run).
lint() {
  local ok=0
  shellcheck scripts/*.sh demo/*.sh || ok=1
  pyflakes3 tests/ range/ bench/ || ok=1  # the Debian pyflakes: python3 may be another interpreter
  return $ok
}
# Every CI build is a unity build: CMake compiles each module's sources 16 to a file, so the heavy
# headers (nlohmann-json, fmt, CLI11, gtest) are parsed once per 16 files instead of once per file
# (the gcc build: 2405 CPU-s one file at a time, 505 CPU-s as a unity build). It needs the names in
# a module's anonymous namespaces to be distinct (CONTRIBUTING.md). Development builds compile one
# file at a time, which rebuilds faster after one change.
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16)
# Debug information as line tables only (-g1): stack traces and sanitizer reports keep file and line,
# and each build compiles about a quarter faster than with full -g (measured on this tree, gcc 12).
# -O3, as a Release build: GCC 12 warns about some code only at -O3 (its -Wrestrict false positives),
# so -Werror here keeps the build a user ships warning-free. The build type stays RelWithDebInfo
# because the integration tests need its crash-injection hooks (CORDON_TEST_HOOKS).
build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORDON_WERROR=ON "${unity[@]}" \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O3 -g1 -DNDEBUG" >/dev/null &&
    cmake --build build -j "$jobs"
}
unit() { (cd build && ctest --output-on-failure -j "$jobs" --timeout 300); }
# The integration modules CI runs (contain_smoke_test is a quick subset of these, for development);
# run one by hand with: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/NAME.py
# They are independent (each class starts its own moto/range on a free port), so run_parallel.py runs
# $it_jobs at once; each module's verbose log is kept in build/integration-logs/.
# Longest first (as measured on 2 cores), so that on a fresh clone, where run_parallel.py has no
# times.json yet, a long module does not start last.
integration_modules=(fleet_faults_test iam_quota_test policy_coverage_test watch_test regions_test organization_test organization_iam_test crash_rerun_test lab_test release_test memory_capture_test concurrency_test
  after_effect_test after_effect_options_test snapshot_resend_test allow_from_test api_parity_test cleanup_recover_test contain_test fleet_calls_test evidence_bucket_test conntrack_test nacl_test
  range_test hunt_hostile_test lambda_test
  notify_test contain_finding_test triage_test iam_policy_test
  faults_test bad_input_test command_context_test api_errors_test network_edges_test triage_hunt_test
  cli_messages_test hunt_athena_test hunt_sigma_athena_test hunt_s3_test hunt_sigma_test hunt_attribution_test sigma_lint_test
  posture_test case_report_test image_test snapshot_lock_test snapshot_wait_test plans_test cases_dir_test golden_test
  colour_test wait_notice_test install_test query_output_test credentials_error_test sso_profile_test)
integration() {
  CORDON_BIN="$root/build/src/cli/cordon" python3 tests/integration/run_parallel.py --jobs "$it_jobs" \
    --log-dir build/integration-logs "${integration_modules[@]}"
}
# Every libFuzzer target (fuzz/CMakeLists.txt).
fuzzers=(cloudtrail_reader_fuzzer flow_log_fuzzer jmespath_fuzzer shared_config_fuzzer event_fuzzer
  decompress_fuzzer findings_fuzzer scanner_budget_fuzzer host_output_fuzzer xml_response_fuzzer
  sigma_rule_fuzzer)
# clang with ASan+UBSan: the unit tests and the fuzzers from one build (the libraries the fuzzers link
# also carry libFuzzer's coverage, which costs the tests nothing), and the clang build of the tree (with
# -Werror: clang's warnings differ from gcc's). The sanitizer builds compile at -O0, which takes half
# the time of -O1 with clang 14 (measured here): the sanitizers find the same errors, the tests and the
# 20-second fuzzing runs are only slower to run.
sanitizer_flags=("-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -g1" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O0 -g1")
asan_build() {
  CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${sanitizer_flags[@]}" "${unity[@]}" \
    -DCORDON_SANITIZE=address,undefined -DCORDON_BUILD_FUZZERS=ON -DCORDON_WERROR=ON -DCORDON_BUILD_BENCH=OFF \
    >/dev/null &&
    cmake --build build-asan -j "$jobs" --target cordon_tests "${fuzzers[@]}"
}
tsan_build() {
  CC=clang CXX=clang++ cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${sanitizer_flags[@]}" "${unity[@]}" \
    -DCORDON_SANITIZE=thread -DCORDON_WERROR=ON -DCORDON_BUILD_BENCH=OFF >/dev/null &&
    cmake --build build-tsan -j "$jobs" --target cordon_thread_tests  # the tests that run threads (CMakeLists.txt)
}
# The integration tests mostly wait on moto, so the sanitizer builds and clang-tidy use the idle CPU
# meanwhile: started before them at the lowest priority, one after another (logs in build/*.log),
# each waited for by its stage.
declare -A background_pid=()
start_in_background() {  # start_in_background NAME COMMAND...
  local name=$1
  shift
  mkdir -p build
  (
    renice -n 19 -p "$BASHPID" >/dev/null
    "$@"
  ) >"build/$name.log" 2>&1 &
  background_pid[$name]=$!
}
sanitizer_builds_in_order() { asan_build && echo "=== asan built" && tsan_build; }
start_background_work() {
  ((quick == 0 && overlap_asan == 1)) || return 0
  start_in_background sanitizer-builds sanitizer_builds_in_order
  start_in_background tidy scripts/tidy.sh
}
wait_for() {  # wait_for NAME: the background job's status, its log's tail on failure
  local waited=$SECONDS
  wait "${background_pid[$1]}" || { tail -60 "build/$1.log"; return 1; }
  echo "(ran during the integration tests; waited $((SECONDS - waited)) s more)"
}
sanitizer_builds_done=""
sanitizers_built() {
  [[ -n "$sanitizer_builds_done" ]] && return "$sanitizer_builds_done"
  if [[ -n "${background_pid[sanitizer-builds]:-}" ]]; then
    wait_for sanitizer-builds
  else
    asan_build && tsan_build
  fi
  sanitizer_builds_done=$?
  return "$sanitizer_builds_done"
}
# A 64 MB stack: at -O0 under ASan each frame is several times larger, and the tests that drive the
# parsers to their nesting limits (JMESPath, JSON) overflow the default 8 MB there (not in a release build).
asan() { sanitizers_built && (cd build-asan && ulimit -s 65536 && ./cordon_tests --gtest_brief=1); }
# halt_on_error: the first race fails the stage.
tsan() {
  sanitizers_built &&
    (cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ./cordon_thread_tests --gtest_brief=1)
}
tidy() {
  if [[ -n "${background_pid[tidy]:-}" ]]; then
    wait_for tidy && cat build/tidy.log
  else
    scripts/tidy.sh
  fi
}
# Each fuzzer runs for 20 s on its own corpus folder, starting also from fuzz/seeds/NAME when there is one
# (libFuzzer reads the later folders, writes only the first), $jobs at once; its log is build-asan/NAME.log.
# An input that runs over 10 s fails the stage (-timeout), its bytes in build-asan/timeout-*. A fuzzer over
# its memory limit prints a heap profile, which for a 2 GB heap stops the process for many minutes (a
# stopped process ignores the TERM: this hung a CI run), so timeout kills it 10 s after the 120. ASan's
# quarantine of freed memory is capped at 64 MB: at its default 256 MB, with redzones and the allocator's
# caches, the Sigma fuzzer's heap grows past 900 MB in 90 s without a leak (48 MB without a quarantine).
fuzz_one() {
  local f=$1 seeds=()
  mkdir -p "build-asan/corpus/$f"
  [[ -d "fuzz/seeds/$f" ]] && seeds=("fuzz/seeds/$f")
  if ASAN_OPTIONS=quarantine_size_mb=64 timeout -k 10 120 "build-asan/fuzz/$f" -max_total_time=20 -timeout=10 \
    -print_final_stats=0 -artifact_prefix=build-asan/ "build-asan/corpus/$f" "${seeds[@]}" \
    >"build-asan/$f.log" 2>&1; then
    echo "$f: $(tail -1 "build-asan/$f.log")"
  else
    echo "$f: FAILED"
    tail -40 "build-asan/$f.log"
    return 1
  fi
}
fuzz() {
  sanitizers_built || return 1
  local ok=0 i pid pids
  for ((i = 0; i < ${#fuzzers[@]}; i += jobs)); do
    pids=()
    for f in "${fuzzers[@]:i:jobs}"; do
      fuzz_one "$f" &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || ok=1; done
  done
  return $ok
}

stage lint lint
stage build build
stage unit-tests unit
start_background_work
stage integration-tests integration
if ((quick == 0)); then
  stage asan-ubsan-unit-tests asan
  stage tsan-unit-tests tsan
  stage clang-tidy tidy
  stage fuzz fuzz
fi

echo
((failed > 0)) && echo "failed stages: ${failures[*]}"
echo "stages: $passed passed, $failed failed; total $((SECONDS - total_start)) s"
((failed == 0))
