-- wrk script: every request a different search. Reads the query strings
-- from the file named by STINT_QUERIES, walks them in turn (each thread
-- from its own start), and appends a counter so no two requests share a
-- page-cache key: every page is computed.
local queries = {}
for line in io.lines(os.getenv("STINT_QUERIES")) do
  queries[#queries + 1] = line
end
local prefix = os.getenv("STINT_PREFIX") or "/projects?"
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 997)
end

function request()
  counter = counter + 1
  local q = queries[(counter + (offset or 0)) % #queries + 1]
  local sep = (q == "") and "" or "&"
  return wrk.format("GET", prefix .. q .. sep .. "n=" .. counter .. "-" .. (offset or 0))
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("STINT_WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "non_2xx": %d, "errors": %d, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}',
    summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  out:close()
end
