-- wrk script for bench/statistics: GET one dashboard (wrk's URL path) signed in as the national
-- regulator (the cookie comes from run.sh through the environment). A status other than 200
-- stops the run with the answer on stderr, so that errors are never measured as speed.
local cookie = os.getenv("BENCH_COOKIE")
if cookie ~= nil and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
end

function response(status, headers, body)
    if status ~= 200 then
        io.stderr:write("bench: status " .. status .. ": " .. body:sub(1, 300) .. "\n")
        wrk.thread:stop()
    end
end
