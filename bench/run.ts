/**
 * npm run bench: what the toolkit costs as a load generator. Not a test — it measures speed and
 * memory on this machine and writes bench/results/<date>.json and .md; nothing here asserts a figure.
 *
 *   1. generator ceiling: requests/s at full speed against Realizar's /health — our health request
 *      path (checks, schema validation, thresholds), a bare one-line k6 script, a k6 script that
 *      checks status and body by hand, and wrk;
 *   2. validation cost: ours with VALIDATE_BODIES=false;
 *   3. orchestration overhead: command → k6's first request, and k6's last request → report written
 *      (tools already built, --no-server so the server's start is not counted);
 *   4. bundling: esbuild over every scenario;
 *   5. k6's peak RSS at 10, 100 and 1000 VUs;
 *   6. the ceiling again with the server and the generator pinned to a core each (taskset).
 * Each figure is the median of several runs, interleaved across tools, with min and max.
 *
 *   npm run bench -- [--rounds N] [--quick] [--out DIR]
 */
// wrk -v prints its version and exits non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { bundleEntries, bundleScenarios } = await import('../build/bundle.js');
const { cacheDirFrom, childEnv } = await import('../src/node/config.js');
const { resolveK6, resolveRealizar } = await import('../src/node/tools.js');
const { shellJoin, spawnGroup, stopChild, killAllNow } = await import('../src/node/processes.js');
const { waitForHealth } = await import('../src/node/server.js');
const { realizarCommand } = await import('../src/node/target.js');
const { listScenarios } = await import('../src/node/scenarios.js');
const { writeAtomic } = await import('../src/node/report-files.js');
const { ROOT } = await import('../src/node/paths.js');
const { readRequestTimeline } = await import('../src/node/timeline.js');

process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const outArg = args.indexOf('--out');
const ROUNDS = roundsArg === -1 ? (quick ? 1 : 5) : Number(args[roundsArg + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds: expected a whole number >= 1, found ${args[roundsArg + 1]}`);
/** Requests per ceiling run: enough for several seconds at full speed. */
const CEILING_REQUESTS = quick ? 2_000 : 20_000;
const CLIENTS = 10;
const WRK_SECONDS = quick ? 2 : 5;
const MEMORY_VUS = quick ? [10, 100] : [10, 100, 1000];

const log = (m: string): boolean => process.stderr.write(`[bench] ${m}\n`);

interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

function stat(runs: number[]): Stat {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs };
}

async function run(name: string, command: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawnGroup(name, command, { env: childEnv(env) });
  let output = '';
  child.onOutput((c) => (output += c));
  const exit = await child.exited;
  return { code: exit.code, output };
}

const cacheDir = cacheDirFrom(process.env);
const k6 = await resolveK6({ flagPath: null, cacheDir });
const realizar = await resolveRealizar({ cacheDir });
const wrk = existsSync('/usr/bin/wrk') ? '/usr/bin/wrk' : null;
if (wrk === null) log('wrk is not installed (apt-get install wrk): its rows are left out');
const cores = os.availableParallelism();
const canPin = cores >= 2 && existsSync('/usr/bin/taskset');

const work = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-bench-'));
const buildDir = path.join(ROOT, 'bench', '.build');
await mkdir(buildDir, { recursive: true });
// One bundle per client count: esbuild's define fixes BENCH_VUS at build time.
const ceiling: Record<number, string> = {};
for (const vus of [CLIENTS, ...MEMORY_VUS]) {
  const out = path.join(buildDir, `vus-${vus}`);
  const [script] = await bundleEntries([path.join(ROOT, 'bench', 'k6', 'ceiling.ts')], out, { define: { BENCH_VUS: String(vus) } });
  ceiling[vus] = script!;
}

async function startRealizar(port: number, pin: string | null): Promise<ReturnType<typeof spawnGroup>> {
  const cmd = realizarCommand(realizar.path, '127.0.0.1', port);
  const server = spawnGroup('server', pin === null ? cmd : `taskset -c ${pin} ${cmd}`, { env: childEnv() });
  log(`realizar ${realizar.version} on port ${port}${pin === null ? '' : `, pinned to core ${pin}`}`);
  await waitForHealth(`http://127.0.0.1:${port}`, 60, null, 'see the realizar output');
  return server;
}

const scaleFor = (requests: number): string => String(requests / 1_000_000);
let seq = 0;

/** Requests/s of one k6 run, from its own summary (k6's test-run time excludes its start-up). */
async function k6Rps(script: string, baseUrl: string, extraEnv: Record<string, string>, pin: string | null, vus = CLIENTS, requests = CEILING_REQUESTS): Promise<number> {
  const outDir = path.join(work, `k6-${++seq}`);
  await mkdir(outDir);
  const k6Args = ['run', '--quiet', '--no-usage-report', '--address', '127.0.0.1:0', '-e', `BASE_URL=${baseUrl}`, '-e', `OUT_DIR=${outDir}`, '-e', `SCALE=${scaleFor(requests)}`, '-e', `BENCH_VUS=${vus}`, '-e', `BENCH_REQUESTS=${requests}`, script];
  const cmd = shellJoin(k6.path, k6Args);
  const r = await run('k6', pin === null ? cmd : `taskset -c ${pin} ${cmd}`, { K6_NO_COLOR: 'true', ...extraEnv });
  const file = path.join(outDir, 'summary.json');
  if (!existsSync(file)) throw new Error(`k6 wrote no summary (exit ${r.code}):\n${r.output.slice(-2000)}`);
  const summary = JSON.parse(await readFile(file, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }>; state: { testRunDurationMs: number } };
  const count = summary.metrics['http_reqs']?.values['count'] ?? 0;
  if (count !== requests) throw new Error(`k6 sent ${count} of ${requests} requests`);
  return count / (summary.state.testRunDurationMs / 1000);
}

async function wrkRps(baseUrl: string, pin: string | null): Promise<number> {
  const threads = pin === null ? '2' : '1';
  const cmd = shellJoin(wrk!, ['-t', threads, '-c', String(CLIENTS), '-d', `${WRK_SECONDS}s`, `${baseUrl}/health`]);
  const r = await run('wrk', pin === null ? cmd : `taskset -c ${pin} ${cmd}`);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.output);
  if (m === null) throw new Error(`wrk printed no rate:\n${r.output}`);
  return Number(m[1]);
}

