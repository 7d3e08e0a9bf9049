-- wrk script for bench/audit: certificate status changes, POST /api/certificates/{number}/status.
--   wrk -t1 -c8 -d10s --latency -s status.lua URL -- NUMBERS_FILE COOKIE CSRF
-- The requests cycle through [suspend every number, then reinstate every number], so that each
-- change is allowed when it arrives as long as the numbers far outnumber the connections. The
-- requests are formatted once, in init().
local requests = {}
local count = 0
local i = 0
local statuses = {}

function init(args)
  local path, cookie, csrf = args[1], args[2], args[3]
  if path == nil or cookie == nil or csrf == nil then
    error("status.lua: pass NUMBERS_FILE COOKIE CSRF after --")
  end
  local numbers = {}
  for line in io.lines(path) do
    if line ~= "" then numbers[#numbers + 1] = line end
  end
  local headers = { ["Content-Type"] = "application/json", ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf }
  for pass, body in ipairs({ '{"status":"suspended","reason":"bench"}', '{"status":"valid","reason":"bench"}' }) do
    for _, n in ipairs(numbers) do
      count = count + 1
      requests[count] = wrk.format("POST", "/api/certificates/" .. n .. "/status", headers, body)
    end
  end
end

function request()
  i = i % count + 1
  return requests[i]
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format("BENCH rps=%.1f p50_us=%d p99_us=%d requests=%d err_connect=%d err_read=%d err_write=%d " ..
    "err_status=%d err_timeout=%d\n", summary.requests / (summary.duration / 1e6), latency:percentile(50),
    latency:percentile(99), summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
