#!/bin/sh
# Builds the libFuzzer harnesses (build-fuzz: clang, ASan + UBSan) when needed and runs each one
# for N seconds (default 30) over a copy of its seed corpus, so the committed corpus is never
# written to. Prints "fuzz_NAME: RUNS runs, ok" per harness; exits non-zero on a crash, leak,
# timeout or failed check, leaving the crashing input in build-fuzz/artifacts/.
#
#   tests/fuzz/run.sh [SECONDS]
set -eu

seconds=${1:-30}
case $seconds in
    '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz
cd "$root"

if [ ! -f "$build/build.ninja" ]; then
    rm -rf "$build"             # a set-up that failed half-way leaves a directory meson refuses
    CC=${FUZZ_CC:-clang} meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
        --buildtype=debugoptimized >"${TMPDIR:-/tmp}/guanbiao-fuzz-setup.log" 2>&1 || {
        cat "${TMPDIR:-/tmp}/guanbiao-fuzz-setup.log" >&2
        exit 1
    }
fi

harnesses=
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    harnesses="$harnesses $name"
done
# shellcheck disable=SC2086
ninja -C "$build" $harnesses >"$build/fuzz-build.log" 2>&1 || {
    tail -n 40 "$build/fuzz-build.log" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/guanbiao-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$build/artifacts"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

status=0
for name in $harnesses; do
    corpus=$work/$name-corpus
    mkdir -p "$corpus"
    seeds=tests/fuzz/corpus/${name#fuzz_}
    if [ -d "$seeds" ]; then
        cp "$seeds"/* "$corpus"/ 2>/dev/null || true
    fi
    log=$work/$name.log
    rc=0
    "$build/$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$name-" "$corpus" >"$log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
        echo "$name: ${runs:-?} runs, ok"
    else
        status=1
        echo "$name: FAILED (exit $rc); the end of its log:" >&2
        tail -n 60 "$log" >&2
        echo "$name: crashing inputs are in $build/artifacts/" >&2
    fi
done
exit $status
