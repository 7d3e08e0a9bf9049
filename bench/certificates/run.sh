#!/bin/bash
# Benchmark of GET /api/certificates/{number} (the public verification, the platform's hottest
# path) and of three public lists, GET /api/bodies, GET /api/commitments (the catalogue) and
# GET /api/rankings, each against its own ceiling in the same run (docs/performance.md); all
# answered from the answer cache (docs/cache.md):
#   1. a temporary SQLite database seeded at scale 20 (100,000 certificates); the seed is timed;
#   2. `guanbiao serve --threads 1 --access-log off`, warmed up, then wrk -t1 -c100 -d10s
#      --latency with random existing numbers (random.lua, fixed seed); RSS read after the run;
#   3. the ceiling: ceiling.c (one h2o loop) serving one real certificate's JSON from memory
#      with the same Content-Type, under the same wrk; the same for each list (a few pages and
#      filters, LIST.txt) against a ceiling serving its first answer;
#   4. a table with PASS/FAIL per target; exits 1 when a target fails.
# Loads only 127.0.0.1; every process started here is stopped on exit. The table is also
# written to bench/results/certificates-DATE.txt (ignored by git).
# Knobs (defaults are the benchmark; change them only to experiment): BENCH_SCALE,
# BENCH_DURATION, BENCH_CONNECTIONS, BENCH_WARMUP, BENCH_SEED, GUANBIAO (the binary),
# BENCH_CACHE_MB (the server's --cache-mb, default 96: every verification asked for; 0: no answer
# cache; the RSS target counts the server without the cache's bytes), and
# BENCH_ROUNDS (default 1): more rounds alternate project and ceiling and report medians, for a
# busy machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=bench/certificates

scale=${BENCH_SCALE:-20}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-100}
warmup=${BENCH_WARMUP:-3}
seed=${BENCH_SEED:-20261125}
rounds=${BENCH_ROUNDS:-1}
bin=${GUANBIAO:-$root/build/guanbiao}

# targets (from the issue)
min_ratio=80          # verification requests/s, % of the ceiling's (issue 8: >= 0.8 x the ceiling)
min_list_ratio=50     # each list's requests/s, % of its ceiling's (issue 8: catalogue and ranking within 2x)
# the answer cache (docs/cache.md): 96 MB holds every verification the run asks for (about
# 63,000 answers of ~870 bytes); the server's default, 32 MB, holds about 40,000
cache_mb=${BENCH_CACHE_MB:-96}
max_p99_ms=10
max_rss_mb=64         # without the answer cache's own bytes (its bound is --cache-mb)
max_seed_s=60

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }

for tool in wrk cc pkg-config python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (scripts/setup.sh test installs it)"
done

# --- everything started here is stopped on exit ---------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guanbiao-bench.XXXXXX")
pids=()
stop_pid() {   # stop_pid PID: SIGTERM, up to 10 s, then SIGKILL; returns the exit status
    local pid=$1 i rc=0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || rc=$?; return $rc; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "bench: process $pid ignored SIGTERM for 10 s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || rc=$?
    return $rc
}
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        stop_pid "$pid" >/dev/null 2>&1 || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# http_get URL [BODY_FILE]: exits non-zero unless the answer is 2xx; prints the Content-Type
http_get() {
    python3 - "$@" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    body = r.read()
    if len(sys.argv) > 2:
        open(sys.argv[2], "wb").write(body)
    print(r.headers.get("Content-Type", ""))
PY
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_ready() {   # wait_ready URL PID LOG: up to 10 s for an answer
    local url=$1 pid=$2 log=$3 i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "the server at $url exited"; }
        http_get "$url" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    cat "$log" >&2
    die "no answer from $url after 10 s"
}

