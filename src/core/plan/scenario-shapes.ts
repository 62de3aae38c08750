/**
 * Every scenario's shape — its endpoints and phases — as data, apart from its k6 script, so the
 * Node runner resolves and checks the whole plan (shape, mix, thresholds, the run's flags) before a
 * tool is built or a server started, and the k6 script resolves the very same plan at init.
 * Each src/k6/scenarios/<name>.ts takes its entry here and its thresholds/<name>.json.
 */
import type { ScenarioDefinition } from './plan.js';

export type ScenarioShape = Omit<ScenarioDefinition, 'thresholds'>;

const MIX3: ScenarioShape['mix'] = [
  { endpoint: 'health', weight: 1 },
  { endpoint: 'tokenize', weight: 1 },
  { endpoint: 'generate', weight: 1 },
];

// The seed's seven (load-testing.md, Test Scenarios 1-7), then the streamed one.
export const SCENARIO_SHAPES: Readonly<Record<string, ScenarioShape>> = {
  health: {
    name: 'health',
    description: 'Health check load test: GET /health, 10 clients, 100 requests',
    mixable: false,
    mix: [{ endpoint: 'health', weight: 1 }],
    phases: [{ name: 'health', model: 'closed', clients: 10, requests: 100, timeoutSec: 30 }],
  },
  tokenize: {
    name: 'tokenize',
    description: 'Tokenize endpoint load test: POST /tokenize, 5 clients, 50 requests',
    mixable: false,
    mix: [{ endpoint: 'tokenize', weight: 1 }],
    phases: [{ name: 'tokenize', model: 'closed', clients: 5, requests: 50, timeoutSec: 30 }],
  },
  generate: {
    name: 'generate',
    description: 'Generate endpoint load test: POST /generate, 5 clients, 25 requests',
    mixable: false,
    mix: [{ endpoint: 'generate', weight: 1 }],
    phases: [{ name: 'generate', model: 'closed', clients: 5, requests: 25, timeoutSec: 60 }],
  },
  'batch-tokenize': {
    name: 'batch-tokenize',
    description: 'Batch tokenize load test: POST /batch/tokenize (3 texts), 5 clients, 25 requests',
    mixable: false,
    mix: [{ endpoint: 'batch-tokenize', weight: 1 }],
    phases: [{ name: 'batch-tokenize', model: 'closed', clients: 5, requests: 25, timeoutSec: 30 }],
  },
  'batch-generate': {
    name: 'batch-generate',
    description: 'Batch generate load test: POST /batch/generate (2 prompts), 3 clients, 15 requests',
    mixable: false,
    mix: [{ endpoint: 'batch-generate', weight: 1 }],
    phases: [{ name: 'batch-generate', model: 'closed', clients: 3, requests: 15, timeoutSec: 60 }],
  },
  sustained: {
    name: 'sustained',
    description: 'Sustained load test: 200 requests over 30 s, up to 10 clients, mixed endpoints',
    mixable: true,
    mix: MIX3,
    phases: [{ name: 'sustained', model: 'open', clients: 10, requests: 200, durationSec: 30, timeoutSec: 30 }],
  },
  spike: {
    name: 'spike',
    description: 'Spike traffic test: baseline 2 clients x 10 requests, spike 20 x 100 (10x), recovery 2 x 10',
    mixable: true,
    mix: MIX3,
    phases: [
      { name: 'baseline', model: 'open', clients: 2, requests: 10, durationSec: 5, timeoutSec: 30 },
      { name: 'spike', model: 'open', clients: 20, requests: 100, durationSec: 5, timeoutSec: 30 },
      { name: 'recovery', model: 'open', clients: 2, requests: 10, durationSec: 5, timeoutSec: 30 },
    ],
  },
  stream: {
    name: 'stream',
    description: 'Streaming generate: POST /stream/generate as Server-Sent Events, 5 clients, 25 requests',
    mixable: false,
    mix: [{ endpoint: 'stream-generate', weight: 1 }],
    phases: [{ name: 'stream', model: 'closed', clients: 5, requests: 25, timeoutSec: 60 }],
    stream: true,
  },
};

/** One step of a capacity sweep over rate: what the sweep gives it (k6 variables RATE, WINDOW_SEC, CLIENTS). */
export interface SweepStepSettings {
  rate: number;
  windowSec: number;
  clients: number;
}

/**
 * A step of a capacity sweep (npm run k6:sweep): requests arrive at `rate` per second for `windowSec`
 * (open model, at most `clients` in flight) on the endpoint the sweep's mix names. The k6 step script
 * (src/k6/sweep/step.ts) and the sweep, which makes the step's workload (src/node/sweep/), resolve
 * the same plan from it. The sweep judges each step against the SLO itself: its only rule gates nothing.
 */
export function sweepStepDefinition(step: SweepStepSettings): ScenarioDefinition {
  return {
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
  };
}
