#!/bin/bash
# Runs every test suite and ends with one line: `N passed, N failed`, counting every test of
# every suite (cmocka units, API tests on SQLite and on PostgreSQL, browser tests, the units
# and the API tests again under ASan+UBSan, and a short run of each fuzz harness). Logs go to build/test-logs/.
# A test file whose server exits uncleanly (a sanitizer report, a crash) fails even when all of
# its tests passed: node counts no test then, so the suite's non-zero exit counts as one failure.
# Two lanes run side by side (the machine has two cores): the plain suites, and the sanitized
# builds with their suites and the fuzzers. TEST_LANES=1 runs everything one after another.
set -u
cd "$(dirname "$0")/.."
logs=build/test-logs
mkdir -p "$logs"
TEST_LANES=${TEST_LANES:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}

# add the counts of a TAP log: cmocka's "ok N"/"not ok N" lines, or node's "# pass N"/"# fail N"
count_tap() {
    local log=$1 p f
    if grep -q '^# pass ' "$log"; then
        p=$(grep '^# pass ' "$log" | tail -1 | awk '{print $3}')
        f=$(grep '^# fail ' "$log" | tail -1 | awk '{print $3}')
    else
        p=$(grep -c '^ok ' "$log" || true)
        f=$(grep -c '^not ok ' "$log" || true)
    fi
    echo "${p:-0} ${f:-0}"
}

failure_details() {   # the failed tests of a log with their reasons (node's YAML blocks), for CI's tail
    local log=$1
    if grep -qE '^ *not ok ' "$log"; then
        grep -E -A 24 '^ *not ok ' "$log" | grep -vE '^ *(ok |# Subtest)' | head -120
    else
        tail -40 "$log"
    fi
}

suite() {   # suite NAME COMMAND...: runs it, counts its tests; a crash with no count is one failure
    local name=$1; shift
    local log="$logs/$name.log" start=$SECONDS
    "$@" >"$log" 2>&1
    local rc=$?
    read -r p f < <(count_tap "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "  (no test ran)" >>"$log"; fi
    echo "$p $f" >"$logs/$name.result"
    printf '%-14s %4d passed %3d failed  (%ds)  %s\n' "$name" "$p" "$f" $((SECONDS - start)) "$log"
    if [ "$f" -ne 0 ]; then failure_details "$log" | sed 's/^/    /'; fi
}

units() {   # units BUILD_DIR: every unit-test binary, TAP output
    local dir=$1 rc=0
    for t in "$dir"/test_*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        CMOCKA_MESSAGE_OUTPUT=TAP "$t" || rc=1
    done
    return $rc
}

api() {     # api DBKIND
    GUANBIAO_TEST_DB=$1 node --test --test-reporter=tap --test-concurrency=1 tests/api/
}

sanitized_units() {
    [ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
        --buildtype=debug >/dev/null || return 1
    ninja -C build-asan >/dev/null || return 1
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 units build-asan
}

# The API suite against the sanitized server binary: memory errors, undefined behaviour and
# leaks in the real request paths fail tests. The harness (tests/lib/platform.mjs) runs every
# server with leak detection, full stacks and tests/lsan.supp (h2o's own set-up allocations,
# named one by one), and fails the test file when a server exits non-zero, with its report.
sanitized_api() {
    [ -x build-asan/guanbiao ] || return 1
    GUANBIAO_BIN=build-asan/guanbiao node --test --test-reporter=tap --test-concurrency=1 tests/api/
}

fuzz() {    # one TAP line per harness: tests/fuzz/run.sh prints "fuzz_NAME: N runs, ok" or "…: FAILED"
    local rc=0 k=0 line
    while IFS= read -r line; do
        case $line in
            fuzz_*", ok") k=$((k + 1)); echo "ok $k - $line (${FUZZ_SECONDS}s)" ;;
            fuzz_*": FAILED"*) k=$((k + 1)); echo "not ok $k - $line"; rc=1 ;;
            *) echo "# $line" ;;
        esac
    done < <(tests/fuzz/run.sh "$FUZZ_SECONDS" 2>&1)
    [ "$k" -gt 0 ] || rc=1
    return $rc
}

plain_lane() {
    suite unit units build
    suite api-sqlite api sqlite
    suite api-postgres api postgres
    suite e2e node --test --test-reporter=tap --test-concurrency=1 tests/e2e/
}

sanitized_lane() {
    suite unit-asan sanitized_units
    suite api-asan sanitized_api
    suite fuzz fuzz
}

names="unit api-sqlite api-postgres e2e unit-asan api-asan fuzz"
for name in $names; do rm -f "$logs/$name.result"; done
if [ "$TEST_LANES" -ge 2 ]; then
    plain_lane &
    sanitized_lane &
    wait
else
    plain_lane
    sanitized_lane
fi

passed=0
failed=0
for name in $names; do
    read -r p f 2>/dev/null <"$logs/$name.result" || { p=0; f=1; echo "$name: no result (the suite did not finish)"; }
    passed=$((passed + p)); failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
