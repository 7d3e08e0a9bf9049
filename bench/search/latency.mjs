// Sequential GET /api/search requests (one connection, keep-alive) cycling over queries.txt for
// a bounded time; prints the latency percentiles in milliseconds as JSON (bench/search/run.sh).
import { readFileSync } from 'node:fs';

const [url, file, seconds] = process.argv.slice(2);
const queries = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
const times = [];
const end = Date.now() + Number(seconds) * 1000;
let i = 0;
let results = 0;
while (Date.now() < end) {
  const q = queries[i++ % queries.length];
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}`);
  const body = await res.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 200) throw new Error(`${q}: ${res.status} ${JSON.stringify(body)}`);
  results += body.total;
  times.push(ms);
}
times.sort((a, b) => a - b);
const at = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))];
console.log(JSON.stringify({ requests: times.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: times[times.length - 1],
  mean_results: Math.round(results / times.length) }));
