import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeK6Var,
  encodeK6Environment,
  encodeK6Vars,
  K6_FILES,
  K6_VARS,
  k6ArchiveArgv,
  k6CloudArgv,
  k6EnvArgs,
  k6RunArgv,
  operatorRunArgs,
  runFile,
  scenarioRunArgv,
  windowsEnv,
  segmentArgs,
  SYSTEM_TAGS,
  type K6EnvironmentValues,
  type K6VarName,
  type K6Vars,
} from '../../src/core/contract.js';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { parseGoodput } from '../../src/core/rules/goodput.js';

/** A value for every variable: a variable added to the contract without one here does not compile. */
const SAMPLE: K6Vars & Required<{ [K in keyof K6EnvironmentValues]: string }> = {
  BASE_URL: 'http://127.0.0.1:8080/base',
  GATE: 'target',
  SCALE: 0.25,
  MIX: [
    { endpoint: 'health', weight: 2 },
    { endpoint: 'generate', weight: 1 },
  ],
  OUT_DIR: '/tmp/run/k6/health',
  RUN_ID: '2026-12-06T07-30-00Z-spike',
  VALIDATE_BODIES: false,
  TIMEOUT_SEC: 2.5,
  API: 'openai',
  MODEL: 'tiny llama',
  SERVER: 'llamacpp',
  PROMPTS_FILE: '/tmp/prompts.jsonl',
  WARMUP_REQUESTS: 20,
  SHAPE_CLIENTS: 32,
  SHAPE_REQUESTS: 640,
  SHAPE_RATE: 12.5,
  SHAPE_DURATION_SEC: 30,
  SHAPE_STAGES: [
    { rate: 2, durationSec: 30 },
    { rate: 8.5, durationSec: 10 },
  ],
  THRESHOLDS_SOURCE: 'thresholds/health.json',
  ARRIVALS: { process: 'gamma', cv: 2 },
  SEED: 7,
  ARRIVALS_FILE: '/tmp/run/k6/stream/arrivals.json',
  TRACE_SOURCE: 'mooncake.jsonl',
  TIME_SCALE: 10,
  GOODPUT: parseGoodput('--goodput', 'ttft<500,itl<=50'),
  WORKLOAD: {
    source: 'generated from the seed',
    seed: 7,
    input: '256 tokens',
    output: '64 tokens',
    prefix: null,
    turns: 4,
    thinkTimeSec: 1,
    conversations: true,
    chat: true,
    promptCache: 'off',
    tokenizer: "llama.cpp's POST /tokenize",
    outputLength: 'max_tokens with ignore_eos',
    perRequest: 1,
    file: '/tmp/run/workload-stream.jsonl',
    defaultOutputTokens: 5,
  },
  PROMPT_CACHE: true,
  RATE: 40,
  WINDOW_SEC: 5,
  CLIENTS: 8,
  OPENAI_API_KEY: 'sk-test',
  K6_BROWSER_ARGS: 'no-first-run,host-resolver-rules=MAP *.k6-streams.test 127.0.0.1',
};

const NAMES = Object.keys(K6_VARS) as K6VarName[];

/** Text k6 might hold that no value of the variable stands for; null: every text is a value. */
const BAD: Record<K6VarName, string | null> = {
  BASE_URL: 'localhost:8080',
  GATE: 'strict',
  SCALE: '1.5',
  MIX: 'health=2,nowhere',
  OUT_DIR: null,
  RUN_ID: null,
  VALIDATE_BODIES: 'yes',
  TIMEOUT_SEC: '0',
  API: 'grpc',
  MODEL: null,
  SERVER: 'vllm',
  PROMPTS_FILE: null,
  WARMUP_REQUESTS: '2.5',
  SHAPE_CLIENTS: '0',
  SHAPE_REQUESTS: '-3',
  SHAPE_RATE: 'fast',
  SHAPE_DURATION_SEC: '-1',
  SHAPE_STAGES: '2:30,8',
  THRESHOLDS_SOURCE: null,
  ARRIVALS: 'bursty',
  SEED: '-1',
  ARRIVALS_FILE: null,
  TRACE_SOURCE: null,
  TIME_SCALE: '0',
  GOODPUT: 'ttft<fast',
  WORKLOAD: '{"source": 1}',
  PROMPT_CACHE: 'yes',
  RATE: 'NaN',
  WINDOW_SEC: 'Infinity',
  CLIENTS: '-2',
  OPENAI_API_KEY: null,
  K6_BROWSER_ARGS: null,
};

