/**
 * Every command's flags: one declaration each, composed of the shared groups. The usage texts, the
 * parsers and the options blocks of README.md and docs/ (checked by test/unit/flags.test.ts) all
 * come from here.
 */
import { DEFAULT_COMPARE_OPTIONS } from '../../core/commands/compare.js';
import { DEFAULT_NOISE_OPTIONS } from '../../core/commands/compare-noise.js';
import { EXIT_MEANING } from '../../core/errors/exit-codes.js';
import { SLO_METRICS, SLO_STATS } from '../../core/rules/metric-table.js';
import type { Command, FlagGroup } from './declare.js';
import {
  ALLOW_REMOTE,
  API,
  ARRIVALS,
  baseUrl,
  GATE,
  HELP,
  k6Binary,
  LOAD,
  MONITOR,
  outDir,
  OUTPUT,
  TARGET,
  WORKLOAD,
} from './groups.js';

type Code = 0 | 1 | 2 | 3 | 130;
const exitLine = (codes: ReadonlyArray<Code>, say: Partial<Record<Code, string>> = {}): string =>
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
        { name: '--max-concurrency', arg: 'N', help: 'over concurrency: the highest level (default 64)' },
        { name: '--per-client', arg: 'K', help: 'over concurrency: requests each client sends at a level (default 5)' },
        { name: '--timeout', arg: 'SEC', help: 'per-request timeout (default 30, 60 for stream)' },
      ],
    },
    TARGET,
    API,
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

export const CLOUD: Command = {
  usage: [
    'npm run k6:cloud -- <upload|run> <scenario> [options]',
    'npx realizar-k6 cloud <upload|run> <scenario|./my-scenario.ts> [options]',
  ],
  intro:
    '  upload <scenario>      bundle the scenario, make a k6 archive and upload it to k6 cloud (no run)\n' +
    "  run <scenario>         run it in k6 cloud (load from the cloud's load generators)",
  positionals: { min: 0, max: 2, what: 'one command and one scenario (npm run k6:cloud -- <upload|run> <scenario>)' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--local-execution', help: 'run: run k6 here and stream the results to k6 cloud' },
        baseUrl('server the test loads (default http://127.0.0.1:8080, passed as -e BASE_URL)'),
        {
          name: '--name',
          arg: 'NAME',
          help: 'test name in k6 cloud (default $K6_CLOUD_NAME, else realizar-k6-<scenario>)',
        },
        outDir('reports/cloud'),
        k6Binary(),
        { ...ALLOW_REMOTE, help: 'run: allow loading a target that is not this machine' },
        HELP,
      ],
    },
  ],
  epilogue:
    'environment:\n' +
    '  K6_CLOUD_TOKEN         Grafana Cloud k6 API token (required; never printed nor written anywhere)\n' +
    "  K6_CLOUD_PROJECT_ID    project to put the test in (optional; default: the stack's default project)\n" +
    '  K6_CLOUD_STACK_ID      Grafana Cloud stack (optional, recommended)\n' +
    "  K6_CLOUD_HOST          cloud API (optional; default k6's own, https://ingest.k6.io)\n\n" +
    exitLine([0, 1, 2, 130], {
      0: 'uploaded / run passed',
      1: 'run: a threshold was crossed',
      2: 'any failure',
      130: 'interrupted',
    }),
};

