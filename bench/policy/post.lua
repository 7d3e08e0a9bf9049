-- wrk script for bench/policy: POST /api/policy-checks with the generated policy as the body,
-- signed in (the cookie and CSRF token come from run.sh through the environment).
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
wrk.path = "/api/policy-checks"

function response(status, headers, body)
    if status ~= 200 then
        io.stderr:write("bench: status " .. status .. ": " .. body:sub(1, 300) .. "\n")
        wrk.thread:stop()
    end
end