# --- build what the benchmark needs ---------------------------------------------------------
build_server() {
    [ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized || return 1
    ninja -C build
}
if [ -z "${GUANBIAO:-}" ] && ! build_server >"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log" >&2
    die "cannot build the server"
fi
[ -x "$bin" ] || die "no server binary at $bin"
# shellcheck disable=SC2046
cc -O2 -std=gnu11 -Wall -o "$tmp/ceiling" $here/ceiling.c $(pkg-config --cflags --libs libh2o-evloop) \
    || die "cannot build the ceiling (needs libh2o-evloop-dev)"

# --- 1. data --------------------------------------------------------------------------------
db="sqlite:$tmp/bench.db"
say "bench: seeding a database at scale $scale"
t0=$(date +%s%N)
"$bin" seed --demo --scale "$scale" --db "$db" >"$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log" >&2; die "seed failed"; }
t1=$(date +%s%N)
seed_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
"$bin" export certificates --db "$db" 2>"$tmp/export.log" | tail -n +2 | cut -d, -f1 >"$tmp/numbers.txt"
ncert=$(wc -l <"$tmp/numbers.txt")
say "bench: seed took $seed_s s; $ncert certificates"
[ "$ncert" -ge 100000 ] || say "bench: warning: fewer than 100,000 certificates ($ncert)"
[ "$ncert" -gt 0 ] || die "no certificates exported"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- servers --------------------------------------------------------------------------------
port=$(free_port)
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 1 --access-log off --cache-mb "$cache_mb" \
    >"$tmp/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_ready "http://127.0.0.1:$port/healthz" "$server_pid" "$tmp/server.log"

# one real certificate's JSON and Content-Type, for the ceiling
sample=$(head -n 1 "$tmp/numbers.txt")
ctype=$(http_get "http://127.0.0.1:$port/api/certificates/$sample" "$tmp/sample.json") \
    || die "GET /api/certificates/$sample failed"
[ -n "$ctype" ] || die "no Content-Type in the project's answer"

cport=$(free_port)
"$tmp/ceiling" "$cport" "$tmp/sample.json" "$ctype" >"$tmp/ceiling.log" 2>&1 &
ceiling_pid=$!
pids+=("$ceiling_pid")
wait_ready "http://127.0.0.1:$cport/" "$ceiling_pid" "$tmp/ceiling.log"
http_get "http://127.0.0.1:$cport/api/certificates/$sample" "$tmp/ceiling.json" >/dev/null || die "the ceiling failed"
cmp -s "$tmp/sample.json" "$tmp/ceiling.json" || die "the ceiling does not serve the project's bytes"

# the public lists: each with a few pages and filters (one query a line, appended to its path),
# and a ceiling serving its first answer
lists=(bodies catalogue rankings)
declare -A list_path=([bodies]=/api/bodies [catalogue]=/api/commitments [rankings]=/api/rankings)
printf '%s\n' '?page=1' '?page=2' '?per_page=50' '?sort=name' '?region=440300' '?q=%E8%AE%A4%E8%AF%81' \
    '?page=1&per_page=10' '?region=110000&sort=-created_at' >"$tmp/bodies.txt"
printf '%s\n' '?page=1' '?page=2' '?region=440000' '?industry=C' '?lead_time_max=60' '?price_max=50000' \
    '?coverage=quality,benefit' '?sort=price' '?sort=lead_time&region=110000' >"$tmp/catalogue.txt"
printf '%s\n' '?' >"$tmp/rankings.txt"
declare -A list_ceiling_pid list_type list_bytes list_port
for l in "${lists[@]}"; do
    list_type[$l]=$(http_get "http://127.0.0.1:$port${list_path[$l]}$(head -1 "$tmp/$l.txt")" "$tmp/$l.json") ||
        die "GET ${list_path[$l]} failed"
    list_bytes[$l]=$(wc -c <"$tmp/$l.json")
    list_port[$l]=$(free_port)
    "$tmp/ceiling" "${list_port[$l]}" "$tmp/$l.json" "${list_type[$l]}" >"$tmp/ceiling-$l.log" 2>&1 &
    list_ceiling_pid[$l]=$!
    pids+=("${list_ceiling_pid[$l]}")
    wait_ready "http://127.0.0.1:${list_port[$l]}/" "${list_ceiling_pid[$l]}" "$tmp/ceiling-$l.log"
done

