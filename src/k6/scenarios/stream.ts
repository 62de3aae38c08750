/**
 * Streaming: POST /stream/generate (max_tokens 5, greedy), read as Server-Sent Events, 5 clients
 * share 25 requests (the seed's generate shape; --concurrency, --requests, --rate and --duration
 * replace it), 60 s timeout. Reports time to first token, inter-token latency, end-to-end latency
 * and output tokens per second. Needs Chromium: core k6 reads no stream, so one page of the browser
 * k6's browser module drives sends and reads every request of the phase (src/k6/lib/stream/run.ts).
 */
import { defineScenario, shapeOf } from '../lib/scenario.js';
import { runStreamPhase } from '../lib/stream/run.js';

// A function: in the runner's build only the init that resolves the plan builds the shape and reads
// the thresholds (src/k6/lib/scenario.ts), where k6 evaluates the rest of the script in every VU.
declare function require(id: string): unknown;
const scenario = defineScenario(
  () => ({ ...shapeOf('stream'), thresholds: require('../../../thresholds/stream.json') }),
  runStreamPhase,
);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
