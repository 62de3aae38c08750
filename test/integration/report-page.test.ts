/**
 * report.html in a real browser (headless Chromium, test/support/report-page.ts) for each kind of
 * page: a plain run (a spike, its phases marked), a streamed run (TTFT, ITL and end-to-end time),
 * a sweep (its curves) and a comparison (baseline and current side by side), and the streamed run
 * against llama.cpp with the server's queue and KV cache beside TTFT. Each opens with no error and
 * no request, draws every chart with its series, and leaves a screenshot in test/artifacts/.
 * With UPDATE_DOCS_IMAGES=1 the llama.cpp page's telemetry becomes docs/images/report-telemetry.png.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SweepReport } from '../../src/core/types.js';
import { cacheDirFrom } from '../../src/node/config/index.js';
import { llamaServerCachePath } from '../../src/node/tools/llamacpp.js';
import { CHROMIUM } from '../support/chromium.js';
import { freePort, latestReport, removeDir, ROOT, runCli, runEntry, tempDir } from '../support/cli.js';
import { checkReportPage } from '../support/report-page.js';

const haveLlama = existsSync(llamaServerCachePath(cacheDirFrom(process.env)));

async function compare(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/compare.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout };
}

describe('report.html in Chromium', { skip: CHROMIUM === undefined && 'chromium is not installed' }, () => {
  let out = '';
  before(async () => {
    out = await tempDir('report-page');
  });
  after(async () => {
    await removeDir(out);
  });

  it('draws a plain run: verdicts, latency bands with the phases, the server, and opens from a copy', async () => {
    const runOut = path.join(out, 'plain');
    const run = await runCli(['spike', '--scale', '0.2', '--port', String(await freePort()), '--out-dir', runOut]);
    const { report, dir } = await latestReport(runOut);
    assert.equal(run.code, report.exitCode, run.stderr.slice(-2000));
    const s = report.scenarios[0]!;
    assert.deepEqual(
      s.latencyDetail?.phases.map((p) => p.name),
      ['baseline', 'spike', 'recovery'],
    );
    // A run folder copied elsewhere still opens: the page needs nothing beside it.
    const copy = path.join(out, 'copied', 'report.html');
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(path.join(dir, 'report.html'), copy);
    await checkReportPage(copy, 'report-plain', async ({ page, chart }) => {
      assert.deepEqual(chart('-latency-http_req_duration').series, ['health p95', 'tokenize p95', 'generate p95']);
      assert.deepEqual(chart('-completed').series, ['requests', 'failed']);
      assert.ok(chart('-server-req-s').series.includes('requests per second'));
      chart('-memory');
      chart('-cpu');
      chart('-distribution-http_req_duration');
      const text = await page.evaluate<string>('document.body.innerText');
      for (const v of s.verdicts) assert.ok(text.includes(v.metric), `verdict ${v.metric} is on the page`);
      assert.match(text, /=== Load Test Results ===/, "the chapter's block");
      assert.match(text, /Counters against k6's counts/);
      assert.match(text, /Load generator/);
      assert.equal(await page.evaluate('document.querySelector(\'a[href="dashboard.html"]\') !== null'), false);
      assert.match(text, /k6's web dashboard was not exported for this run \(off unless --dashboard/);
    });
  });

  it('draws a streamed run: TTFT and end-to-end time over time, and their and ITL distributions', async () => {
    const runOut = path.join(out, 'stream');
    const run = await runCli(
      ['stream', '--concurrency', '4', '--requests', '12', '--port', String(await freePort()), '--out-dir', runOut],
      { timeoutMs: 240_000 },
    );
    const { report, dir } = await latestReport(runOut);
    assert.equal(run.code, report.exitCode, run.stderr.slice(-2000));
    await checkReportPage(path.join(dir, 'report.html'), 'report-stream', async ({ chart }) => {
      assert.deepEqual(chart('-latency-stream_ttft').series, ['p50', 'p95', 'p99']);
      chart('-latency-stream_e2e');
      chart('-distribution-stream_ttft');
      chart('-distribution-stream_itl');
      chart('-distribution-stream_e2e');
    });
  });

  it('draws a sweep: latency, throughput and errors against the offered rate, the goodput marked', async () => {
    const runOut = path.join(out, 'sweep');
    const args = ['--slo', 'p95<500', '--step-sec', '2', '--start-rate', '8', '--max-rate', '16', '--refine', '1'];
    const run = await runEntry(
      'sweep',
      [...args, '--port', String(await freePort()), '--out-dir', runOut],
      process.env,
    );
    const dir = path.join(runOut, 'latest');
    const sweep = JSON.parse(await readFile(path.join(dir, 'sweep.json'), 'utf8')) as SweepReport;
    assert.equal(run.code, sweep.exitCode, run.stderr.slice(-2000));
    assert.ok(sweep.steps.length >= 2);
    await checkReportPage(path.join(dir, 'report.html'), 'report-sweep', async ({ chart, page }) => {
      assert.deepEqual(chart('sweep-latency').series, ['p50', 'p95', 'p99']);
      assert.ok(chart('sweep-throughput').drawn['achieved']! >= 2, 'one point per step');
      chart('sweep-errors');
      assert.match(await page.evaluate<string>('document.body.innerText'), new RegExp(sweep.summary.slice(0, 30)));
    });
  });

  it('draws a comparison: the regression table, and baseline and current side by side', async () => {
    const dir = path.join(out, 'plain', 'latest');
    // The page is what is tested here: a run against itself may well be inconclusive (exit 3).
    const r = await compare([dir, dir, '--inconclusive', 'pass']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /side by side: .*compare\.html/);
    await checkReportPage(path.join(dir, 'compare.html'), 'report-compare', async ({ chart, page }) => {
      chart('compare-baseline-spike');
      chart('compare-current-spike');
      assert.match(await page.evaluate<string>('document.body.innerText'), /NO REGRESSION/);
    });
  });

  it(
    "shows llama.cpp's requests processing and deferred and its KV cache beside TTFT (8 streams, 64 requests)",
    { skip: !haveLlama && 'llama-server is not in the tool cache yet (npm test builds it)' },
    async () => {
      const runOut = path.join(out, 'llamacpp');
      const run = await runCli(
        [
          'stream',
          '--server',
          'llamacpp',
          '--concurrency',
          '8',
          '--requests',
          '64',
          '--port',
          String(await freePort()),
        ].concat(['--out-dir', runOut]),
        { timeoutMs: 600_000 },
      );
      const { report, dir } = await latestReport(runOut);
      assert.equal(run.code, report.exitCode, run.stderr.slice(-2000));
      await checkReportPage(path.join(dir, 'report.html'), 'report-llamacpp-stream', async ({ chart, page }) => {
        chart('-latency-stream_ttft');
        assert.deepEqual(chart('-server-requests').series, ['requests processing', 'requests deferred']);
        assert.deepEqual(chart('-server-pct').series, ['KV cache in use']);
        chart('-server-tokens-s');
        if (process.env['UPDATE_DOCS_IMAGES'] === '1') {
          const image = path.join(ROOT, 'docs', 'images', 'report-telemetry.png');
          await mkdir(path.dirname(image), { recursive: true });
          await page.screenshot(image, {
            from: '[data-part="over-time"] > h3',
            to: '[data-chart$="-server-pct"]',
          });
          assert.ok((await stat(image)).size > 10_000);
        }
      });
    },
  );
});