export const OPERATOR: Command = {
  usage: [
    'npm run k6:operator -- <scenario> --parallelism N [options]',
    'npx realizar-k6 operator <scenario|./my-scenario.ts> --parallelism N [options]',
  ],
  intro:
    "Writes a ConfigMap (the scenario's k6 archive), a results volume and a k6-operator TestRun running it\n" +
    "on N pods, each writing its folder to the volume (manifests.yaml); a Job merging the runners' folders\n" +
    'into one report and one verdict (merge.yaml); a Pod to copy them here from (collect.yaml).',
  positionals: { min: 0, max: 1, what: 'one scenario name' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--parallelism', arg: 'N', help: 'number of k6 runner pods; each runs 1/N of the load (required)' },
        baseUrl('server the runners load, as seen from the cluster (default http://127.0.0.1:8080)'),
        {
          name: '--name',
          arg: 'NAME',
          help: 'TestRun name (default realizar-k6-<scenario>); the ConfigMap is NAME-archive',
        },
        { name: '--namespace', arg: 'NS', help: "namespace of every object written (default: kubectl's current one)" },
        {
          name: '--runner-image',
          arg: 'IMAGE',
          help: "k6 image of the runners (default grafana/k6 at the archive's k6 version)",
        },
        { name: '--separate', help: 'at most one runner per node' },
        { name: '--cleanup', help: 'delete the runner pods when the run ends (their logs go with them)' },
        {
          name: '--storage-class',
          arg: 'NAME',
          help: "storage class of the results volume, one offering ReadWriteMany (NFS, CephFS, EFS,\nFilestore, Azure Files); default: the cluster's default class",
        },
        { name: '--results-size', arg: 'SIZE', help: 'size of the results volume (default 1Gi)' },
        {
          name: '--merge-image',
          arg: 'IMAGE',
          help: 'Node 20 image of the merge Job and the copying Pod (default node:20-bookworm-slim)',
        },
        {
          name: '--no-merge',
          help: "no results volume and no merge: each runner judges its own share alone (k6's way)",
        },
        outDir('reports/operator'),
        k6Binary('k6 binary that makes the archive'),
        HELP,
      ],
    },
  ],
  epilogue: exitLine([0, 2], { 0: 'manifests written', 2: 'any failure' }),
};

export const SETUP: Command = {
  usage: ['npm run setup -- [options]      (or: npx realizar-k6 setup [options])'],
  intro:
    'Finds or builds into the tool cache what the runs will use: k6, and the servers asked for.\n' +
    'Every run does the same for itself when a tool is missing; this does it up front (CI, a new machine).',
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'options',
      flags: [
        {
          name: '--servers',
          arg: 'LIST',
          help:
            "servers the runs will start, comma-separated: realizar (Realizar's demo), realizar-model,\n" +
            'llamacpp (each with the tiny model), all, or none (k6 alone). Default: the server a run\n' +
            'with the same REALIZAR_K6_OPTIONS starts (realizar, unless --server, --server-cmd or\n' +
            '--no-server there say otherwise)',
        },
        HELP,
      ],
    },
  ],
  epilogue:
    'environment: REALIZAR_K6_CACHE sets the tool cache (default ~/.cache/realizar-k6)\n\n' +
    exitLine([0, 2], { 0: 'ready', 2: 'a tool could not be found or built' }),
};

export const PROMPTS: Command = {
  usage: ['npm run prompts -- [options]'],
  intro: 'Writes a reproducible prompt set (JSONL) for --prompts: the same options always give the same file.',
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--count', arg: 'N', help: 'prompts in the set (default 200)' },
        { name: '--seed', arg: 'S', help: 'seed of the generator (default 1)' },
        { name: '--min-words', arg: 'A', help: 'shortest prompt, in words (default 4)' },
        { name: '--max-words', arg: 'B', help: 'longest prompt, in words (default 128)' },
        { name: '--dist', arg: 'D', help: 'length distribution: lognormal (default) or uniform' },
        { name: '--out', arg: 'FILE', help: 'where to write it (default prompts/prompts.jsonl)' },
        HELP,
      ],
    },
  ],
  epilogue: exitLine([0, 2], { 0: 'written', 2: 'invalid input or the file could not be written' }),
};

