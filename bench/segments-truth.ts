/**
 * The truth of a split run: the spike and the stream scenario, each run whole and split over 2 and
 * 4 k6 processes (--segments) against one Realizar, through the real runner. For each: requests
 * planned, sent and failed (they must be equal across the three), the merged percentiles beside
 * the percentiles of all the runners' per-request samples read straight from their files (they must
 * be equal), and the verdicts (they must agree). Then the failure cases: a runner missing, a runner
 * SIGKILLed mid-run, runners of different runs, runners of different scenarios, each given to the
 * merge as a user would. Not a test: it records, and asserts nothing.
 *
 *   npm run bench -- segments-truth [--out DIR] [--quick]
 *
 * It writes bench/results/<date>T<hhmm>Z-segments-truth.{json,md}.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Report, ScenarioPlan } from '../src/core/types.js';
import { K6_FILES } from '../src/core/contract.js';
import { parseFlags, usageText } from '../src/node/flags/declare.js';
import { ROOT } from '../src/node/files/paths.js';
import { collect, freePort } from '../test/support/cli.js';
import { killCarrying, markedEnv, pidsCarrying, waitFor } from '../test/support/descendants.js';
import { pct, samplesTruth } from '../test/support/split-truth.js';
import { SEGMENTS_TRUTH } from './flags.js';
import { writeRecord } from './lib/results.js';

const SCENARIOS = ['spike', 'stream'] as const;
const SPLITS = [1, 2, 4] as const;
const log = (m: string): boolean => process.stderr.write(`[segments-truth] ${m}\n`);

interface Entry {
  code: number | null;
  stdout: string;
  stderr: string;
}

function entry(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', `${script}.ts`), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const run = async (script: string, args: readonly string[]): Promise<Entry> => collect(entry(script, args));

async function latest(outDir: string): Promise<{ report: Report; dir: string }> {
  const dir = path.join(outDir, 'latest');
  return { report: JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report, dir };
}

/** The folders k6 wrote into for the scenario: the runners' of a split run, else the one. */
function k6Folders(runDir: string, scenario: string): string[] {
  const dir = path.join(runDir, 'k6', scenario);
  const runners = readdirSync(dir).filter((f) => /^runner-\d+$/.test(f));
  return runners.length === 0 ? [dir] : runners.sort().map((f) => path.join(dir, f));
}

const round = (n: number | null | undefined): number | null => (n == null ? null : Math.round(n * 1000) / 1000);

interface Row {
  scenario: string;
  segments: number;
  exitCode: number | null;
  planned: number;
  sent: number;
  failed: number;
  dropped: number;
  unsent: number;
  report: { p50: number | null; p95: number | null; p99: number | null };
  samples: { p50: number | null; p95: number | null; p99: number | null; requests: number };
  percentilesEqual: boolean;
  verdicts: Array<{ id: string; pass: boolean }>;
  runners: string[];
}

async function rowOf(scenario: string, segments: number, exitCode: number | null, outDir: string): Promise<Row> {
  const { report, dir } = await latest(outDir);
  const s = report.scenarios[0]!;
  const folders = k6Folders(dir, scenario);
  const plan = JSON.parse(await readFile(path.join(folders[0]!, K6_FILES.plan), 'utf8')) as ScenarioPlan;
  const truth = await samplesTruth(folders, plan.latencyMetric);
  const samples = { p50: pct(truth.latencies, 50), p95: pct(truth.latencies, 95), p99: pct(truth.latencies, 99) };
  const mine = { p50: s.latencyMs?.p50 ?? null, p95: s.latencyMs?.p95 ?? null, p99: s.latencyMs?.p99 ?? null };
  return {
    scenario,
    segments,
    exitCode,
    planned: s.totals.requests,
    sent: s.totals.sent,
    failed: s.totals.failures,
    dropped: s.totals.dropped,
    unsent: s.totals.unsent,
    report: { p50: round(mine.p50), p95: round(mine.p95), p99: round(mine.p99) },
    samples: { p50: round(samples.p50), p95: round(samples.p95), p99: round(samples.p99), requests: truth.sent },
    percentilesEqual: mine.p50 === samples.p50 && mine.p95 === samples.p95 && mine.p99 === samples.p99,
    verdicts: s.verdicts.map((v) => ({ id: v.id, pass: v.pass })),
    runners: s.notes.filter((n) => n.startsWith('Runner ')).map((n) => n.replace(/ \([^)]*\):/, ':')),
  };
}

interface Case {
  case: string;
  given: string;
  exitCode: number | null;
  partial: boolean | null;
  said: string;
  sent: number | null;
  unsent: number | null;
}