const encodeOne = (name: K6VarName): string => {
  const v = K6_VARS[name];
  return v.via === 'arg'
    ? encodeK6Vars({ [name]: SAMPLE[name] })[name]!
    : encodeK6Environment({ [name]: SAMPLE[name] } as K6EnvironmentValues)[name]!;
};

describe('the k6 variables', () => {
  it('are each written by the Node side and read back by the k6 side as the same value', () => {
    for (const name of NAMES) {
      const text = encodeOne(name);
      assert.deepEqual(decodeK6Var(K6_VARS[name] as never, text), SAMPLE[name], name);
    }
  });

  it('each carry their own name', () => {
    for (const name of NAMES) assert.equal(K6_VARS[name].name, name);
  });

  it('take their fallback when absent or empty, and null when they have none', () => {
    assert.equal(decodeK6Var(K6_VARS.BASE_URL, undefined), 'http://127.0.0.1:8080');
    assert.equal(decodeK6Var(K6_VARS.GATE, ''), 'acceptable');
    assert.equal(decodeK6Var(K6_VARS.SCALE, undefined), 1);
    assert.equal(decodeK6Var(K6_VARS.VALIDATE_BODIES, undefined), true);
    assert.equal(decodeK6Var(K6_VARS.PROMPT_CACHE, undefined), false);
    assert.equal(decodeK6Var(K6_VARS.API, undefined), 'realizar');
    assert.equal(decodeK6Var(K6_VARS.MODEL, undefined), 'default');
    assert.equal(decodeK6Var(K6_VARS.WINDOW_SEC, undefined), 10);
    assert.equal(decodeK6Var(K6_VARS.CLIENTS, ''), 50);
    assert.equal(decodeK6Var(K6_VARS.TIMEOUT_SEC, undefined), null);
    assert.equal(decodeK6Var(K6_VARS.MIX, undefined), null);
    assert.equal(decodeK6Var(K6_VARS.SERVER, ''), null);
  });

  it('refuse bad text with an error naming the variable, what was expected and what was found', () => {
    for (const name of NAMES) {
      const text = BAD[name];
      if (text === null) continue;
      assert.throws(
        () => decodeK6Var(K6_VARS[name] as never, text),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.source === `k6 environment variable ${name}` &&
          e.problems.every((p) => p.expected.length > 0 && p.found.includes(text.split(',').pop()!)),
        name,
      );
    }
    assert.throws(() => decodeK6Var(K6_VARS.GATE, 'strict'), {
      message: "k6 environment variable GATE: expected 'acceptable' or 'target', found 'strict'",
    });
    assert.throws(() => decodeK6Var(K6_VARS.SHAPE_CLIENTS, '0'), {
      message: "k6 environment variable SHAPE_CLIENTS: expected a whole number greater than 0, found '0'",
    });
    assert.throws(
      () => decodeK6Var(K6_VARS.SERVER, 'vllm'),
      /SERVER: expected one of realizar, realizar-model, llamacpp, found 'vllm'/,
    );
    assert.throws(
      () => decodeK6Var(K6_VARS.MIX, 'health=2,nowhere'),
      /k6 environment variable MIX: at \/1: expected endpoint\[=weight\]/,
    );
  });

  it('drops the trailing slashes of a base URL, so paths join onto it', () => {
    assert.equal(decodeK6Var(K6_VARS.BASE_URL, 'http://10.0.0.2:8080//'), 'http://10.0.0.2:8080');
  });

  it('become -e NAME=value arguments, with a null value left out', () => {
    assert.deepEqual(
      k6EnvArgs({
        BASE_URL: 'http://h:1',
        SCALE: 0.5,
        MIX: [{ endpoint: 'health', weight: 1 }],
        TIMEOUT_SEC: null,
        PROMPT_CACHE: false,
      }),
      ['-e', 'BASE_URL=http://h:1', '-e', 'SCALE=0.5', '-e', 'MIX=health=1', '-e', 'PROMPT_CACHE=off'],
    );
  });

  it('keep the inherited ones off the command line', () => {
    assert.throws(
      () => encodeK6Vars({ OPENAI_API_KEY: 'sk-1' } as never),
      /OPENAI_API_KEY is not a k6 variable passed through -e/,
    );
    assert.throws(
      () => encodeK6Environment({ GATE: 'target' } as never),
      /GATE is not a k6 variable passed through the environment/,
    );
    assert.deepEqual(encodeK6Environment({ K6_BROWSER_ARGS: 'a,b' }), { K6_BROWSER_ARGS: 'a,b' });
  });
});