const bareScript = path.join(ROOT, 'bench', 'k6', 'bare.js');
const checkedScript = path.join(ROOT, 'bench', 'k6', 'checked.js');

async function ceilingRound(baseUrl: string, generatorPin: string | null, into: Record<string, number[]>, withNoValidation: boolean): Promise<void> {
  const add = (k: string, v: number): void => {
    (into[k] ??= []).push(v);
  };
  // Interleaved: one run of each, then the next round, so a slow moment of the machine spreads.
  add('ours', await k6Rps(ceiling[CLIENTS]!, baseUrl, {}, generatorPin));
  if (withNoValidation) add('ours, validation off', await k6Rps(ceiling[CLIENTS]!, baseUrl, { VALIDATE_BODIES: 'false' }, generatorPin));
  add('bare k6', await k6Rps(bareScript, baseUrl, {}, generatorPin));
  add('k6 checking status and body by hand', await k6Rps(checkedScript, baseUrl, {}, generatorPin));
  if (wrk !== null) add('wrk', await wrkRps(baseUrl, generatorPin));
}

const results: Record<string, unknown> = {};
const port = 18000 + Math.floor(Math.random() * 2000);
const baseUrl = `http://127.0.0.1:${port}`;

try {
  // 1, 2: ceiling, shared cores.
  let server = await startRealizar(port, null);
  const shared: Record<string, number[]> = {};
  for (let r = 1; r <= ROUNDS; r++) {
    log(`ceiling, shared cores, round ${r}/${ROUNDS}`);
    await ceilingRound(baseUrl, null, shared, true);
  }
  results['ceilingShared'] = Object.fromEntries(Object.entries(shared).map(([k, v]) => [k, stat(v)]));

  // 3: orchestration overhead, against the running server.
  const before: number[] = [];
  const after: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    log(`orchestration overhead, round ${r}/${ROUNDS}`);
    const out = path.join(work, `runner-${r}`);
    const t0 = Date.now();
    const res = await run('runner', shellJoin(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'run.ts'), 'health', '--no-server', '--port', String(port), '--scale', '0.1', '--no-dashboard', '--server-profile', 'none', '--out-dir', out]));
    if (res.code !== 0 && res.code !== 1) throw new Error(`the runner failed (exit ${res.code}):\n${res.output.slice(-2000)}`);
    const dir = path.join(out, 'latest');
    const timeline = await readRequestTimeline(path.join(dir, 'k6', 'health', 'samples.csv.gz'));
    if (timeline === null || timeline.length === 0) throw new Error('no request timeline');
    // k6 stamps a request's samples when it completes: start = stamp - duration.
    const firstStart = Math.min(...timeline.map((e) => e.tMs - e.latencyMs));
    const lastEnd = Math.max(...timeline.map((e) => e.tMs));
    before.push(firstStart - t0);
    after.push(statSync(path.join(dir, 'report.json')).mtimeMs - lastEnd);
  }
  results['orchestration'] = { commandToFirstRequestMs: stat(before), lastRequestToReportMs: stat(after), totalMs: stat(before.map((b, i) => b + after[i]!)) };

  // 5: k6's peak memory by number of VUs (each VU sends 20 requests).
  const memory: Record<string, Stat> = {};
  for (const vus of MEMORY_VUS) {
    const peaks: number[] = [];
    for (let r = 1; r <= Math.min(ROUNDS, 3); r++) {
      log(`k6 memory at ${vus} VUs, round ${r}`);
      const outDir = path.join(work, `mem-${vus}-${r}`);
      await mkdir(outDir);
      const cmd = shellJoin('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', k6.path, 'run', '--quiet', '--no-usage-report', '--address', '127.0.0.1:0', '-e', `BASE_URL=${baseUrl}`, '-e', `OUT_DIR=${outDir}`, '-e', `SCALE=${scaleFor(vus * 20)}`, ceiling[vus]!]);
      const res = await run('k6', cmd, { K6_NO_COLOR: 'true' });
      const m = /PEAK_RSS_KB=(\d+)/.exec(res.output);
      if (m === null) throw new Error(`no peak RSS from /usr/bin/time:\n${res.output.slice(-1000)}`);
      peaks.push(Number(m[1]) / 1024);
    }
    memory[String(vus)] = stat(peaks);
  }
  results['k6PeakRssMb'] = memory;
  await stopChild(server);

  // 6: ceiling with the server on core 0 and the generator on core 1.
  if (canPin) {
    server = await startRealizar(port, '0');
    const pinned: Record<string, number[]> = {};
    for (let r = 1; r <= ROUNDS; r++) {
      log(`ceiling, server on core 0 and generator on core 1, round ${r}/${ROUNDS}`);
      await ceilingRound(baseUrl, '1', pinned, false);
    }
    results['ceilingPinned'] = Object.fromEntries(Object.entries(pinned).map(([k, v]) => [k, stat(v)]));
    await stopChild(server);
  }

  // 4: bundling every scenario.
  const names = await listScenarios();
  const times: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const t = performance.now();
    await bundleScenarios(names, path.join(work, `bundle-${r}`), null);
    times.push(performance.now() - t);
  }
  results['bundlingMs'] = { scenarios: names.length, ...stat(times) };
} finally {
  killAllNow();
  await rm(work, { recursive: true, force: true });
}

