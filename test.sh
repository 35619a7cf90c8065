#!/usr/bin/env bash
# Every test, from a clean clone: install what is missing, build, run, and
# print a summary. Exits non-zero if anything failed.
#
# Steps: format check; Release build with warnings as errors; unit and
# integration tests (ctest), including the differential test against Python
# jieba; unit tests under ASan+UBSan; the threaded code under TSan; a short
# smoke run of every libFuzzer target.
set -uo pipefail
cd "$(dirname "$0")"

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
# The public GB/T 2260 revision files, when the checkout sits beside shared/
# (as in CI); region tests that need them say so and skip otherwise.
if [[ -z "${BAOGAO_GB2260_DIR:-}" && -d ../shared/data/gb2260/mca ]]; then
  export BAOGAO_GB2260_DIR="$PWD/../shared/data/gb2260/mca"
fi
results=()
failed=0

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed_logs=()

step() {  # step NAME COMMAND...
  local name=$1
  shift
  echo
  echo "=== $name"
  local t0=$SECONDS log
  log="$logs/step${#results[@]}.log"
  "$@" 2>&1 | tee "$log"
  if [[ ${PIPESTATUS[0]} -eq 0 ]]; then
    results+=("PASS  $(printf '%4ds' $((SECONDS - t0)))  $name")
  else
    results+=("FAIL  $(printf '%4ds' $((SECONDS - t0)))  $name")
    failed=$((failed + 1))
    failed_logs+=("$name"$'\t'"$log")
  fi
}

# The lines of a failed step's log that say why: failed tests and their
# assertions (gtest's, and the integration harness's "FAILED" checks), the
# first sanitizer report, compiler errors. Printed after the
# summary, so that the end of a long CI log names the failure.
why_failed() {  # LOG
  awk '
    /WARNING: ThreadSanitizer|Sanitizer:DEADLYSIGNAL|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|==ERROR: libFuzzer|terminate called|pure virtual method/ {
      if (!san) { san = 1; left = 45; if (run != "") print run } }
    /^\[ RUN / { run = $0 }
    /: Failure$/ && failures < 8 { failures++; left = left > 7 ? left : 7 }
    /^FAILED / && checks < 10 { checks++; left = left > 2 ? left : 2 }
    left > 0 { print; left--; next }
    / error: |\[  FAILED  \]|\*\*\*(Failed|Timeout|Exception)/ && other < 30 { other++; print }
  ' "$1" | head -150
}

format_check() {
  local files
  files=$(git ls-files '*.cc' '*.h' 2>/dev/null || find src apps tests bench fuzz -name '*.cc' -o -name '*.h')
  # shellcheck disable=SC2086
  clang-format-14 --dry-run --Werror $files
}

configure_and_build() {  # preset [targets...]
  local preset=$1
  shift
  if [[ ! -f build/$preset/build.ninja ]]; then
    cmake --preset "$preset" >/dev/null || return 1
  fi
  if [[ $# -gt 0 ]]; then
    cmake --build "build/$preset" --target "$@"
  else
    cmake --build "build/$preset"
  fi
}

ctest_release() {
  (cd build/release && ctest --output-on-failure --timeout 900 -j2)
}

asan_tests() {
  configure_and_build asan || return 1
  (cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest -L unit -j2 --output-on-failure --timeout 900)
}

tsan_tests() {
  configure_and_build tsan segment_test search_test search_rebuild_test web_server_test site_test \
    baogao_dict china_division_data || return 1
  local rc=0
  TSAN_OPTIONS=halt_on_error=1 build/tsan/bin/segment_test --gtest_filter='ThreadsTest.*' || rc=1
  # The index follower and the build pipeline; searchers on several threads
  # (no shared query state); the server's I/O threads, worker pool and
  # graceful stop.
  TSAN_OPTIONS=halt_on_error=1 build/tsan/bin/search_test \
    --gtest_filter='SearchTest.Follow*:SearchTest.Rebuild*:SearchTest.AnUnrefreshed*:SearchTest.SearchersOnSeveral*' || rc=1
  TSAN_OPTIONS=halt_on_error=1 build/tsan/bin/web_server_test || rc=1
  # Rebuild shards on parallel threads; the site's page cache, one render
  # per page (concurrent misses wait), the view-count flusher thread.
  TSAN_OPTIONS=halt_on_error=1 build/tsan/bin/search_rebuild_test || rc=1
  TSAN_OPTIONS=halt_on_error=1 build/tsan/bin/site_test \
    --gtest_filter='SiteTest.Concurrent*:SiteTest.Views*:SiteTest.ViewCounts*' || rc=1
  return $rc
}

fuzz_smoke() {
  # Only the fuzz targets (and what they link): the rest of the tree is
  # covered by the other builds.
  configure_and_build fuzz $(sed -n 's/^ *set(BAOGAO_FUZZ_TARGETS \(.*\))/\1/p' fuzz/CMakeLists.txt) || return 1
  local rc=0 work status
  for t in $(sed -n 's/^ *set(BAOGAO_FUZZ_TARGETS \(.*\))/\1/p' fuzz/CMakeLists.txt); do
    work=$(mktemp -d)
    cp "fuzz/corpus/${t%_fuzz}"/* "$work"/
    echo "--- $t for ${FUZZ_SECONDS}s"
    BAOGAO_DICT="$PWD/build/fuzz/share/baogao/jieba.bgd" \
      "build/fuzz/bin/$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 "$work" >"$work.log" 2>&1
    status=$?
    grep -E "^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)|runtime error" "$work.log"
    if [[ $status -ne 0 ]]; then
      echo "$t failed (exit $status); the end of its log:"
      tail -40 "$work.log"
      rc=1
    fi
    rm -rf "$work" "$work.log"
  done
  return $rc
}

step "setup (Debian packages)" scripts/setup.sh test
step "clang-format 14" format_check
step "build (Release, -Werror)" scripts/build.sh
step "ctest: unit + integration (incl. differential vs Python jieba)" ctest_release
step "unit tests under ASan+UBSan" asan_tests
step "threads under TSan (segmenter, index follower, searchers, rebuild shards, server, site)" tsan_tests
step "libFuzzer smoke (${FUZZ_SECONDS}s per target)" fuzz_smoke

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
for entry in "${failed_logs[@]}"; do
  echo
  echo "=== why it failed: ${entry%%$'\t'*}"
  why_failed "${entry#*$'\t'}"
done
echo
echo "steps: $(( ${#results[@]} - failed )) passed, $failed failed"
[[ $failed -eq 0 ]]
