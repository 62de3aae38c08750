/**
 * Seed scenario 1: GET /health under concurrent load, 10 clients share 100 requests.
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/health.json';

const scenario = defineScenario({
  name: 'health',
  description: 'Health check load test: GET /health, 10 clients, 100 requests',
  thresholds,
  mixable: false,
  mix: [{ endpoint: 'health', weight: 1 }],
  phases: [{ name: 'health', model: 'closed', clients: 10, requests: 100, timeoutSec: 30 }],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