const cpu = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();
const date = new Date().toISOString();
const record = {
  date,
  machine: { cores, cpu, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, k6: k6.version, realizar: realizar.version, wrk: wrk === null ? null : (spawnSync(wrk, ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? null) },
  settings: { rounds: ROUNDS, clients: CLIENTS, ceilingRequests: CEILING_REQUESTS, wrkSeconds: WRK_SECONDS, quick },
  ...results,
};

// ---- the Markdown table ----
const f = (n: number, d = 0): string => n.toFixed(d);
const s = (x: Stat, d = 0): string => `${f(x.median, d)} (${f(x.min, d)}–${f(x.max, d)})`;
const shared = results['ceilingShared'] as Record<string, Stat>;
const pinned = results['ceilingPinned'] as Record<string, Stat> | undefined;
const lines = [
  `Benchmark of ${date.slice(0, 10)} on ${cores} cores (${cpu}); median (min–max) of ${ROUNDS} interleaved run(s).`,
  '',
  '| measure | result | goal |',
  '| --- | --- | --- |',
];
const ratio = (a: string, b: string, table: Record<string, Stat>): string => (table[a] && table[b] ? f(table[a].median / table[b].median, 2) : 'n/a');
for (const [k, v] of Object.entries(shared)) lines.push(`| ceiling, shared cores: ${k} | ${s(v)} req/s | |`);
lines.push(`| ours / bare k6 (shared) | ${ratio('ours', 'bare k6', shared)} | ≥ 0.95 |`);
lines.push(`| ours / k6 checking by hand (shared) | ${ratio('ours', 'k6 checking status and body by hand', shared)} | |`);
if (shared['wrk']) lines.push(`| ours / wrk (shared) | ${ratio('ours', 'wrk', shared)} | |`);
lines.push(`| validation share (1 − ours / validation off) | ${shared['ours, validation off'] ? f(1 - shared['ours']!.median / shared['ours, validation off'].median, 3) : 'n/a'} | |`);
if (pinned) {
  for (const [k, v] of Object.entries(pinned)) lines.push(`| ceiling, server core 0 / generator core 1: ${k} | ${s(v)} req/s | |`);
  lines.push(`| ours / bare k6 (pinned) | ${ratio('ours', 'bare k6', pinned)} | ≥ 0.95 |`);
}
const o = results['orchestration'] as Record<string, Stat>;
lines.push(`| command → k6's first request | ${s(o['commandToFirstRequestMs']!)} ms | |`);
lines.push(`| k6's last request → report written | ${s(o['lastRequestToReportMs']!)} ms | |`);
lines.push(`| orchestration overhead, total | ${s(o['totalMs']!)} ms | < 2000 ms |`);
const b = results['bundlingMs'] as Stat & { scenarios: number };
lines.push(`| bundling ${b.scenarios} scenarios (esbuild) | ${s(b, 1)} ms | < 1000 ms |`);
for (const [vus, v] of Object.entries(results['k6PeakRssMb'] as Record<string, Stat>)) {
  lines.push(`| k6 peak RSS at ${vus} VUs | ${s(v, 1)} MB (${f(v.median / Number(vus), 2)} MB per VU) | ${vus === '100' ? '≤ 3 MB per VU' : ''} |`);
}
const markdown = `${lines.join('\n')}\n`;

const stamp = date.slice(0, 10);
const dir = outArg === -1 ? path.join(ROOT, 'bench', 'results') : path.resolve(args[outArg + 1] ?? '.');
await mkdir(dir, { recursive: true });
await writeAtomic(path.join(dir, `${stamp}${quick ? '-quick' : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);
await writeAtomic(path.join(dir, `${stamp}${quick ? '-quick' : ''}.md`), markdown);
process.stdout.write(markdown);

