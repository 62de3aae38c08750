// Benchmark only: the least a k6 script can do against /health, with the same executor, clients
// and request count as bench/k6/ceiling.ts. Only handleSummary is added, to read the counts.
import http from 'k6/http';

export const options = {
  scenarios: {
    health: { executor: 'shared-iterations', vus: Number(__ENV.BENCH_VUS), iterations: Number(__ENV.BENCH_REQUESTS), maxDuration: '5m' },
  },
};

export default function () {
  http.get(`${__ENV.BASE_URL}/health`);
}

export function handleSummary(data) {
  return { [`${__ENV.OUT_DIR}/summary.json`]: JSON.stringify(data) };
}