async function mergeCase(name: string, given: string, paths: string[], outDir: string): Promise<Case> {
  const r = await run('report', ['--merge', ...paths, '--out-dir', outDir]);
  const made = r.code === 0 || r.code === 1 || (r.code === 2 && /merged report/.test(r.stderr));
  const report = made ? (await latest(outDir)).report : null;
  const s = report?.scenarios[0];
  const said = s?.partial ?? /error: (.*)/.exec(r.stderr)?.[1] ?? r.stderr.trim().split('\n').pop() ?? '';
  return {
    case: name,
    given,
    exitCode: r.code,
    partial: report?.rebuilt?.partial ?? null,
    said,
    sent: s?.totals.sent ?? null,
    unsent: s?.totals.unsent ?? null,
  };
}

/** Requests of the crashed run: enough for k6 to have written some of its samples before the kill. */
const CRASH_REQUESTS = 20_000;

/**
 * health (20,000 requests, 10 clients) split over 2, whose second runner's k6 is SIGKILLed as soon
 * as its samples file holds 256 KiB. k6 compresses its samples in large blocks and writes a block
 * only when it is full, so a runner killed early has written none: the size waited for makes the
 * kill land after some blocks and well before its end.
 */
async function crashedRun(port: number, outDir: string): Promise<{ code: number | null; killedAt: string }> {
  const { token, env } = markedEnv();
  try {
    const child = entry(
      'run',
      [
        'health',
        '--segments',
        '2',
        '--samples',
        '--requests',
        String(CRASH_REQUESTS),
        '--no-server',
        '--port',
        String(port),
        '--no-dashboard',
        '--out-dir',
        outDir,
      ],
      env,
    );
    const done = collect(child);
    const samplesOf2 = (): string => {
      const id = existsSync(outDir) ? readdirSync(outDir).find((f) => f !== 'latest') : undefined;
      return id === undefined ? '/nonexistent' : path.join(outDir, id, 'k6', 'health', 'runner-2', K6_FILES.samples);
    };
    const size = (): number => (existsSync(samplesOf2()) ? statSync(samplesOf2()).size : 0);
    await waitFor('runner 2 has written samples', () => size() >= 256 * 1024 || child.exitCode !== null, 300_000);
    const bytes = size();
    const [pid] = pidsCarrying(token, /--execution-segment=1\/2:1\b/);
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
    const r = await done;
    return {
      code: r.code,
      killedAt: pid === undefined ? 'not running' : `when its samples file held ${Math.round(bytes / 1024)} KiB`,
    };
  } finally {
    killCarrying(token);
  }
}

async function startRealizar(): Promise<{ port: number; stop: () => void; version: string }> {
  const { resolveRealizar } = await import('../src/node/tools/tools.js');
  const { parseRunConfig } = await import('../src/node/config/index.js');
  const realizar = await resolveRealizar({ cacheDir: parseRunConfig(['--help'], []).cacheDir });
  const port = await freePort();
  const child = spawn(realizar.path, ['serve', '--demo', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: 'ignore',
  });
  await waitFor(
    'Realizar healthy',
    () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
  );
  return { port, stop: () => child.kill('SIGKILL'), version: realizar.version };
}

/** The same verdicts, each passed or failed alike, as the scenario's whole (unsplit) run. */
function sameVerdicts(r: Row, rows: readonly Row[]): boolean {
  const whole = rows.find((x) => x.scenario === r.scenario && x.segments === 1);
  const key = (x: Row): string => JSON.stringify(x.verdicts.map((v) => [v.id, v.pass]).sort());
  return whole !== undefined && key(whole) === key(r);
}

