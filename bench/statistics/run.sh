#!/bin/bash
# Benchmark of the statistics dashboards (docs/statistics.md), GET /api/statistics/{learning,
# certification,effectiveness,feedback} for the national regulator (the whole country, the
# default twelve months: the widest and slowest answer of each):
#   1. a temporary SQLite database seeded with --demo --scale BENCH_SCALE (20); the seed is timed;
#   2. `guanbiao serve --threads 1 --access-log off`, signed in as a national regulator made for
#      the run; each dashboard warmed up, then wrk -t1 -cBENCH_CONNECTIONS (4) -dBENCH_DURATION
#      (10 s) --timeout 30s --latency (a slow answer is measured, not dropped); a dashboard that
#      is not on this branch (404) is skipped with a note;
#   3. the ceiling in the same run: bench/certificates/ceiling.c (one h2o loop) answering the
#      certification dashboard's JSON from memory under the same wrk: what HTTP alone costs here;
#   4. a table: p50, p99 and requests/s of each, and the ratio of its p50 to the ceiling's.
# No target: the numbers are for docs/statistics.md. Not part of `make test`. Loads only
# 127.0.0.1; every process started here is stopped on exit. The table is also written to
# bench/results/statistics-DATE.txt (ignored by git). Knobs: BENCH_SCALE, BENCH_DURATION,
# BENCH_CONNECTIONS, GUANBIAO (the binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=bench/statistics
scale=${BENCH_SCALE:-20}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-4}
bin=${GUANBIAO:-$root/build/guanbiao}
dashboards=(learning certification effectiveness feedback)

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }
for tool in wrk cc pkg-config curl; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (scripts/setup.sh test installs it)"
done
[ -x "$bin" ] || die "no server binary at $bin (ninja -C build)"

# --- everything started here is stopped on exit ---------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guanbiao-bench-statistics.XXXXXX")
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

