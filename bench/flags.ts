/**
 * The benchmark's flags, declared once (src/node/flags/declare.ts): the parser, the usage text and
 * its options block in docs/performance.md come from here.
 */
import type { Command } from '../src/node/flags/declare.js';
import { ALL_GENERATORS, GENERATORS } from './lib/generators.js';

export const EXPERIMENT_NAMES = [
  'distortion',
  'ceiling',
  'validation',
  'orchestration',
  'bundling',
  'memory',
  'soak',
  'arrivals',
  'streams',
] as const;
/** What a run without --only makes: every experiment but the 17-minute soak. */
export const DEFAULT_EXPERIMENTS = EXPERIMENT_NAMES.filter((n) => n !== 'soak');

export const BENCH: Command = {
  usage: [
    'npm run bench -- [options]',
    'npm run bench -- stream-accuracy [options]   (bench/stream-accuracy.ts)',
    'npm run bench -- segments-truth [options]    (bench/segments-truth.ts)',
    'npm run bench -- workload [options]          (bench/workload.ts)',
  ],
  intro: 'Measures what the toolkit costs as a load generator on this machine; asserts nothing.',
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'options',
      flags: [
        {
          name: '--only',
          arg: 'LIST',
          help:
            `experiments to run, comma-separated, from ${EXPERIMENT_NAMES.join(',')}\n` +
            '(default all but soak, a million requests over 17 minutes)',
        },
        { name: '--rounds', arg: 'N', help: 'measure each figure N times, interleaved (default 5, 1 with --quick)' },
        { name: '--quick', help: 'a short smoke run: small counts, 2 s per distortion run, one round' },
        {
          name: '--out',
          arg: 'PATH',
          help:
            'write the record here: FILE.json (and FILE.md beside it), or a folder\n' +
            '(default: a new dated file in bench/results; nothing is overwritten)',
        },
        {
          name: '--rates',
          arg: 'LIST',
          help: 'distortion: offered rates in requests per second (default 200,500,1000)',
        },
        { name: '--duration', arg: 'SEC', help: 'distortion: seconds per run (default 30; 2 with --quick)' },
        { name: '--clients', arg: 'N', help: 'distortion: most requests in flight (default 50)' },
        { name: '--endpoints', arg: 'LIST', help: 'distortion: generate, health or both (default generate,health)' },
        {
          name: '--generators',
          arg: 'LIST',
          help:
            `distortion: the generators compared, from ${ALL_GENERATORS.join(',')}\n` +
            `(default ${GENERATORS.join(',')})`,
        },
        { name: '--help', help: 'this text' },
      ],
    },
  ],
};

export const STREAM_ACCURACY: Command = {
  usage: ['npm run bench -- stream-accuracy [options]'],
  intro:
    'How true the streamed figures are: the stream scenario against a test server that writes its first token\n' +
    'and every later one at set times and records when it actually wrote each, at several concurrencies;\n' +
    "the client's TTFT, ITL and end-to-end minus the server's. Writes bench/results/<date>-stream-accuracy.{json,md}.",
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'options',
      flags: [
        {
          name: '--concurrency',
          arg: 'LIST',
          help: 'concurrent streams to measure at (default 1,8,32,64; 8 with --quick)',
        },
        { name: '--per-client', arg: 'K', help: 'requests each stream sends (default 10; 2 with --quick)' },
        { name: '--rounds', arg: 'N', help: 'interleaved rounds, medians reported (default 3; 1 with --quick)' },
        { name: '--api', arg: 'API', help: 'realizar (native /stream/generate, default) or openai (chat stream)' },
        {
          name: '--first-token-ms',
          arg: 'MS',
          help: "the test server's first token, after each request arrives (default 100)",
        },
        { name: '--gap-ms', arg: 'MS', help: 'its gap between later tokens (default 20)' },
        { name: '--tokens', arg: 'N', help: 'tokens per stream (default 16)' },
        { name: '--browser-args', arg: 'LIST', help: 'more Chromium flags, comma-separated (for experiments)' },
        { name: '--out', arg: 'DIR', help: 'where the record goes (default bench/results)' },
        { name: '--quick', help: 'a short smoke run' },
        { name: '--help', help: 'this text' },
      ],
    },
  ],
};

export const SEGMENTS_TRUTH: Command = {
  usage: ['npm run bench -- segments-truth [options]'],
  intro:
    'The truth of a split run: the spike and the stream scenario run whole and split over 2 and 4 k6 processes\n' +
    "(--segments) against one Realizar; counts, merged percentiles beside those of all the runners' samples,\n" +
    'verdicts; then a runner missing, one SIGKILLed, runners of different runs or scenarios given to the merge.\n' +
    'Writes bench/results/<date>-segments-truth.{json,md}.',
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--out', arg: 'DIR', help: 'where the record goes (default bench/results)' },
        { name: '--quick', help: 'every run scaled to 0.2' },
        { name: '--help', help: 'this text' },
      ],
    },
  ],
};

export const WORKLOAD_BENCH: Command = {
  usage: ['npm run bench -- workload [options]'],
  intro:
    "What the workload does to a real server, measured with the toolkit alone against llama.cpp's llama-server\n" +
    'and the tiny model: TTFT at two input lengths (prefill cost), and with shared prefixes, its prompt cache on\n' +
    "and off; with the server's own prompt-token counters beside what the report says was sent.\n" +
    'Writes bench/results/<date>-workload.{json,md}.',
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--inputs', arg: 'A,B', help: 'the two input lengths compared, tokens (default 128,1024)' },
        { name: '--requests', arg: 'N', help: 'requests per run, one at a time (default 4; 2 with --quick)' },
        { name: '--prefix', arg: 'TOKENS:GROUPS', help: 'the shared prefixes of the cache runs (default 768:2)' },
        { name: '--out', arg: 'DIR', help: 'where the record goes (default bench/results)' },
        { name: '--quick', help: 'a short smoke run (inputs 32,128, prefix 96:2, input 128)' },
        { name: '--help', help: 'this text' },
      ],
    },
  ],
};
