/**
 * One step of a capacity sweep (npm run k6:sweep): requests arrive at RATE per second for
 * WINDOW_SEC seconds (open model, at most CLIENTS in flight) on the endpoint named by MIX. Not a
 * scenario of its own (it lives outside src/k6/scenarios): the sweep runs it at rising rates and
 * judges each step against the SLO itself, so its only rule is informational.
 */
import { readEnv } from '../lib/env.js';
import { defineScenario } from '../lib/scenario.js';

const step = readEnv().sweep ?? { rate: 1, windowSec: 10, clients: 50 };

const scenario = defineScenario({
  name: 'sweep',
  description: `capacity sweep step: ${step.rate} req/s for ${step.windowSec} s`,
  thresholds: {
    scenario: 'sweep',
    rules: [
      {
        id: 'errors',
        metric: 'error_rate',
        acceptable: 100,
        source: 'A sweep step judges the SLO in the sweep itself (src/node/sweep/sweep.ts); this rule gates nothing.',
      },
    ],
  },
  mixable: true,
  mix: [{ endpoint: 'generate', weight: 1 }],
  phases: [
    {
      name: 'sweep',
      model: 'open',
      clients: step.clients,
      requests: Math.max(1, Math.round(step.rate * step.windowSec)),
      durationSec: step.windowSec,
      timeoutSec: 30,
    },
  ],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