# --- 2./3. load -----------------------------------------------------------------------------
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $9 }' /proc/stat; }   # ticks in processes (not irq/softirq), all CPUs
pid_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }                     # ticks, all threads
hz=$(getconf CLK_TCK)

run_wrk() {   # run_wrk NAME URL PID ROUND [FILE PREFIX]: (warm-up in round 1) the measured run; appends a line to rounds-NAME.txt
    local name=$1 url=$2 pid=$3 round=$4 line b0 b1 s0 s1 t0 t1 wu ws
    local file=${5:-$tmp/numbers.txt} prefix=${6:-/api/certificates/}
    local out="$tmp/wrk-$name-$round.txt"
    if [ "$round" -eq 1 ]; then
        say "bench: $name: warm-up ${warmup}s"
        timeout $((warmup + 30)) wrk -t1 -c"$connections" -d"${warmup}s" -s $here/random.lua "$url" -- \
            "$file" "$seed" "$prefix" >"$tmp/wrk-$name-warmup.txt" 2>&1 || die "wrk warm-up against $name failed"
    fi
    say "bench: $name: wrk -t1 -c$connections -d${duration}s --latency (round $round of $rounds)"
    b0=$(cpu_busy); s0=$(pid_ticks "$pid"); t0=$(date +%s%N)
    times >"$tmp/times-0.txt"           # the CPU of this shell's reaped children, before and after
    # in the background, so that a signal stops the run at once (the trap ends wrk too)
    timeout $((duration + 30)) wrk -t1 -c"$connections" -d"${duration}s" --latency -s $here/random.lua \
        "$url" -- "$file" "$seed" "$prefix" >"$out" 2>&1 &
    local wrk_pid=$!
    pids+=("$wrk_pid")
    wait "$wrk_pid" || { cat "$out" >&2; die "wrk against $name failed"; }
    times >"$tmp/times-1.txt"
    b1=$(cpu_busy); s1=$(pid_ticks "$pid"); t1=$(date +%s%N)
    line=$(grep '^BENCH ' "$out") || { cat "$out" >&2; die "no result from wrk"; }
    # `times` prints "XmS.SSSs XmS.SSSs" for the shell, then for its children: wrk's user and system
    read -r wu ws < <(cat "$tmp/times-0.txt" "$tmp/times-1.txt" | awk 'NR % 2 == 0 {
        for (i = 1; i <= 2; i++) { split($i, p, "m"); v[NR, i] = p[1] * 60 + p[2] } }
        END { print v[4, 1] - v[2, 1], v[4, 2] - v[2, 2] }')
    # rps p50 p99 requests errors, then the CPU used during the run, in CPUs: the server's, wrk's,
    # and everything else's (the noise)
    awk -v b="$((b1 - b0))" -v s="$((s1 - s0))" -v wu="$wu" -v ws="$ws" -v hz="$hz" -v t="$(((t1 - t0) / 1000))" \
        -v line="$line" 'BEGIN {
            n = split(line, kv, " ")
            for (i = 2; i <= n; i++) { split(kv[i], p, "="); f[p[1]] = p[2] }
            err = f["err_connect"] + f["err_read"] + f["err_write"] + f["err_status"] + f["err_timeout"]
            t /= 1e6; o = (b - s) / hz - wu - ws; if (o < 0) o = 0
            printf "%s %s %s %s %d %.2f %.2f %.2f\n", f["rps"], f["p50_us"], f["p99_us"], f["requests"], err,
                s / hz / t, (wu + ws) / t, o / t }' >>"$tmp/rounds-$name.txt"
}

summarise() {   # summarise NAME: the median of each column over the rounds (sums for requests, errors) as NAME_*
    local name=$1 col i=0 v
    for col in rps p50_us p99_us requests errors cpu_server cpu_wrk cpu_other; do
        i=$((i + 1))
        case $col in
        requests | errors) v=$(awk -v c=$i '{ s += $c } END { print s }' "$tmp/rounds-$name.txt") ;;
        *) v=$(awk -v c=$i '{ print $c }' "$tmp/rounds-$name.txt" | sort -g |
                awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }') ;;
        esac
        printf -v "${name}_${col}" '%s' "$v"
    done
}

