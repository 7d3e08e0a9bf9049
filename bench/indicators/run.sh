#!/bin/bash
# Benchmark of `guanbiao import indicators` (docs/effectiveness.md "Imports"; issue 10: 1,000,000
# rows in under 60 s on SQLite):
#   1. a temporary SQLite database seeded with the demo (2,000 enterprises at scale 1);
#   2. a long-layout CSV of BENCH_ROWS rows (default 1,000,000): every demo enterprise, every
#      indicator of the catalogue, years from 2025 back (24 years × 21 indicators × 2,000
#      enterprises = 1,008,000 > 1,000,000), values made up but valid, in UTF-8 with a BOM;
#   3. the import by the CLI, timed (wall clock) and bounded: killed after 120 s;
#   4. the summary checked (every row accepted or unchanged, none rejected) and a line
#      "import of N rows: S s (target < 60 s) PASS|FAIL"; exits 1 on FAIL.
# Writes the line to bench/results/indicators-DATE.txt too (ignored by git). Everything started
# here is stopped on exit; the temporary directory is removed.
# Knobs: BENCH_ROWS, GUANBIAO (the binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
rows=${BENCH_ROWS:-1000000}
bin=${GUANBIAO:-$root/build/guanbiao}
target_s=60
bound_s=120

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }
for tool in sqlite3 awk timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done
[ -x "$bin" ] || die "$bin is missing: build first (ninja -C build)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/guanbiao-bench-indicators.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db="sqlite:$tmp/bench.db"

say "bench: seeding the demo into $tmp/bench.db"
"$bin" seed --demo --db "$db" >/dev/null 2>"$tmp/seed.log" || { cat "$tmp/seed.log" >&2; die "seed failed"; }
sqlite3 "$tmp/bench.db" "SELECT credit_code FROM enterprises ORDER BY id" >"$tmp/codes.txt"
sqlite3 "$tmp/bench.db" "SELECT code || ' ' || kind FROM indicators WHERE retired = 0 ORDER BY position" >"$tmp/indicators.txt"

say "bench: writing $rows rows"
awk -v rows="$rows" 'BEGIN { n_ind = 0; n_ent = 0 }
    FNR == NR { code[n_ind] = $1; kind[n_ind] = $2; n_ind++; next }
    { ent[n_ent++] = $1 }
    END {
        printf "\xef\xbb\xbfcredit_code,year,indicator,value\r\n"
        written = 0
        for (y = 2025; written < rows && y > 1990; y--)
            for (e = 0; written < rows && e < n_ent; e++)
                for (i = 0; written < rows && i < n_ind; i++) {
                    k = (e * 31 + i * 7 + y) % 97
                    if (kind[i] == "share") v = sprintf("%.1f%%", k)
                    else if (kind[i] == "amount") v = sprintf("%.2f", k * 12.5)
                    else v = k
                    printf "%s,%d,%s,%s\r\n", ent[e], y, code[i], v
                    written++
                }
    }' "$tmp/indicators.txt" "$tmp/codes.txt" >"$tmp/indicators.csv"
lines=$(($(wc -l <"$tmp/indicators.csv") - 1))
[ "$lines" -eq "$rows" ] || die "wrote $lines rows, not $rows (too few enterprises?)"
say "bench: importing $(du -h "$tmp/indicators.csv" | cut -f1) of CSV"

start=$(date +%s.%N)
set +e
timeout "$bound_s" "$bin" import indicators "$tmp/indicators.csv" --db "$db" >"$tmp/summary.json" 2>"$tmp/import.log"
rc=$?
set -e
end=$(date +%s.%N)
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
[ "$rc" -ne 124 ] || { say "bench: import of $rows rows killed after ${bound_s} s: FAIL"; exit 1; }
[ "$rc" -eq 0 ] || { cat "$tmp/import.log" >&2; die "import failed (exit $rc)"; }

# the summary: {"accepted":N,"unchanged":N,"rejected":[…]}
read -r accepted unchanged rejected < <(/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["accepted"], s["unchanged"], len(s["rejected"]))' "$tmp/summary.json")
[ "$rejected" -eq 0 ] || die "$rejected rows rejected: $(head -c 400 "$tmp/summary.json")"
[ $((accepted + unchanged)) -eq "$rows" ] || die "accepted $accepted + unchanged $unchanged != $rows"
stored=$(sqlite3 "$tmp/bench.db" "SELECT COUNT(*) FROM indicator_values")

verdict=PASS
awk -v s="$seconds" -v t="$target_s" 'BEGIN { exit !(s < t) }' || verdict=FAIL
line="import of $rows rows: ${seconds} s (target < ${target_s} s) $verdict; accepted $accepted, unchanged $unchanged, values stored $stored"
printf '%s\n' "$line"
mkdir -p bench/results
printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$line" >>"bench/results/indicators-$(date -u +%Y-%m-%d-%H%M%S).txt"
[ "$verdict" = PASS ]
