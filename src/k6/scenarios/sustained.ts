/**
 * Seed scenario 6: sustained load, 200 requests arriving evenly over 30 s (open model), at most 10 clients.
 * Open model: requests arrive on schedule whatever the server does, so a slow server shows up as
 * latency and dropped requests instead of hiding behind fewer requests (coordinated omission).
 * The default mix sends equally to health, tokenize and generate; `--mix health` is the seed's test.
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/sustained.json';

const scenario = defineScenario({
  name: 'sustained',
  description: 'Sustained load test: 200 requests over 30 s, up to 10 clients, mixed endpoints',
  thresholds,
  mixable: true,
  mix: [
    { endpoint: 'health', weight: 1 },
    { endpoint: 'tokenize', weight: 1 },
    { endpoint: 'generate', weight: 1 },
  ],
  phases: [{ name: 'sustained', model: 'open', clients: 10, requests: 200, durationSec: 30, timeoutSec: 30 }],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
