// Benchmark only: the least a k6 script can do — one request per iteration, nothing checked —
// with the toolkit's executor and shape (bench/k6/shape.js). Only handleSummary is added, to
// read the counts.
import http from 'k6/http';
import { benchOptions, target, writeSummary } from './shape.js';

export const options = benchOptions();
const t = target();

export default function () {
  http.request(t.method, t.url, t.body, t.params);
}

export const handleSummary = writeSummary;
