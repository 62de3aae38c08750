/**
 * Streaming: POST /stream/generate (max_tokens 5, greedy), read as Server-Sent Events, 5 clients
 * share 25 requests (the seed's generate shape), 60 s timeout. Reports time to first token,
 * inter-token latency, end-to-end latency and output tokens per second. Needs Chromium: core k6
 * reads no stream, so k6's browser module does (src/k6/lib/stream.ts).
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/stream.json';

const scenario = defineScenario({
  name: 'stream',
  description: 'Streaming generate: POST /stream/generate as Server-Sent Events, 5 clients, 25 requests',
  thresholds,
  mixable: false,
  mix: [{ endpoint: 'stream-generate', weight: 1 }],
  phases: [{ name: 'stream', model: 'closed', clients: 5, requests: 25, timeoutSec: 60 }],
  stream: true,
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
