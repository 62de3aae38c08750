/**
 * Streaming: POST /stream/generate (max_tokens 5, greedy), read as Server-Sent Events, 5 clients
 * share 25 requests (the seed's generate shape; --concurrency, --requests, --rate and --duration
 * replace it), 60 s timeout. Reports time to first token, inter-token latency, end-to-end latency
 * and output tokens per second. Needs Chromium: core k6 reads no stream, so one page of the browser
 * k6's browser module drives sends and reads every request of the phase (src/k6/lib/stream/run.ts).
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/stream.json' with { type: 'text' };
import { runStreamPhase } from '../lib/stream/run.js';

const scenario = builtinScenario('stream', thresholds, runStreamPhase);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
