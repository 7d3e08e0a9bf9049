#!/bin/bash
# Benchmark of the fair-policy checker (issue 12: checking a 50,000-character policy takes under
# 50 ms; docs/policies.md "Rules and the checker"):
#   1. generate.py writes a policy of BENCH_CHARS (50,000) characters from the corpus's passages
#      (fixed seed), about a fifth of them breaking a rule;
#   2. the checker's own time: checker_time.c, built against the project's static libraries,
#      compiles the shipped rules once and checks the text BENCH_ROUNDS times (no HTTP, no
#      database);
#   3. POST /api/policy-checks: a temporary SQLite database, a national regulator's account,
#      `guanbiao serve --threads 1 --access-log off`, signed in, warmed up, then wrk -t1 -c1
#      (one check after another: the latency of one check) for BENCH_DURATION seconds;
#   4. the ceiling, in the same run: bench/certificates/ceiling.c (one h2o loop) answering the same
#      JSON from memory under the same wrk and the same 150 KB request body, i.e. what HTTP and
#      the body alone cost on this machine;
#   5. a table with PASS/FAIL on the target (p99 of the POST under 50 ms); exits 1 when it fails.
# Loads only 127.0.0.1; every process started here is stopped on exit. The table is also written
# to bench/results/policy-DATE.txt (ignored by git). Knobs: BENCH_CHARS, BENCH_DURATION (10),
# BENCH_ROUNDS (50), BENCH_SEED, GUANBIAO (the binary; the static libraries are taken from
# build/).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=bench/policy
chars=${BENCH_CHARS:-50000}
duration=${BENCH_DURATION:-10}
rounds=${BENCH_ROUNDS:-50}
seed=${BENCH_SEED:-20261130}
bin=${GUANBIAO:-$root/build/guanbiao}
max_ms=50

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }
for tool in wrk cc pkg-config curl; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (scripts/setup.sh test installs it)"
done
[ -x "$bin" ] || die "no server binary at $bin (ninja -C build)"
[ -f build/libguanbiao_domain.a ] || die "no build/libguanbiao_domain.a (ninja -C build)"

# --- everything started here is stopped on exit ---------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guanbiao-bench-policy.XXXXXX")
pids=()
stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        stop_pid "$pid"
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; die "$1 did not answer"; }
# wrk's latency line ("50%  12.34ms") in milliseconds
ms() { awk -v p="$1" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f }'; }

# --- 1. the policy ----------------------------------------------------------------------------
made=$(/usr/bin/python3 "$here/generate.py" "$tmp/policy.txt" "$tmp/body.json" "$chars" "$seed")
say "bench: a policy of $made characters ($(wc -c <"$tmp/policy.txt") bytes)"

# --- 2. the checker alone ---------------------------------------------------------------------
# shellcheck disable=SC2046
cc -O2 -std=gnu17 -Isrc -o "$tmp/checker_time" "$here/checker_time.c" build/libguanbiao_domain.a \
    build/libguanbiao_core.a $(pkg-config --cflags --libs jansson libpcre2-8 libutf8proc) -lm ||
    die "cannot build checker_time.c"
alone=$("$tmp/checker_time" "$tmp/policy.txt" "$rounds")
alone_mean=$(printf '%s' "$alone" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["mean_ms"])')

# --- 3. POST /api/policy-checks -------------------------------------------------------------
db="sqlite:$tmp/policy.db"
"$bin" migrate --db "$db" >/dev/null
printf 'bench-password-1\n' | "$bin" user add bench --role regulator --name 基准 --region 000000 --db "$db" >/dev/null
port=$(free_port)
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 1 --access-log off >"$tmp/serve.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$port/healthz"
session=$(curl -s -c "$tmp/jar" -H 'Content-Type: application/json' \
    -d '{"login":"bench","password":"bench-password-1"}' "http://127.0.0.1:$port/api/session")
BENCH_CSRF=$(printf '%s' "$session" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
BENCH_COOKIE="gb_session=$(awk '$6 == "gb_session" { print $7 }' "$tmp/jar")"
BENCH_BODY="$tmp/body.json"
export BENCH_CSRF BENCH_COOKIE BENCH_BODY
curl -sf -H "Cookie: $BENCH_COOKIE" -H "X-CSRF-Token: $BENCH_CSRF" -H 'Content-Type: application/json' \
    --data-binary "@$tmp/body.json" -o "$tmp/answer.json" "http://127.0.0.1:$port/api/policy-checks" ||
    die "the check failed: $(tail -n 5 "$tmp/serve.log")"
findings=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$tmp/answer.json")
wrk -t1 -c1 -d2s -s "$here/post.lua" "http://127.0.0.1:$port" >/dev/null        # warm-up
wrk -t1 -c1 -d"${duration}s" --latency -s "$here/post.lua" "http://127.0.0.1:$port" >"$tmp/project.txt"
cp "$tmp/project.txt" "${BENCH_KEEP_WRK:-/dev/null}" 2>/dev/null || true
stop_pid "${pids[0]}"

# --- 4. the ceiling ---------------------------------------------------------------------------
# shellcheck disable=SC2046
cc -O2 -std=gnu11 -o "$tmp/ceiling" bench/certificates/ceiling.c $(pkg-config --cflags --libs libh2o-evloop) \
    -lssl -lcrypto -lz 2>/dev/null || die "cannot build the ceiling (libh2o-evloop)"
cport=$(free_port)
"$tmp/ceiling" "$cport" "$tmp/answer.json" "application/json; charset=utf-8" >/dev/null 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$cport/"
wrk -t1 -c1 -d2s -s "$here/post.lua" "http://127.0.0.1:$cport" >/dev/null
wrk -t1 -c1 -d"${duration}s" --latency -s "$here/post.lua" "http://127.0.0.1:$cport" >"$tmp/ceiling.txt"

# --- 5. the table -----------------------------------------------------------------------------
p50=$(ms 50% <"$tmp/project.txt"); p99=$(ms 99% <"$tmp/project.txt")
c50=$(ms 50% <"$tmp/ceiling.txt"); c99=$(ms 99% <"$tmp/ceiling.txt")
rps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/project.txt")
crps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/ceiling.txt")
verdict=$(awk -v a="$p99" -v m="$max_ms" 'BEGIN { print (a < m) ? "PASS" : "FAIL" }')
table=$(printf 'policy checker benchmark, a policy of %s characters, %s findings (%s, %s CPUs)\n' \
            "$made" "$findings" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)"
        printf '  the checker alone (%s rounds): %s\n' "$rounds" "$alone"
        printf '  POST /api/policy-checks, one at a time for %s s: p50 %s ms, p99 %s ms, %s checks/s\n' \
            "$duration" "$p50" "$p99" "$rps"
        printf '  ceiling (ceiling.c, the same body and answer from memory): p50 %s ms, p99 %s ms, %s/s\n' \
            "$c50" "$c99" "$crps"
        printf '  p99 %s ms < %s ms: %s (the checker alone: mean %s ms)\n' "$p99" "$max_ms" "$verdict" "$alone_mean")
printf '%s\n' "$table"
mkdir -p bench/results
printf '%s\n' "$table" >"bench/results/policy-$(date -u +%Y%m%dT%H%M%SZ).txt"
[ "$verdict" = PASS ]