# --- 1. data ----------------------------------------------------------------------------------
db="sqlite:$tmp/statistics.db"
say "bench: seeding a database at scale $scale"
t0=$(date +%s%N)
"$bin" seed --demo --scale "$scale" --db "$db" >"$tmp/seed.log" 2>&1 || { tail -n 20 "$tmp/seed.log" >&2; die "seed failed"; }
t1=$(date +%s%N)
seed_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
printf 'bench-password-1\n' | "$bin" user add bench-national --role regulator --name 基准 --region 000000 --db "$db" >/dev/null
counts=$(sqlite3 "$tmp/statistics.db" "SELECT (SELECT COUNT(*) FROM enterprises) || ' enterprises, ' ||
    (SELECT COUNT(*) FROM certificates) || ' certificates, ' || (SELECT COUNT(*) FROM engagements) || ' engagements, ' ||
    (SELECT COUNT(*) FROM nonconformities) || ' nonconformities, ' || (SELECT COUNT(*) FROM effectiveness_results) ||
    ' effectiveness results'" 2>/dev/null || echo "counts unavailable (no sqlite3)")
say "bench: seed took $seed_s s; $counts"

# --- 2. the dashboards --------------------------------------------------------------------------
port=$(free_port)
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 1 --access-log off >"$tmp/serve.log" 2>&1 &
pids+=($!)
server_pid=$!
wait_up "http://127.0.0.1:$port/healthz"
curl -s -c "$tmp/jar" -H 'Content-Type: application/json' -d '{"login":"bench-national","password":"bench-password-1"}' \
    "http://127.0.0.1:$port/api/session" >/dev/null
BENCH_COOKIE="gb_session=$(awk '$6 == "gb_session" { print $7 }' "$tmp/jar")"
export BENCH_COOKIE
measured=()
skipped=()
for d in "${dashboards[@]}"; do
    url="http://127.0.0.1:$port/api/statistics/$d"
    status=$(curl -s -o "$tmp/$d.json" -w '%{http_code}' -H "Cookie: $BENCH_COOKIE" "$url")
    if [ "$status" = 404 ]; then
        skipped+=("$d")
        say "bench: $d: 404 (not merged on this branch): skipped"
        continue
    fi
    [ "$status" = 200 ] || die "GET /api/statistics/$d: status $status: $(head -c 300 "$tmp/$d.json")"
    # one request alone, then the load
    one=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $BENCH_COOKIE" "$url")
    printf '%s' "$one" >"$tmp/$d.one"
    say "bench: $d: $(wc -c <"$tmp/$d.json") bytes; wrk -t1 -c$connections -d${duration}s --latency"
    wrk -t1 -c"$connections" -d2s --timeout 30s -s "$here/get.lua" "$url" >/dev/null                # warm-up
    wrk -t1 -c"$connections" -d"${duration}s" --timeout 30s --latency -s "$here/get.lua" "$url" >"$tmp/wrk-$d.txt" 2>&1
    measured+=("$d")
done
[ "${#measured[@]}" -gt 0 ] || die "no dashboard answered"
stop_pid "$server_pid"

# --- 3. the ceiling -----------------------------------------------------------------------------
# shellcheck disable=SC2046
cc -O2 -std=gnu11 -o "$tmp/ceiling" bench/certificates/ceiling.c $(pkg-config --cflags --libs libh2o-evloop) \
    -lssl -lcrypto -lz 2>/dev/null || die "cannot build the ceiling (libh2o-evloop)"
sample=${measured[0]}
for d in "${measured[@]}"; do [ "$d" = certification ] && sample=certification; done
cport=$(free_port)
"$tmp/ceiling" "$cport" "$tmp/$sample.json" "application/json; charset=utf-8" >/dev/null 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$cport/"
wrk -t1 -c"$connections" -d2s --timeout 30s -s "$here/get.lua" "http://127.0.0.1:$cport/api/statistics/$sample" >/dev/null
wrk -t1 -c"$connections" -d"${duration}s" --timeout 30s --latency -s "$here/get.lua" "http://127.0.0.1:$cport/api/statistics/$sample" \
    >"$tmp/wrk-ceiling.txt" 2>&1

# --- 4. the table -------------------------------------------------------------------------------
c50=$(ms 50% <"$tmp/wrk-ceiling.txt"); c99=$(ms 99% <"$tmp/wrk-ceiling.txt")
crps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk-ceiling.txt")
table=$(
    printf 'statistics dashboards benchmark (%s, %s CPUs, commit %s)\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" \
        "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    printf 'data: seed --demo --scale %s (%s s): %s\n' "$scale" "$seed_s" "$counts"
    printf 'load: wrk -t1 -c%s -d%ss --latency after a 2 s warm-up; the server with one loop thread; national regulator, defaults\n' \
        "$connections" "$duration"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    printf 'load average after the run: %s (a shared machine: compare ratios)\n\n' "$load"
    printf '%-15s %10s %10s %10s %12s %10s %12s\n' dashboard bytes p50 p99 requests/s alone "p50/ceiling"
    for d in "${measured[@]}"; do
        p50=$(ms 50% <"$tmp/wrk-$d.txt"); p99=$(ms 99% <"$tmp/wrk-$d.txt")
        rps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk-$d.txt")
        errs=$(awk '/Non-2xx|Socket errors/ { print }' "$tmp/wrk-$d.txt")
        ratio=$(awk -v a="$p50" -v b="$c50" 'BEGIN { printf "%.0fx", (b > 0) ? a / b : 0 }')
        alone=$(awk -v s="$(cat "$tmp/$d.one")" 'BEGIN { printf "%.2f ms", s * 1000 }')
        printf '%-15s %10s %8s ms %7s ms %12s %10s %12s %s\n' "$d" "$(wc -c <"$tmp/$d.json")" "$p50" "$p99" "$rps" \
            "$alone" "$ratio" "$errs"
    done
    printf '%-15s %10s %8s ms %7s ms %12s %10s %12s\n' "ceiling" "$(wc -c <"$tmp/$sample.json")" "$c50" "$c99" "$crps" "" "1x"
    for d in "${skipped[@]}"; do
        printf 'skipped: /api/statistics/%s (404: that dashboard is not merged on this branch)\n' "$d"
    done
)
printf '%s\n' "$table"
mkdir -p bench/results
printf '%s\n' "$table" >"bench/results/statistics-$(date -u +%Y%m%dT%H%M%SZ).txt"
