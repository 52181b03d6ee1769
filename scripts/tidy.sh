#!/usr/bin/env bash
# clang-tidy (the checks in .clang-tidy, every warning an error) on the C++ files a change touched: by
# default the files the newest commit changed, or with CORDON_TIDY_BASE=REV every file changed since
# REV (e.g. origin/main before pushing a branch). Headers are checked through the files that include
# them. Needs build/compile_commands.json, which scripts/test.sh's build stage writes.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
base=${CORDON_TIDY_BASE:-HEAD~1}
[[ -f build/compile_commands.json ]] || { echo "tidy: build/compile_commands.json missing; build first" >&2; exit 1; }
# A unity build's database (scripts/test.sh) names only the generated unity files, not the sources:
# configure, without building, a one-file-at-a-time tree in build-tidy/ and read the commands there.
db=build
if grep -q '/Unity/unity_' build/compile_commands.json; then
  db=build-tidy
  [[ -f $db/compile_commands.json ]] ||
    cmake -S . -B "$db" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=OFF >/dev/null || exit 1
fi
# Fuzzers are built only in build-asan (clang with libFuzzer), so build/ has no compile command for them.
mapfile -t files < <(git diff --name-only --diff-filter=AM "$base" -- 'src/*.cc' 'bench/*.cc' | grep -v '_fuzzer\.cc$')
if ((${#files[@]} == 0)); then
  echo "tidy: no C++ source changed since $base"
  exit 0
fi
echo "tidy: ${#files[@]} files changed since $(git rev-parse --short "$base")"
failed=0
for f in "${files[@]}"; do
  [[ -f "$f" ]] || continue
  # The database is gcc's: clang does not know some of its warning flags (-Wno-restrict).
  if ! out=$(clang-tidy -p "$db" --quiet --warnings-as-errors='*' --extra-arg=-Wno-unknown-warning-option "$f" 2>&1); then
    grep -E "(warning|error):" <<<"$out"
    failed=$((failed + 1))
  fi
done
((failed == 0)) && echo "tidy: clean" || echo "tidy: $failed files with findings"
((failed == 0))
