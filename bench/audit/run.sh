#!/bin/bash
# Benchmark of what the audit log costs a write (docs/performance.md): certificate status
# changes (suspend, reinstate: POST /api/certificates/{number}/status as the admin), with and
# without the audit log, in the same run, on the same database:
#   1. a temporary SQLite database seeded at scale BENCH_SCALE (default 2: 10,000 certificates);
#   2. two servers on that database (`serve --threads 1 --access-log off`), one with
#      GUANBIAO_BENCH_NO_AUDIT=1 (audit_record writes nothing: a switch for benchmarks only), the
#      other as in production; each changes its own half of the valid certificates (reset to
#      valid after each run); a warm-up each, then BENCH_ROUNDS (3) rounds alternating between them
#      of wrk -t1 -cBENCH_CONNECTIONS -dBENCH_DURATION --latency (status.lua); medians compared;
#   3. a table; the target: with the log, at least 80 % of the throughput without it (the log
#      costs a write under 20 %). Exits 1 when it fails.
# Loads only 127.0.0.1; every process started here is stopped on exit. The table is also written
# to bench/results/audit-DATE.txt (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=bench/audit

scale=${BENCH_SCALE:-2}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-8}
warmup=${BENCH_WARMUP:-2}
rounds=${BENCH_ROUNDS:-3}
bin=${GUANBIAO:-$root/build/guanbiao}
min_ratio=80          # % of the throughput without the log

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }
for tool in wrk sqlite3 python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (scripts/setup.sh test installs it)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/guanbiao-bench-audit.XXXXXX")
pids=()
stop_pid() {   # SIGTERM, up to 10 s, then SIGKILL
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ -z "${GUANBIAO:-}" ]; then
    { [ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized; } >"$tmp/build.log" 2>&1 &&
        ninja -C build >>"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; die "cannot build the server"; }
fi
[ -x "$bin" ] || die "no server binary at $bin"

db="$tmp/bench.db"
say "bench: seeding a database at scale $scale"
"$bin" seed --demo --scale "$scale" --db "sqlite:$db" >"$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log" >&2; die "seed failed"; }
sqlite3 "$db" "SELECT number FROM certificates WHERE status = 'valid' AND expires > date('now', '+1 day') ORDER BY id" \
    >"$tmp/valid.txt"
nvalid=$(wc -l <"$tmp/valid.txt")
[ "$nvalid" -ge 400 ] || die "too few valid certificates ($nvalid)"
# two halves, one per server; after each run the certificates of its half are all made valid
# again (with sqlite3, outside the API: the servers are idle then), so that every run starts alike
half=$((nvalid / 2))
head -n "$half" "$tmp/valid.txt" >"$tmp/numbers-without.txt"
tail -n +"$((half + 1))" "$tmp/valid.txt" | head -n "$half" >"$tmp/numbers-with.txt"
for name in without with; do
    { printf "UPDATE certificates SET status = 'valid' WHERE status = 'suspended' AND number IN ("
      sed "s/.*/'&'/" "$tmp/numbers-$name.txt" | paste -sd, -
      printf ");\n"; } >"$tmp/reset-$name.sql"
done
reset() { sqlite3 -cmd '.timeout 10000' "$db" <"$tmp/reset-$1.sql"; }

# start NAME NO_AUDIT: a server and its admin session (sets port_NAME, pid_NAME, cookie_NAME, csrf_NAME)
start() {
    local name=$1 no_audit=$2 port pid i session
    port=$(free_port)
    GUANBIAO_BENCH_NO_AUDIT=$no_audit "$bin" serve --db "sqlite:$db" --listen "127.0.0.1:$port" --threads 1 \
        --access-log off >"$tmp/server-$name.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for ((i = 0; i < 100; i++)); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { cat "$tmp/server-$name.log" >&2; die "the server exited"; }
        sleep 0.1
    done
    session=$(python3 - "http://127.0.0.1:$port/api/session" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=json.dumps({"login": "admin", "password": "guanbiao-demo"}).encode(),
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    print(r.headers["Set-Cookie"].split(";")[0], json.load(r)["csrf"])
PY
) || die "cannot sign in"
    printf -v "port_$name" '%s' "$port"
    printf -v "pid_$name" '%s' "$pid"
    read -r "cookie_$name" "csrf_$name" <<<"$session"
}

