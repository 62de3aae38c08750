// Benchmark only: the executor shared by bench/k6/bare.js and bench/k6/checked.js, from the
// environment, so both run exactly the shape the toolkit's scenario runs.
//   closed: BENCH_VUS clients share BENCH_REQUESTS requests (shared-iterations);
//   open:   BENCH_RATE requests per second for BENCH_DURATION_SEC, at most BENCH_VUS in flight
//           (constant-arrival-rate, ending half an interval early so that exactly rate × duration
//           requests start, as the toolkit's open phases do).
/** The percentiles the benchmark compares (k6's default lacks p50, p99 and count). */
const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'count'];

export function benchOptions() {
  const vus = Number(__ENV.BENCH_VUS);
  if (__ENV.BENCH_RATE) {
    const rate = Number(__ENV.BENCH_RATE);
    const seconds = Number(__ENV.BENCH_DURATION_SEC);
    return {
      summaryTrendStats,
      scenarios: {
        bench: {
          executor: 'constant-arrival-rate',
          rate,
          timeUnit: '1s',
          duration: `${Math.round((seconds - 0.5 / rate) * 1000)}ms`,
          preAllocatedVUs: vus,
          maxVUs: vus,
          gracefulStop: '30s',
        },
      },
    };
  }
  return {
    summaryTrendStats,
    scenarios: {
      bench: { executor: 'shared-iterations', vus, iterations: Number(__ENV.BENCH_REQUESTS), maxDuration: '5m' },
    },
  };
}

export function writeSummary(data) {
  return { [`${__ENV.OUT_DIR}/summary.json`]: JSON.stringify(data) };
}

/** The endpoint and its seed request (BENCH_ENDPOINT: health, the default, or generate). */
export function target() {
  const base = __ENV.BASE_URL;
  if (__ENV.BENCH_ENDPOINT === 'generate') {
    return {
      method: 'POST',
      url: `${base}/generate`,
      body: JSON.stringify({ prompt: 'Hello', max_tokens: 5, strategy: 'greedy' }),
      params: { headers: { 'Content-Type': 'application/json' } },
    };
  }
  return { method: 'GET', url: `${base}/health`, body: null, params: {} };
}
