/**
 * Every command's flags: one declaration each, composed of the shared groups. The usage texts, the
 * parsers and the options blocks of README.md and docs/ (checked by test/unit/flags.test.ts) all
 * come from here: the load's commands (run, sweep) in this file, the cluster's (cloud, operator) in
 * commands-cluster.ts, those that read or prepare runs (compare, report, prompts, setup) in
 * commands-side.ts.
 */
import { EXIT_MEANING } from '../../core/errors/exit-codes.js';
import { SLO_METRICS, SLO_STATS } from '../../core/rules/metric-table.js';
import type { Command, FlagGroup } from './declare.js';
import {
  API,
  arrivalProcess,
  ARRIVALS,
  GATE,
  HELP,
  LOAD,
  MONITOR,
  outDir,
  OUTPUT,
  SEED,
  TARGET,
  WORKLOAD,
} from './groups.js';

type Code = 0 | 1 | 2 | 3 | 130;
/** The usage's last line: each exit code with what it means for this command. */
export const exitLine = (codes: ReadonlyArray<Code>, say: Partial<Record<Code, string>> = {}): string =>
  `exit codes: ${codes.map((c) => `${c} ${say[c] ?? EXIT_MEANING[c].split(' (')[0]}`).join(' · ')}`;

const HELP_GROUP: FlagGroup = { title: 'other', flags: [HELP] };

export const RUN: Command = {
  usage: [
    'npm run k6:<scenario> -- [options]      (or: npm run load-test -- [options])',
    'npx realizar-k6 run <scenario|seed|all|./my-scenario.ts> [options]',
  ],
  positionals: { min: 0, max: 1, what: 'one scenario name' },
  groups: [TARGET, API, LOAD, ARRIVALS, WORKLOAD, GATE, OUTPUT, MONITOR, HELP_GROUP],
  epilogue:
    'environment: REALIZAR_K6_OPTIONS="--scale 0.5 --gate target" adds options (CI variables);\n' +
    '             REALIZAR_K6_CACHE sets the tool cache (default ~/.cache/realizar-k6)\n\n' +
    exitLine([0, 1, 2, 130], {
      0: 'all gates passed',
      1: 'a threshold was crossed',
      2: 'setup or infrastructure failure',
      130: 'interrupted',
    }),
};

export const SWEEP: Command = {
  usage: [
    "npm run k6:sweep -- --slo 'p95<500' [options]",
    "npm run k6:sweep -- --endpoint stream [--slo 'ttft_p95<500,itl_p95<50'] [options]",
  ],
  intro:
    'Finds the capacity of an endpoint within an SLO. Over rate (open model): the rate doubles until\n' +
    'the SLO or the error budget breaks, then bisects. Over concurrency (closed model, the default\n' +
    'for stream): 1, 2, 4, ... clients, each sending --per-client requests; every level is reported.',
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'sweep',
      flags: [
        {
          name: '--endpoint',
          arg: 'NAME',
          help: 'health, tokenize, generate (default), batch-tokenize, batch-generate or stream',
        },
        {
          name: '--slo',
          arg: "'M<MS,...'",
          help:
            'objectives that must all hold, e.g. p95<500 (request latency) or\n' +
            `ttft_p95<500,itl_p95<50 (metrics ${SLO_METRICS.join(', ')}; stats ${SLO_STATS.join(', ')};\n` +
            'milliseconds); required over rate, default none over concurrency',
        },
        { name: '--over', arg: 'AXIS', help: 'rate or concurrency (default: concurrency for stream, else rate)' },
        {
          name: '--error-budget',
          arg: 'PCT',
          help: 'highest error rate a good step may have (default 1; dropped requests count)',
        },
        { name: '--start-rate', arg: 'R', help: 'over rate: first rate, requests per second (default 1)' },
        { name: '--max-rate', arg: 'R', help: 'over rate: stop rising here (default 1024)' },
        { name: '--step-sec', arg: 'S', help: 'over rate: how long each step loads (default 10)' },
        { name: '--clients', arg: 'N', help: 'over rate: most requests in flight (default 50)' },
        { name: '--refine', arg: 'K', help: 'over rate: bisection steps (default 3)' },
        arrivalProcess("each rate step's requests", '--over rate'),
        { name: '--max-concurrency', arg: 'N', help: 'over concurrency: the highest level (default 64)' },
        { name: '--per-client', arg: 'K', help: 'over concurrency: requests each client sends at a level (default 5)' },
        { name: '--timeout', arg: 'SEC', help: 'per-request timeout (default 30, 60 for stream)' },
      ],
    },
    TARGET,
    API,
    // Every step carries the workload (its conversations only over concurrency: a client holds each one).
    { ...WORKLOAD, flags: [...WORKLOAD.flags, SEED] },
    { title: 'output', flags: [outDir('reports')] },
    HELP_GROUP,
  ],
  epilogue: exitLine([0, 1, 2, 130], {
    0: 'a level met the SLO',
    1: 'not even the first did',
    2: 'setup or infrastructure failure',
    130: 'interrupted',
  }),
};