# rounds alternate project and ceiling, so that both see the same noise
for ((r = 1; r <= rounds; r++)); do
    run_wrk project "http://127.0.0.1:$port" "$server_pid" "$r"
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")
    http_get "http://127.0.0.1:$port/metrics" "$tmp/metrics-rss.txt" >/dev/null || die "GET /metrics failed"
    cache_kb=$(awk '/^guanbiao_cache_bytes / { printf "%d", $2 / 1024 }' "$tmp/metrics-rss.txt")
    rss_without_cache_kb=$((rss_kb - ${cache_kb:-0}))
    hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
    for l in "${lists[@]}"; do
        run_wrk "$l" "http://127.0.0.1:$port" "$server_pid" "$r" "$tmp/$l.txt" "${list_path[$l]}"
    done
    http_get "http://127.0.0.1:$port/metrics" "$tmp/metrics-$r.txt" >/dev/null || die "GET /metrics failed"
    if [ "$r" -eq "$rounds" ]; then
        server_rc=0
        stop_pid "$server_pid" || server_rc=$?
        say "bench: project: exited with status $server_rc after SIGTERM"
    fi
    run_wrk ceiling "http://127.0.0.1:$cport" "$ceiling_pid" "$r"
    for l in "${lists[@]}"; do
        run_wrk "${l}_ceiling" "http://127.0.0.1:${list_port[$l]}" "${list_ceiling_pid[$l]}" "$r" "$tmp/$l.txt" \
            "${list_path[$l]}"
    done
