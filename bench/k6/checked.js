// Benchmark only: what a careful hand-written k6 script does per request — check the status and
// parse the body — with the same executor as bench/k6/bare.js. It sits between bare k6 and ours.
import { check } from 'k6';
import http from 'k6/http';

export const options = {
  scenarios: {
    health: { executor: 'shared-iterations', vus: Number(__ENV.BENCH_VUS), iterations: Number(__ENV.BENCH_REQUESTS), maxDuration: '5m' },
  },
};

export default function () {
  const res = http.get(`${__ENV.BASE_URL}/health`);
  check(res, { 'status is 200': (r) => r.status === 200, 'healthy': (r) => r.json('status') === 'healthy' });
}

export function handleSummary(data) {
  return { [`${__ENV.OUT_DIR}/summary.json`]: JSON.stringify(data) };
}