export const COMPARE: Command = {
  usage: [
    'npm run compare -- <baseline> [<current>] [options]',
    'npm run compare -- --save-baseline [<report>] [--baseline-file FILE]',
  ],
  intro: '  <baseline>, <current>, <report>   a report.json or a run folder (default current: reports/latest)',
  positionals: { min: 0, max: 2, what: 'a baseline report and at most one current report' },
  groups: [
    {
      title: 'options',
      flags: [
        {
          name: '--p95-growth',
          arg: 'PCT',
          help: `p95 regresses when it grows more than PCT % (default ${DEFAULT_COMPARE_OPTIONS.p95GrowthPct})`,
        },
        {
          name: '--error-rate-increase',
          arg: 'PTS',
          help:
            'error rate regresses when it rises more than PTS points ' +
            `(default ${DEFAULT_COMPARE_OPTIONS.errorRateIncreasePts})`,
        },
        {
          name: '--throughput-drop',
          arg: 'PCT',
          help:
            'throughput regresses when it drops more than PCT % ' +
            `(default ${DEFAULT_COMPARE_OPTIONS.throughputDropPct})`,
        },
        {
          name: '--html',
          arg: 'FILE',
          help: "write the page showing both runs side by side here (default: compare.html in\nthe current run's folder, when <current> is one)",
        },
        {
          name: '--min-change',
          arg: 'PCT',
          help:
            'from per-request samples: a latency change inside ±PCT % of the baseline\n' +
            `(and inside the measurement floor) is no change (default ${DEFAULT_NOISE_OPTIONS.minChangePct})`,
        },
        {
          name: '--inconclusive',
          arg: 'fail|pass',
          help: 'how an inconclusive answer exits: 1 (fail) or 0 (pass); without the flag, 3',
        },
        { name: '--seed', arg: 'N', help: `the bootstrap's seed (default ${DEFAULT_NOISE_OPTIONS.seed})` },
        { name: '--save-baseline', help: 'copy <report> (default reports/latest) to the baseline file' },
        {
          name: '--baseline-file',
          arg: 'FILE',
          help: 'where --save-baseline writes (default baselines/baseline.json)',
        },
        HELP,
      ],
    },
  ],
  epilogue: exitLine([0, 1, 2, 3], {
    0: 'no regression',
    1: 'a regression',
    2: 'bad input',
    3: 'inconclusive (noise larger than the margin)',
  }),
};

export const REPORT: Command = {
  usage: ['npm run report -- <run-dir>', 'npm run report -- --merge <runner-dir|file>... [--out-dir DIR]'],
  intro:
    "Rebuilds a run's report.txt, report.json, report.html, junit.xml and summary.md from what the run\n" +
    "left on disk: its own report.json when it wrote one, else k6's summary of each scenario, else k6's per-request\n" +
    'samples (a k6 killed before its summary), marked partial. For a run cut short: the runner killed,\n' +
    'its disk full, read-only or gone. Prints the report, then writes the files into <run-dir>.\n\n' +
    'With --merge: one report, and one verdict, from the runners of a split run: counts summed over the\n' +
    "whole plan, percentiles of all their requests' samples together. Each path is a runner's folder\n" +
    '(summary.json, plan.json, runner.json, samples.csv.gz, k6.log), a file in one, or a folder of them:\n' +
    '  --segments N here         reports/<run-id>/k6/<scenario>/runner-<i>/ (the run merges them itself)\n' +
    '  k6-operator runners       one folder per runner Pod on the results volume (npm run k6:operator\n' +
    '                            writes it): the merge Job reads it there, or copy it here with kubectl cp\n' +
    'Runners of different runs or scenarios are refused; a missing or crashed runner gives a partial report.',
  positionals: {
    min: 1,
    max: 100_000,
    what: "one run folder (npm run report -- <run-dir>), or with --merge the runners' folders",
  },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--merge', help: 'merge the runner folders given into one report' },
        {
          name: '--out-dir',
          arg: 'DIR',
          help: "with --merge: where the merged report's folder goes (default reports)",
        },
        HELP,
      ],
    },
  ],
  epilogue:
    'exit codes: those of the rebuilt report (0 passed · 1 a threshold crossed · 2 error, as for a run that\n' +
    'never wrote its own report, or a runner missing or ended early · 130 interrupted), or 2 when nothing\n' +
    'could be rebuilt or the runners are not of one run of one scenario',
};
