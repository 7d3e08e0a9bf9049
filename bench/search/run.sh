#!/bin/bash
# Benchmark of GET /api/search (issue 11: p95 under 20 ms over 100,000 documents on SQLite;
# docs/learning.md "Search"):
#   1. a temporary SQLite database, migrated, with BENCH_DOCS generated documents (generate.py,
#      fixed seed) in search_documents; `guanbiao search reindex` builds the index (timed);
#   2. `guanbiao serve --threads 1 --access-log off`, warmed up, then latency.mjs asks the
#      queries of queries.txt (two-character words, full-width, mixed, multi-term, one finding
#      nothing) one after another for BENCH_DURATION seconds and reports p50/p95/p99;
#   3. PASS/FAIL on the p95 target; exits 1 when it fails.
# Loads only 127.0.0.1; every process started here is stopped on exit. The table is also written
# to bench/results/search-DATE.txt (ignored by git). Knobs: BENCH_DOCS (100000), BENCH_DURATION
# (10), BENCH_SEED, GUANBIAO (the binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=bench/search
docs=${BENCH_DOCS:-100000}
duration=${BENCH_DURATION:-10}
seed=${BENCH_SEED:-20261130}
bin=${GUANBIAO:-$root/build/guanbiao}
max_p95_ms=20

say() { printf '%s\n' "$*" >&2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guanbiao-bench-search.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db="sqlite:$tmp/search.db"
"$bin" migrate --db "$db" >/dev/null
t0=$(date +%s.%N)
/usr/bin/python3 "$here/generate.py" "$tmp/search.db" "$docs" "$seed"
t1=$(date +%s.%N)
reindex=$("$bin" search reindex --db "$db")
t2=$(date +%s.%N)
size_mb=$(( $(stat -c %s "$tmp/search.db") / 1048576 ))
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 1 --access-log off >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
node "$here/latency.mjs" "http://127.0.0.1:$port" "$here/queries.txt" 2 >/dev/null   # warm-up
result=$(node "$here/latency.mjs" "http://127.0.0.1:$port" "$here/queries.txt" "$duration")
p95=$(printf '%s' "$result" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["p95"])')
verdict=$(/usr/bin/python3 -c "print('PASS' if $p95 < $max_p95_ms else 'FAIL')")
table=$(printf 'search benchmark, %s documents (SQLite, %s MB)\n' "$docs" "$size_mb"
        printf '  generate: %.1f s   reindex: %.1f s %s\n' "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$reindex"
        printf '  queries (sequential, %s s): %s\n' "$duration" "$result"
        printf '  p95 %.2f ms < %s ms: %s\n' "$p95" "$max_p95_ms" "$verdict")
printf '%s\n' "$table"
mkdir -p bench/results
printf '%s\n' "$table" >"bench/results/search-$(date -u +%Y%m%dT%H%M%SZ).txt"
[ "$verdict" = PASS ]
