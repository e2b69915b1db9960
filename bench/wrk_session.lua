-- bench/http_bench.py: every request carries the logged-in student's cookies (BENCH_COOKIE), and the
-- run ends with one machine-readable line of its figures.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d socket_errors=%d status_errors=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
