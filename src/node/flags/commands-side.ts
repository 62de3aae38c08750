/**
 * The flags of the commands around a run: compare and report read runs, prompts and setup prepare
 * them. Declared like the others (commands.ts).
 */
import { DEFAULT_COMPARE_OPTIONS } from '../../core/commands/compare.js';
import { DEFAULT_NOISE_OPTIONS } from '../../core/commands/compare-noise.js';
import type { Command } from './declare.js';
import { exitLine } from './commands.js';
import { HELP } from './groups.js';

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
          help:
            "write the page showing both runs side by side here (default: compare.html in\nthe current run's " +
            'folder, when <current> is one)',
        },
        {
          name: '--min-change',
          arg: 'PCT',
          help:
            'per request (samples or windows): a latency change inside ±PCT % of the baseline\n' +
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
    "left on disk: its own report.json when it wrote one, else k6's summary of each scenario, else k6's one-second\n" +
    'windows, or its per-request samples with --samples (a k6 killed before its summary), marked partial.\n' +
    'For a run cut short: the runner killed, its disk full, read-only or gone. Prints the report, then\n' +
    'writes the files into <run-dir>.\n\n' +
    'With --merge: one report, and one verdict, from the runners of a split run: counts summed over the\n' +
    "whole plan, percentiles of all their requests' windows or samples together. Each path is a runner's\n" +
    'folder (summary.json, plan.json, runner.json, windows.jsonl or samples.csv.gz, k6.log), a file in one,\n' +
    'or a folder of them:\n' +
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
