/**
 * Flag groups shared by the commands that mean the same thing by them. A flag whose help differs
 * between commands only by its default is a function of that default.
 */
import type { Flag, FlagGroup } from './declare.js';

export const HELP: Flag = { name: '--help', help: 'this text' };

export const k6Binary = (what = 'k6 binary to use'): Flag => ({
  name: '--k6',
  arg: 'PATH',
  help: `${what} (default: k6 on PATH if v1+, else the cached build)`,
});
export const outDir = (fallback: string): Flag => ({
  name: '--out-dir',
  arg: 'DIR',
  help: `where run folders go (default ${fallback})`,
});
export const baseUrl = (help: string): Flag => ({ name: '--base-url', arg: 'URL', help });
export const ALLOW_REMOTE: Flag = { name: '--allow-remote', help: 'allow a target that is not on this machine' };

/** Which server is loaded, and how it is started: the runner and the sweep. */
export const TARGET: FlagGroup = {
  title: 'target',
  flags: [
    { name: '--no-server', help: 'do not start a server; test the one already at --base-url / --port' },
    { name: '--port', arg: 'N', help: 'port of the server (default 8080)' },
    baseUrl('server to test (default http://127.0.0.1:<port>)'),
    {
      name: '--server',
      arg: 'NAME',
      help:
        "server to start: realizar (default, Realizar's demo model), realizar-model (Realizar\n" +
        "serving a GGUF model) or llamacpp (llama.cpp's llama-server); the last two pick the\n" +
        'OpenAI-compatible API and load --model-file. With --no-server: the make of the server\n' +
        'already at --base-url (its request fields and counters)',
    },
    {
      name: '--model-file',
      arg: 'FILE',
      help: 'GGUF model for --server realizar-model or llamacpp (default: the generated\ntiny model in the tool cache)',
    },
    { name: '--server-cmd', arg: '"CMD"', help: 'start this instead; {host} and {port} are replaced' },
    k6Binary(),
    { name: '--health-timeout', arg: 'SEC', help: 'how long the server may take to answer /health (default 120)' },
    ALLOW_REMOTE,
  ],
};

/** Which API the requests speak. */
export const API: FlagGroup = {
  title: 'API',
  flags: [
    {
      name: '--api',
      arg: 'API',
      help:
        'realizar (native, default) or openai: the OpenAI-compatible /v1 API of vLLM,\n' +
        "llama.cpp's server, Ollama or Realizar (OPENAI_API_KEY: bearer token)",
    },
    { name: '--model', arg: 'NAME', help: "the model OpenAI-compatible requests name (default 'default')" },
  ],
};

/** The load's shape in place of the scenario's: a run's here, and an archive's (k6 cloud, the k6-operator). */
export const SHAPE: Flag[] = [
  {
    name: '--concurrency',
    aliases: ['--clients'],
    arg: 'N',
    help:
      'clients (streams) at once: with --requests, N clients share M requests; with --rate,\n' +
      'at most N requests in flight (a request with no free client is dropped and fails)',
  },
  { name: '--requests', arg: 'M', help: "requests in all, replacing the scenario's" },
  { name: '--rate', arg: 'R', help: 'requests per second (open model), for --duration seconds' },
  {
    name: '--duration',
    arg: 'SEC',
    help: 'how long requests arrive (with --rate, or an open scenario at its own rate)',
  },
  {
    name: '--stages',
    arg: 'R:SEC,...',
    help:
      'open phases one after another, each R requests per second for SEC seconds (2:30,8:30,32:30):\n' +
      'a stepped load in one run, at most --concurrency in flight; in place of --rate and --duration',
  },
];

/** What each request is: its timeout, the endpoints of a mix, a prompt set. */
export const REQUESTS: Flag[] = [
  {
    name: '--timeout',
    arg: 'SEC',
    help: "per-request timeout for every scenario (default: the seed's 30 s or 60 s)",
  },
  { name: '--mix', arg: 'SPEC', help: 'endpoints of the mix scenarios, e.g. health or health=2,generate=1' },
  {
    name: '--prompts',
    arg: 'FILE',
    help: 'a JSONL prompt set ({"prompt": "..."} per line; npm run prompts makes one)',
  },
];

/** The load: a scenario's own shape, or one given here. */
export const LOAD: FlagGroup = {
  title: 'load',
  flags: [
    ...SHAPE,
    { name: '--scale', arg: 'X', help: '0 < X <= 1: run X times the requests (quick checks)' },
    ...REQUESTS,
    { name: '--warmup', arg: 'N', help: 'send N requests before each scenario and leave them out of every figure' },
    {
      name: '--runs',
      arg: 'N',
      help: 'run every scenario N times, interleaved (compare medians with npm run compare)',
    },
    {
      name: '--segments',
      arg: 'N',
      help:
        "split the load over N k6 processes here, each one execution segment as the\nk6-operator's runners get " +
        'them, then merge them into one report (2 to 64)',
    },
  ],
};

/** The seed of every random choice: arrival times, drawn lengths, generated prompts. */
export const SEED: Flag = {
  name: '--seed',
  arg: 'N',
  help: 'seed of every random choice: the same seed, the same schedule (default 1)',
};

/** --arrivals: the run times its open phases by it, the sweep its rate steps. */
export const arrivalProcess = (what: string, needs: string): Flag => ({
  name: '--arrivals',
  arg: 'PROCESS',
  help:
    `when ${what} are due: constant (default, evenly spaced), poisson\n` +
    '(exponential gaps) or gamma:CV (gamma gaps with that coefficient of variation: gamma:1\n' +
    `is poisson, above 1 burstier); needs ${needs}`,
});

