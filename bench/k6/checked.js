// Benchmark only: what a careful hand-written k6 script does per request — check the status and
// one field of the body — with the same executor and shape as bench/k6/bare.js. The toolkit
// (which validates every body against its full schema) is measured against this.
import { check } from 'k6';
import http from 'k6/http';
import { benchOptions, target, writeSummary } from './shape.js';

export const options = benchOptions();
const t = target();
const generate = __ENV.BENCH_ENDPOINT === 'generate';

export default function () {
  const res = http.request(t.method, t.url, t.body, t.params);
  if (generate)
    check(res, { 'status is 200': (r) => r.status === 200, 'generated tokens': (r) => r.json('num_generated') > 0 });
  else check(res, { 'status is 200': (r) => r.status === 200, healthy: (r) => r.json('status') === 'healthy' });
}

export const handleSummary = writeSummary;