describe('the run folder', () => {
  it('keeps the file names old run folders were written with (a rebuilt report reads them)', () => {
    assert.deepEqual(K6_FILES, {
      summary: 'summary.json',
      plan: 'plan.json',
      log: 'k6.log',
      runner: 'runner.json',
      samples: 'samples.csv.gz',
      windows: 'windows.jsonl',
      dashboard: 'dashboard.html',
      archive: 'archive.tar',
      archiveLog: 'archive.log',
    });
  });

  it('joins a file onto a folder as both runtimes can', () => {
    assert.equal(runFile('/r/k6/health', K6_FILES.summary), '/r/k6/health/summary.json');
    assert.equal(runFile('/r/k6/health/', K6_FILES.plan), '/r/k6/health/plan.json');
  });
});

describe('the k6 command lines', () => {
  it('run a scenario on this machine, its samples and summary in its folder, every variable as -e', () => {
    const argv = scenarioRunArgv({
      script: '/dist/k6-runner/health.js',
      outDir: '/r/k6/health',
      samples: true,
      outputs: ['json=/tmp/out.json'],
      vars: {
        BASE_URL: 'http://127.0.0.1:8080',
        GATE: 'acceptable',
        SCALE: 1,
        MIX: null,
        TIMEOUT_SEC: null,
        API: 'openai',
        MODEL: 'm',
      },
    });
    assert.deepEqual(argv, [
      'run',
      '--no-usage-report',
      '--address',
      '127.0.0.1:0',
      '--out',
      `csv=/r/k6/health/${K6_FILES.samples}`,
      '--system-tags',
      'scenario,status,method,name,group,check,error,error_code',
      '--out',
      'json=/tmp/out.json',
      '-e',
      'BASE_URL=http://127.0.0.1:8080',
      '-e',
      'GATE=acceptable',
      '-e',
      'SCALE=1',
      '-e',
      'API=openai',
      '-e',
      'MODEL=m',
      '-e',
      'OUT_DIR=/r/k6/health',
      '/dist/k6-runner/health.js',
    ]);
  });

  it('without samples write no CSV', () => {
    const argv = scenarioRunArgv({ script: 's.js', outDir: '/r', samples: false, outputs: [], vars: {} });
    assert.ok(!argv.some((a) => a.startsWith('csv=')), argv.join(' '));
    assert.deepEqual(argv.slice(-3), ['-e', 'OUT_DIR=/r', 's.js']);
  });

  it("without samples but with windows add k6's remote-write output, configured from the environment", () => {
    const argv = scenarioRunArgv({
      script: 's.js',
      outDir: '/r',
      samples: false,
      windows: true,
      outputs: [],
      vars: {},
    });
    assert.ok(argv.join(' ').includes('--out experimental-prometheus-rw'), argv.join(' '));
    const env = windowsEnv('http://127.0.0.1:1/api/v1/write');
    assert.equal(env['K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM'], 'true');
    assert.equal(env['K6_PROMETHEUS_RW_SERVER_URL'], 'http://127.0.0.1:1/api/v1/write');
    // With samples the windows are not asked for: the CSV holds more.
    const both = scenarioRunArgv({ script: 's.js', outDir: '/r', samples: true, windows: true, outputs: [], vars: {} });
    assert.ok(!both.includes('experimental-prometheus-rw'), both.join(' '));
  });

  it("run another script with its own variables after the toolkit's", () => {
    assert.deepEqual(
      k6RunArgv({
        script: 'bare.js',
        vars: { BASE_URL: 'http://h:1' },
        flags: ['--quiet'],
        scriptVars: { BENCH_VUS: '10' },
      }),
      [
        'run',
        '--no-usage-report',
        '--address',
        '127.0.0.1:0',
        '--quiet',
        '-e',
        'BASE_URL=http://h:1',
        '-e',
        'BENCH_VUS=10',
        'bare.js',
      ],
    );
  });

  it('archive, upload and run in the cloud without copying the environment, the target as -e', () => {
    assert.deepEqual(
      k6ArchiveArgv({ script: 'health.js', archiveFile: '/r/archive.tar', vars: { BASE_URL: 'http://h:1' } }),
      ['archive', '--include-system-env-vars=false', '-e', 'BASE_URL=http://h:1', '-O', '/r/archive.tar', 'health.js'],
    );
    assert.deepEqual(
      k6CloudArgv({ command: 'upload', archive: 'a.tar', vars: { BASE_URL: 'http://h:1' }, localExecution: false }),
      ['cloud', 'upload', '--include-system-env-vars=false', '-e', 'BASE_URL=http://h:1', 'a.tar'],
    );
    const local = k6CloudArgv({ command: 'run', archive: 'a.tar', vars: {}, localExecution: true });
    assert.deepEqual(local.slice(0, 6), [
      'cloud',
      'run',
      '--local-execution',
      '--no-usage-report',
      '--address',
      '127.0.0.1:0',
    ]);
  });

  it("give the k6-operator's runners the target and no usage report", () => {
    assert.deepEqual(operatorRunArgs({ BASE_URL: 'http://svc:8080' }), [
      '-e',
      'BASE_URL=http://svc:8080',
      '--no-usage-report',
    ]);
  });

  it("give the k6-operator's runners a results folder: what a merge needs, each flag and value its own token", () => {
    const args = operatorRunArgs({ BASE_URL: 'http://svc:8080', RUN_ID: 'r1' }, '/results');
    assert.deepEqual(args, [
      '-e',
      'BASE_URL=http://svc:8080',
      '-e',
      'RUN_ID=r1',
      '-e',
      'OUT_DIR=/results',
      '--out',
      'csv=/results/samples.csv.gz',
      '--system-tags',
      SYSTEM_TAGS.join(','),
      '--log-output=file=/results/k6.log',
      '--no-usage-report',
    ]);
    // The operator splits spec.arguments on single spaces: no token may hold one.
    for (const token of args) assert.match(token, /^[^\s'"]+$/);
  });

  it('make one k6 run one share of a split run with the flags the k6-operator passes its runners', () => {
    const argv = scenarioRunArgv({
      script: '/dist/k6-runner/spike.js',
      outDir: '/r/k6/spike/runner-2',
      samples: true,
      outputs: [],
      vars: { BASE_URL: 'http://127.0.0.1:8080', RUN_ID: 'r1' },
      segment: { segment: '1/4:1/2', sequence: '0,1/4,1/2,3/4,1' },
    });
    assert.ok(argv.includes('--execution-segment=1/4:1/2'), argv.join(' '));
    assert.ok(argv.includes('--execution-segment-sequence=0,1/4,1/2,3/4,1'), argv.join(' '));
    assert.ok(argv.includes('RUN_ID=r1'));
    assert.equal(argv[argv.length - 1], '/dist/k6-runner/spike.js');
    assert.deepEqual(segmentArgs(null), []);
  });
});