done
ceiling_rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ceiling_pid/status")
stop_pid "$ceiling_pid" >/dev/null 2>&1 || true
for l in "${lists[@]}"; do stop_pid "${list_ceiling_pid[$l]}" >/dev/null 2>&1 || true; done
summarise project
summarise ceiling
for l in "${lists[@]}"; do summarise "$l"; summarise "${l}_ceiling"; done
# the answer cache after the last round: hits, misses, entries, bytes
cache_line=$(awk '/^guanbiao_cache_lookups_total\{result="hit"\}/ { h = $2 } /^guanbiao_cache_lookups_total\{result="miss"\}/ { m = $2 }
    /^guanbiao_cache_entries / { e = $2 } /^guanbiao_cache_bytes / { b = $2 }
    END { printf "%d hits, %d misses (%.1f %% hits), %d entries, %.1f MB", h, m, (h + m) ? 100 * h / (h + m) : 0, e, b / 1048576 }' \
    "$tmp/metrics-$rounds.txt")

# --- 4. table -------------------------------------------------------------------------------
ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
ratio=$(awk -v a="$project_rps" -v b="$ceiling_rps" 'BEGIN { printf "%.1f", 100 * a / b }')
declare -A list_ratio list_ok
errors=$project_errors
for l in "${lists[@]}"; do
    rps_var=${l}_rps; ceil_var=${l}_ceiling_rps; err_var=${l}_errors
    list_ratio[$l]=$(awk -v a="${!rps_var}" -v b="${!ceil_var}" 'BEGIN { printf "%.1f", 100 * a / b }')
    list_ok[$l]=$(awk -v r="${list_ratio[$l]}" -v m="$min_list_ratio" 'BEGIN { print (r >= m) ? 1 : 0 }')
    errors=$((errors + ${!err_var}))
done
ratio_x=$(awk -v a="$project_rps" -v b="$ceiling_rps" 'BEGIN { printf "%.2f", a / b }')
p50_ratio=$(awk -v a="$project_p50_us" -v b="$ceiling_p50_us" 'BEGIN { printf "%.1f", (b > 0) ? a / b : 0 }')

per_cpu() {   # per_cpu RPS CPUS CEILING_RPS CEILING_CPUS: requests per server CPU-second, % of the ceiling's
    awk -v a="$1" -v ac="$2" -v b="$3" -v bc="$4" 'BEGIN { if (ac > 0 && bc > 0 && b > 0) printf "%.1f", 100 * (a / ac) / (b / bc); else print "n/a" }'
}

verdict() {   # verdict OK(0|1)
    if [ "$1" -eq 1 ]; then echo PASS; else echo FAIL; fi
}
ok_ratio=$(awk -v r="$ratio" -v m="$min_ratio" 'BEGIN { print (r >= m) ? 1 : 0 }')
ok_p99=$(awk -v u="$project_p99_us" -v m="$max_p99_ms" 'BEGIN { print (u < m * 1000) ? 1 : 0 }')
ok_rss=$(awk -v k="$rss_without_cache_kb" -v m="$max_rss_mb" 'BEGIN { print (k < m * 1024) ? 1 : 0 }')
ok_seed=$(awk -v s="$seed_s" -v m="$max_seed_s" 'BEGIN { print (s < m) ? 1 : 0 }')
ok_exit=$([ "$server_rc" -eq 0 ] && echo 1 || echo 0)
ok_errors=$([ "$errors" -eq 0 ] && echo 1 || echo 0)

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=""
if git status --porcelain --untracked-files=no 2>/dev/null | grep -q .; then dirty=" (with uncommitted changes)"; fi
report=$(
    echo "Guanbiao benchmark: GET /api/certificates/{number}, /api/bodies, /api/commitments, /api/rankings, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit $rev$dirty; machine: $(nproc) CPUs, $cpu; $(uname -sr)"
    [ -z "${GUANBIAO:-}" ] || echo "server binary: $bin"
    echo "data: $ncert certificates (seed --demo --scale $scale, $seed_s s); random existing numbers, seed $seed"
    echo "load: wrk -t1 -c$connections -d${duration}s --latency after a ${warmup}s warm-up; servers with one loop thread"
    echo "load average before the run: $load_before"
    echo "ceiling: ceiling.c serving the same $(wc -c <"$tmp/sample.json")-byte body from memory, Content-Type: $ctype"
    for l in "${lists[@]}"; do
        echo "$l: GET ${list_path[$l]} with $(wc -l <"$tmp/$l.txt") queries; its ceiling serves the ${list_bytes[$l]}-byte first answer"
    done
    echo "answer cache: --cache-mb $cache_mb; after the run: $cache_line; RSS $(mb "$rss_kb") of which" \
        "$(mb "${cache_kb:-0}") cached answers"
    echo
    printf '%-10s %12s %10s %10s %12s %12s\n' target requests/s p50 p99 "% ceiling" RSS
    printf '%-10s %12.0f %10s %10s %11s%% %12s\n' guanbiao "$project_rps" "$(ms "$project_p50_us")" \
        "$(ms "$project_p99_us")" "$ratio" "$(mb "$rss_kb")"
    printf '%-10s %12.0f %10s %10s %11s%% %12s\n' ceiling "$ceiling_rps" "$(ms "$ceiling_p50_us")" \
        "$(ms "$ceiling_p99_us")" 100.0 "$(mb "$ceiling_rss_kb")"
    for l in "${lists[@]}"; do
        a=${l}_rps; ap50=${l}_p50_us; ap99=${l}_p99_us; c=${l}_ceiling_rps; cp50=${l}_ceiling_p50_us; cp99=${l}_ceiling_p99_us
        printf '%-10s %12.0f %10s %10s %11s%% %12s\n' "$l" "${!a}" "$(ms "${!ap50}")" "$(ms "${!ap99}")" "${list_ratio[$l]}" ""
        printf '%-10s %12.0f %10s %10s %11s%% %12s\n' "  ceiling" "${!c}" "$(ms "${!cp50}")" "$(ms "${!cp99}")" 100.0 ""
    done
    echo
    echo "guanbiao/ceiling: verification requests/s $ratio % (${ratio_x}x the ceiling), p50 ${p50_ratio}x;" \
        "lists: bodies ${list_ratio[bodies]} %, catalogue ${list_ratio[catalogue]} %, rankings ${list_ratio[rankings]} %;" \
        "guanbiao peak RSS $(mb "$hwm_kb")"
    echo "guanbiao: $project_requests + $bodies_requests + $catalogue_requests + $rankings_requests requests, $errors errors" \
        "(connect, read, write, timeout or not 2xx/3xx)"
    if [ "$rounds" -gt 1 ]; then
        echo "medians of $rounds rounds; per round (requests/s p50_us p99_us requests errors CPUs: server wrk other):"
        sed 's/^/  guanbiao /' "$tmp/rounds-project.txt"
        sed 's/^/  ceiling  /' "$tmp/rounds-ceiling.txt"
        for l in "${lists[@]}"; do
            sed "s/^/  $l /" "$tmp/rounds-$l.txt"
            sed 's/^/  ceiling  /' "$tmp/rounds-${l}_ceiling.txt"
        done
    fi
    echo "CPU used during the measured runs (of $(nproc)): guanbiao $project_cpu_server + wrk $project_cpu_wrk" \
        "+ other processes $project_cpu_other; ceiling $ceiling_cpu_server + wrk $ceiling_cpu_wrk + other $ceiling_cpu_other"
    echo "requests per CPU-second of the server (less sensitive to a busy machine): verification" \
        "$(per_cpu "$project_rps" "$project_cpu_server" "$ceiling_rps" "$ceiling_cpu_server") % of the ceiling's," \
        "bodies $(per_cpu "$bodies_rps" "$bodies_cpu_server" "$bodies_ceiling_rps" "$bodies_ceiling_cpu_server") %," \
        "catalogue $(per_cpu "$catalogue_rps" "$catalogue_cpu_server" "$catalogue_ceiling_rps" "$catalogue_ceiling_cpu_server") %," \
        "rankings $(per_cpu "$rankings_rps" "$rankings_cpu_server" "$rankings_ceiling_rps" "$rankings_ceiling_cpu_server") %"
    awk -v a="$project_cpu_other" -v b="$ceiling_cpu_other" 'BEGIN { exit !(a > 0.2 || b > 0.2) }' &&
        echo "warning: other processes were busy during the run: the numbers are noisy, compare ratios of quiet runs"
    echo
    printf '%-40s %-14s %s\n' "verification >= $min_ratio % of the ceiling" "$ratio %" "$(verdict "$ok_ratio")"
    for l in "${lists[@]}"; do
        printf '%-40s %-14s %s\n' "GET ${list_path[$l]} >= $min_list_ratio % of its ceiling" "${list_ratio[$l]} %" \
            "$(verdict "${list_ok[$l]}")"
    done
    printf '%-40s %-14s %s\n' "p99 < $max_p99_ms ms" "$(ms "$project_p99_us")" "$(verdict "$ok_p99")"
    printf '%-40s %-14s %s\n' "RSS without the cache < $max_rss_mb MB" "$(mb "$rss_without_cache_kb")" "$(verdict "$ok_rss")"
    printf '%-40s %-14s %s\n' "seed at scale $scale < $max_seed_s s" "$seed_s s" "$(verdict "$ok_seed")"
    printf '%-40s %-14s %s\n' "every request answered 2xx, no errors" "$errors errors" "$(verdict "$ok_errors")"
    printf '%-40s %-14s %s\n' "exit status 0 after SIGTERM" "$server_rc" "$(verdict "$ok_exit")"
)
mkdir -p bench/results
out="bench/results/certificates-$(date +%Y-%m-%d-%H%M%S).txt"
{
    echo "$report"
    echo
    echo "--- wrk against guanbiao"
    cat "$tmp"/wrk-project-[0-9]*.txt
    echo "--- wrk against the ceiling"
    cat "$tmp"/wrk-ceiling-[0-9]*.txt
    for l in "${lists[@]}"; do
        echo "--- wrk against guanbiao, GET ${list_path[$l]}"
        cat "$tmp"/wrk-"$l"-[0-9]*.txt
        echo "--- wrk against the ceiling of GET ${list_path[$l]}"
        cat "$tmp"/wrk-"$l"_ceiling-[0-9]*.txt
    done
} >"$out"
echo "$report"
echo
echo "written to $out"
grep -q ' FAIL$' <<<"$report" && exit 1
exit 0