# load NAME SECONDS OUT: wrk against server NAME on its half, then its half reset
load() {
    local name=$1 secs=$2 out=$3 port cookie csrf
    port=port_$name; cookie=cookie_$name; csrf=csrf_$name
    timeout $((secs + 30)) wrk -t1 -c"$connections" -d"${secs}s" --latency -s $here/status.lua \
        "http://127.0.0.1:${!port}" -- "$tmp/numbers-$name.txt" "${!cookie}" "${!csrf}" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk against $name failed"; }
    reset "$name"
}

start without 1
start with 0
for name in without with; do
    say "bench: $name: warm-up ${warmup}s"
    load "$name" "$warmup" "$tmp/warmup-$name.txt"
done
# rounds alternate, so that both see the same noise; the medians are compared
for ((r = 1; r <= rounds; r++)); do
    for name in without with; do
        say "bench: $name: wrk -t1 -c$connections -d${duration}s --latency (round $r of $rounds)"
        load "$name" "$duration" "$tmp/wrk-$name-$r.txt"
        awk '/^BENCH / { for (i = 2; i <= NF; i++) { split($i, p, "="); f[p[1]] = p[2] }
            printf "%s %s %s %s %d\n", f["rps"], f["p50_us"], f["p99_us"], f["requests"],
                f["err_connect"] + f["err_read"] + f["err_write"] + f["err_status"] + f["err_timeout"] }' \
            "$tmp/wrk-$name-$r.txt" >>"$tmp/rounds-$name.txt"
    done
done
median() { awk -v c="$2" '{ print $c }' "$tmp/rounds-$1.txt" | sort -g |
    awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
total() { awk -v c="$2" '{ s += $c } END { print s }' "$tmp/rounds-$1.txt"; }
w_rps=$(median without 1); w_p50=$(median without 2); w_p99=$(median without 3); w_n=$(total without 4); w_err=$(total without 5)
a_rps=$(median with 1); a_p50=$(median with 2); a_p99=$(median with 3); a_n=$(total with 4); a_err=$(total with 5)
entries=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.status'")
"$bin" audit verify --db "sqlite:$db" >"$tmp/verify.txt" 2>&1 && verified=1 || verified=0

ratio=$(awk -v a="$a_rps" -v b="$w_rps" 'BEGIN { printf "%.1f", 100 * a / b }')
ok=$(awk -v r="$ratio" -v m="$min_ratio" 'BEGIN { print (r >= m) ? 1 : 0 }')
ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
report=$(
    echo "Guanbiao benchmark: the audit log's cost on certificate status changes, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $(nproc) CPUs; $(uname -sr)"
    echo "data: seed --demo --scale $scale; $half valid certificates per server, each suspended then reinstated in turn"
    echo "load: wrk -t1 -c$connections -d${duration}s after ${warmup}s; SQLite; one loop thread; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "medians of $rounds rounds each, alternating; per round (changes/s p50_us p99_us requests errors):"
    sed 's/^/  without  /' "$tmp/rounds-without.txt"
    sed 's/^/  with     /' "$tmp/rounds-with.txt"
    echo
    printf '%-16s %12s %10s %10s %10s %8s\n' run changes/s p50 p99 requests errors
    printf '%-16s %12.0f %10s %10s %10s %8s\n' "without the log" "$w_rps" "$(ms "$w_p50")" "$(ms "$w_p99")" "$w_n" "$w_err"
    printf '%-16s %12.0f %10s %10s %10s %8s\n' "with the log" "$a_rps" "$(ms "$a_p50")" "$(ms "$a_p99")" "$a_n" "$a_err"
    echo
    echo "with the log: $ratio % of the throughput without it; $entries certificate.status entries; chain verified: $([ "$verified" -eq 1 ] && echo yes || echo NO)"
    printf '%-44s %-10s %s\n' "with the log >= $min_ratio % of without" "$ratio %" "$([ "$ok" -eq 1 ] && echo PASS || echo FAIL)"
    printf '%-44s %-10s %s\n' "the chain verifies after the run" "" "$([ "$verified" -eq 1 ] && echo PASS || echo FAIL)"
)
mkdir -p bench/results
out="bench/results/audit-$(date +%Y-%m-%d-%H%M%S).txt"
echo "$report" | tee "$out"
grep -q ' FAIL$' <<<"$report" && exit 1
exit 0
