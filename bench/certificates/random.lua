-- wrk script for bench/certificates: GET /api/certificates/{number} for random existing numbers.
--   wrk -t1 -c100 -d10s --latency -s random.lua http://127.0.0.1:PORT -- NUMBERS_FILE [SEED [PREFIX]]
-- NUMBERS_FILE holds one certificate number a line. With PREFIX (default /api/certificates/),
-- each line is appended to it instead: run.sh asks for GET /api/bodies with a few queries so.
-- The sequence of numbers is drawn with a fixed seed (default 20261125) and the requests are
-- formatted once, in init(), so that every run sends the same sequence and request() costs wrk
-- only a table lookup.

local requests = {}
local count = 0
local i = 0

function init(args)
  local path = args[1]
  if path == nil then
    error("random.lua: pass the numbers file after --")
  end
  local seed = tonumber(args[2] or "20261125")
  local prefix = args[3] or "/api/certificates/"
  local numbers = {}
  for line in io.lines(path) do
    if line ~= "" then
      numbers[#numbers + 1] = line
    end
  end
  if #numbers == 0 then
    error("random.lua: no numbers in " .. path)
  end
  math.randomseed(seed)
  -- as many requests as numbers, drawn with replacement; wrk cycles through them
  count = #numbers
  for k = 1, count do
    local n = numbers[math.random(#numbers)]
    requests[k] = wrk.format("GET", prefix .. n)
  end
end

function request()
  i = i + 1
  if i > count then
    i = 1
  end
  return requests[i]
end

-- one machine-readable line for run.sh (latencies in microseconds)
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