function markdown(date: string, note: string, rows: Row[], cases: Case[]): string {
  const f = (n: number | null): string => (n === null ? '–' : n.toFixed(3));
  const lines = [
    `# Split runs against the whole (${date})`,
    '',
    note,
    '',
    '## Whole and split: counts, percentiles, verdicts',
    '',
    'Percentiles in ms; "samples" are computed from every request of every runner, read straight from their ' +
      'samples.csv.gz.',
    '',
    '| scenario | k6 processes | exit | planned | sent | failed | p50 report / samples | p95 report / samples | ' +
      "p99 report / samples | equal | verdicts passed | verdicts as the whole run's |",
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.scenario} | ${r.segments} | ${r.exitCode} | ${r.planned} | ${r.sent} | ${r.failed} | ` +
        `${f(r.report.p50)} / ${f(r.samples.p50)} | ${f(r.report.p95)} / ${f(r.samples.p95)} | ${f(r.report.p99)} ` +
        `/ ${f(r.samples.p99)} | ` +
        `${r.percentilesEqual ? 'yes' : r.segments === 1 ? "no: k6's summary, the CSV rounds" : 'NO'} | ` +
        `${r.verdicts.filter((v) => v.pass).length} of ${r.verdicts.length} | ` +
        `${sameVerdicts(r, rows) ? 'yes' : 'NO'} |`,
    );
  lines.push('', "Each runner of the split runs (planned by k6's striping, then what it did):", '');
  for (const r of rows.filter((x) => x.runners.length > 0))
    lines.push(`- ${r.scenario}, ${r.segments} processes: ${r.runners.join(' ')}`);
  lines.push(
    '',
    '## Failure cases',
    '',
    '| case | given to the merge | exit | partial | sent | never sent | what it said |',
    '| --- | --- | ---: | --- | ---: | ---: | --- |',
  );
  for (const c of cases)
    lines.push(
      `| ${c.case} | ${c.given} | ${c.exitCode} | ${c.partial === null ? 'no report' : c.partial ? 'yes' : 'no'} | ` +
        `${c.sent ?? '–'} | ${c.unsent ?? '–'} | ${c.said.replace(/\|/g, '\\|')} |`,
    );
  return `${lines.join('\n')}\n`;
}

export async function main(args: readonly string[]): Promise<void> {
  const f = parseFlags(SEGMENTS_TRUTH, args);
  const help = f.has('--help');
  const out = f.text('--out') ?? null;
  const quick = f.has('--quick');
  f.done();
  if (help) {
    process.stdout.write(`${usageText(SEGMENTS_TRUTH)}\n`);
    return;
  }
  const date = new Date();
  const load = os.loadavg()[0]!;
  const work = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-segments-truth-'));
  const server = await startRealizar();
  const rows: Row[] = [];
  const cases: Case[] = [];
  try {
    const dirs: Record<string, string> = {};
    for (const scenario of SCENARIOS)
      for (const n of SPLITS) {
        const label = `${scenario}-${n}`;
        const outDir = path.join(work, label);
        log(`${scenario}${n > 1 ? ` split over ${n} k6 processes` : ', whole'}`);
        const r = await run('run', [
          scenario,
          '--no-server',
          '--port',
          String(server.port),
          '--no-dashboard',
          // The truth is every request's latency, read straight from the runners' samples.
          '--samples',
          '--out-dir',
          outDir,
          ...(quick ? ['--scale', '0.2'] : []),
          ...(n > 1 ? ['--segments', String(n)] : []),
        ]);
        rows.push(await rowOf(scenario, n, r.code, outDir));
        dirs[label] = (await latest(outDir)).dir;
      }

    const four = k6Folders(dirs['spike-4']!, 'spike');
    log('failure cases');
    cases.push(
      await mergeCase(
        'a runner missing',
        'runners 1, 2 and 4 of the spike split over 4',
        [four[0]!, four[1]!, four[3]!],
        path.join(work, 'merges'),
      ),
    );
    const crashDir = path.join(work, 'crash');
    const crash = await crashedRun(server.port, crashDir);
    const crashed = (await latest(crashDir)).report.scenarios[0]!;
    cases.push({
      case: 'a runner crashed (its k6 SIGKILLed mid-run)',
      given: `the run itself: health, ${CRASH_REQUESTS} requests split over 2, runner 2 killed ${crash.killedAt}`,
      exitCode: crash.code,
      partial: crashed.partial != null,
      said: crashed.partial ?? crashed.error ?? '',
      sent: crashed.totals.sent,
      unsent: crashed.totals.unsent,
    });
    const two = k6Folders(dirs['spike-2']!, 'spike');
    cases.push(
      await mergeCase(
        'runners of different runs',
        'runner 1 of the spike split over 2, runners 2 to 4 of the spike split over 4',
        [two[0]!, four[1]!, four[2]!, four[3]!],
        path.join(work, 'merges'),
      ),
    );
    const stream4 = k6Folders(dirs['stream-4']!, 'stream');
    cases.push(
      await mergeCase(
        'runners of different scenarios',
        'runner 1 of the spike split over 4, runners 2 to 4 of the stream split over 4',
        [four[0]!, stream4[1]!, stream4[2]!, stream4[3]!],
        path.join(work, 'merges'),
      ),
    );
  } finally {
    server.stop();
    await rm(work, { recursive: true, force: true });
  }
  const machine = {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAvgAtStart: load,
    loadAvgAtEnd: os.loadavg()[0]!,
  };
  const note =
    `Realizar ${server.version} (--demo) started once; every run against it ` +
    `(--no-server)${quick ? ', scaled to 0.2 (--quick)' : ', full size'}. ` +
    `Machine: ${machine.cores} cores (${machine.cpu}); 1-minute load average ${load.toFixed(2)} at the start, ` +
    `${machine.loadAvgAtEnd.toFixed(2)} at the end.`;
  const dir = out === null ? path.join(ROOT, 'bench', 'results') : path.resolve(out);
  // 2026-12-06T0800Z-segments-truth, as the other records are named; never written over.
  const iso = date.toISOString();
  const stamp = `${iso.slice(0, 13)}${iso.slice(14, 16)}Z-segments-truth${quick ? '-quick' : ''}`;
  let base = path.join(dir, stamp);
  for (let n = 2; existsSync(`${base}.json`) || existsSync(`${base}.md`); n++) base = path.join(dir, `${stamp}-${n}`);
  const text = markdown(iso, note, rows, cases);
  await writeRecord({ json: `${base}.json`, md: `${base}.md` }, { date: iso, machine, quick, rows, cases }, text);
  process.stdout.write(text);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