/** When requests arrive, and which of them are good. */
export const ARRIVALS: FlagGroup = {
  title: 'arrivals',
  flags: [
    arrivalProcess("an open phase's requests", '--rate or an open scenario'),
    SEED,
    {
      name: '--trace',
      arg: 'FILE',
      help:
        "replay a trace: its arrival times and each request's input and output lengths (Mooncake\n" +
        'JSONL: timestamp, input_length, output_length, hash_ids; Azure LLM inference CSV; BurstGPT CSV)',
    },
    { name: '--time-scale', arg: 'X', help: 'with --trace: replay X times faster than recorded (default 1)' },
    { name: '--trace-limit', arg: 'N', help: 'with --trace: its first N requests only' },
    {
      name: '--goodput',
      arg: 'SPEC',
      help:
        "per-request objectives in ms: 'ttft<500,itl<50,e2e<5000' (streams) or 'latency<200';\n" +
        'the requests meeting every one at once are the goodput (a rule may gate on it)',
    },
  ],
};

/** What the requests carry: token lengths, datasets, shared prefixes, conversations (docs/workloads.md). */
export const WORKLOAD: FlagGroup = {
  title: 'workload',
  flags: [
    {
      name: '--input-tokens',
      arg: 'SPEC',
      help:
        "prompt length in the server's tokens: N, MIN:MAX (uniform) or lognormal:MEAN:SPREAD[:MAX]\n" +
        '(default 128 when another workload option is given); drawn with --seed',
    },
    {
      name: '--output-tokens',
      arg: 'SPEC',
      help: 'tokens asked for (max_tokens), same forms; forced where the server allows (llama.cpp ignore_eos)',
    },
    {
      name: '--dataset',
      arg: 'FILE',
      help:
        'prompts from a file: workload JSONL, ShareGPT JSON, Mooncake trace JSONL, Azure trace CSV\n' +
        'or BurstGPT trace CSV (told by its content)',
    },
    {
      name: '--dataset-format',
      arg: 'NAME',
      help: 'workload, sharegpt, mooncake, azure or burstgpt (default: told by the content)',
    },
    {
      name: '--prefix-tokens',
      arg: 'N',
      help: 'every prompt starts with one of --prefix-groups shared prefixes of N tokens',
    },
    { name: '--prefix-groups', arg: 'N', help: 'how many different shared prefixes (default 1)' },
    {
      name: '--prompt-cache',
      arg: 'on|off',
      help:
        "whether the server may reuse its prompt cache (llama.cpp's cache_prompt); default off,\n" +
        'on with --prefix-tokens',
    },
    {
      name: '--turns',
      arg: 'N',
      help:
        'conversations of N user turns: each client holds one, every turn carries the earlier turns\n' +
        "with the server's actual replies (--requests counts turns)",
    },
    {
      name: '--think-time',
      arg: 'SEC',
      help: "with conversations: a user's pause between a reply and the next turn (default 0)",
    },
  ],
};

/** What fails the run. */
export const GATE: FlagGroup = {
  title: 'gate',
  flags: [
    { name: '--gate', arg: 'TIER', help: 'which thresholds fail the run: acceptable (default) or target' },
    {
      name: '--thresholds-dir',
      arg: 'DIR',
      help:
        'take the thresholds files from DIR instead of thresholds/: DIR/<scenario>.json, for\n' +
        'the scenarios this run runs only',
    },
  ],
};

/** Where results go. */
export const OUTPUT: FlagGroup = {
  title: 'output',
  flags: [
    outDir('reports'),
    { name: '--dashboard', help: "also export k6's web dashboard (dashboard.html): 6 % more k6 CPU, a longer tail" },
    { name: '--no-dashboard', help: "the default: no k6 dashboard (report.html draws the run from k6's windows)" },
    {
      name: '--samples',
      help:
        "write k6's per-request samples (samples.csv.gz) instead: outage ends to the ms, latency\n" +
        "bands and compare from every request, k6's checks in a report rebuilt if k6 dies; a\n" +
        "quarter more k6 CPU at full speed (on by itself when --k6-out takes k6's remote-write\n" +
        'output, which the windows need)',
    },
    {
      name: '--no-samples',
      help:
        "the default: k6's own one-second windows (windows.jsonl) give outages, latency bands,\n" +
        'drift and leak, and a report if k6 dies, instead of per-request samples',
    },
    {
      name: '--calibrate',
      help:
        "streamed scenarios: first measure the client's own bias against the toolkit's\n" +
        'reference stream server at the same concurrency, a few seconds (the default)',
    },
    { name: '--no-calibrate', help: 'skip that measurement floor' },
    {
      name: '--k6-out',
      arg: 'URI',
      repeatable: true,
      help: "also send k6's metrics to this output (k6 run --out), repeatable,\ne.g. experimental-prometheus-rw",
    },
  ],
};

/** Watching the server while it is loaded. */
export const MONITOR: FlagGroup = {
  title: 'server watch',
  flags: [
    { name: '--server-pid', arg: 'PID', help: "with --no-server: watch this process's memory and CPU during the load" },
    {
      name: '--server-profile',
      arg: 'NAME',
      help:
        'server profile (profiles/NAME.json or a file) for the /metrics cross-check; default:\n' +
        "the started server's (realizar, llamacpp), none with --api openai; 'none' skips it",
    },
    {
      name: '--scrape-interval',
      arg: 'SEC',
      help:
        "scrape the server's metrics every SEC seconds during the load, for the series its\nprofile names " +
        '(queue, KV cache, tokens/s) over time (default 1; 0: off)',
    },
  ],
};
