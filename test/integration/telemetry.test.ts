/**
 * The server's own metrics scraped during the load, from real servers: Realizar's rates every
 * 0.2 s, llama.cpp's requests processing and deferred and its KV cache (and rules on them), a
 * metrics endpoint that answers nothing useful (every scrape counted as failed, the run carries
 * on), and --scrape-interval 0. Every series stays within its bound of points.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Report, ServerProfile, ThresholdsFile } from '../../src/core/types.js';
import { TELEMETRY_POINTS } from '../../src/core/scrape/telemetry.js';
import { cacheDirFrom } from '../../src/node/config/index.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { llamaServerCachePath } from '../../src/node/tools/llamacpp.js';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir } from '../support/cli.js';

const haveLlama = existsSync(llamaServerCachePath(cacheDirFrom(process.env)));
const haveChromium = CHROMIUM_PATHS.some((p) => existsSync(p));

async function run(
  args: string[],
  timeoutMs = 240_000,
): Promise<{ report: Report; text: string; code: number | null }> {
  const out = await tempDir('telemetry');
  try {
    const r = await runCli([...args, '--port', String(await freePort()), '--no-dashboard', '--out-dir', out], {
      timeoutMs,
    });
    const { report, text } = await latestReport(out);
    assert.equal(r.code, report.exitCode, r.stderr.slice(-3000));
    return { report, text, code: r.code };
  } finally {
    await removeDir(out);
  }
}

describe("the server's metrics over time", () => {
  it("follows a real Realizar's rates every 0.2 s, bounded, with what the scrapes cost it", async () => {
    const { report, text } = await run(['spike', '--scale', '0.2', '--scrape-interval', '0.2']);
    const t = report.scenarios[0]!.telemetry!;
    assert.equal(t.profile, 'realizar');
    assert.equal(t.intervalSec, 0.2);
    assert.ok(t.scrapes.attempted >= 10, `${t.scrapes.attempted} scrapes over the spike's seconds`);
    assert.equal(t.scrapes.failed, 0);
    const requests = t.series.find((s) => s.name === 'realizar_requests_total')!;
    assert.equal(requests.kind, 'rate');
    assert.ok(requests.max! > 0, 'the requests per second rose during the load');
    for (const s of t.series) assert.ok(s.points.length <= TELEMETRY_POINTS && s.points.length > 0, s.name);
    assert.ok(t.cost.perScrapeCpuMs !== null && t.cost.perScrapeCpuMs >= 0, 'the cost of a scrape was measured');
    assert.match(text, /Server metrics over time \(realizar profile, scraped every 0\.2 s: \d+ scrapes, 0 failed/);
    assert.match(text, /cost to the server: [\d.]+ ms CPU per scrape/);
  });

  it('counts every scrape of an endpoint that answers 404 as failed, says why, and the run carries on', async () => {
    const dir = await tempDir('profile');
    try {
      const file = path.join(dir, 'broken.json');
      const realizar = JSON.parse(
        await readFile(path.join(ROOT, 'profiles', 'realizar.json'), 'utf8'),
      ) as ServerProfile;
      await writeFile(file, JSON.stringify({ ...realizar, name: 'broken', metricsPath: '/no-such-metrics' }));
      const { report, text } = await run([
        'spike',
        '--scale',
        '0.2',
        '--server-profile',
        file,
        '--scrape-interval',
        '0.5',
      ]);
      assert.equal(report.outcome, 'passed', 'a failing scrape is never fatal');
      const t = report.scenarios[0]!.telemetry!;
      assert.ok(t.scrapes.attempted >= 4);
      assert.equal(t.scrapes.failed, t.scrapes.attempted);
      assert.match(t.scrapes.lastFailure ?? '', /GET \/no-such-metrics answered 404/);
      assert.deepEqual(t.series, []);
      assert.match(text, new RegExp(`${t.scrapes.attempted} scrapes, ${t.scrapes.failed} failed`));
      assert.match(text, /last failed scrape: GET \/no-such-metrics answered 404/);
    } finally {
      await removeDir(dir);
    }
  });

  it('scrapes nothing with --scrape-interval 0, and says a rule on the queue was not judged', async () => {
    const dir = await tempDir('thresholds');
    try {
      await cp(path.join(ROOT, 'thresholds'), dir, { recursive: true });
      const file = path.join(dir, 'generate.json');
      const th = JSON.parse(await readFile(file, 'utf8')) as ThresholdsFile;
      th.rules.push({ id: 'server-queue', metric: 'server_queue_max', acceptable: 10, source: 'test' });
      await writeFile(file, JSON.stringify(th));
      const { report } = await run(['generate', '--scale', '0.2', '--scrape-interval', '0', '--thresholds-dir', dir]);
      const s = report.scenarios[0]!;
      assert.equal(s.telemetry, undefined);
      assert.ok(
        s.notes.some((n) => /Rule 'server-queue' .* was not judged: the server's metrics were not scraped/.test(n)),
      );
      assert.ok(!s.verdicts.some((v) => v.id.startsWith('server-queue')));
    } finally {
      await removeDir(dir);
    }
  });

  it(
    "follows llama.cpp's requests processing and deferred and its KV cache, and judges rules on them",
    { skip: (!haveLlama || !haveChromium) && 'llama-server (npm test builds it) and chromium are needed' },
    async () => {
      const dir = await tempDir('thresholds');
      try {
        await cp(path.join(ROOT, 'thresholds'), dir, { recursive: true });
        const file = path.join(dir, 'stream.json');
        const th = JSON.parse(await readFile(file, 'utf8')) as ThresholdsFile;
        th.rules.push(
          { id: 'server-queue', metric: 'server_queue_max', acceptable: 64, source: 'test' },
          { id: 'server-kv', metric: 'server_kv_cache_max_pct', acceptable: 90, source: 'test' },
        );
        await writeFile(file, JSON.stringify(th));
        const { report } = await run(
          // Long enough streams (120 tokens each, forced) that the second four wait across several scrapes.
          [
            'stream',
            '--server',
            'llamacpp',
            '--concurrency',
            '8',
            '--requests',
            '16',
            '--output-tokens',
            '120',
            '--timeout',
            '300',
            '--thresholds-dir',
            dir,
          ],
          400_000,
        );
        const s = report.scenarios[0]!;
        const t = s.telemetry!;
        const by = Object.fromEntries(t.series.map((x) => [x.name, x]));
        // -np 4: four slots, so of eight streams four are processed and the others wait.
        assert.equal(by['llamacpp:requests_processing']?.max, 4);
        assert.ok((by['llamacpp:requests_deferred']?.max ?? 0) >= 1, 'requests waited for a slot');
        const kv = by['slots:kv_cache_usage']!;
        assert.ok(kv.max! > 0 && kv.max! < 100, `KV cache ${kv.max}%`);
        assert.equal(t.scrapes.failed, 0);
        const queue = s.verdicts.find((v) => v.id === 'server-queue.acceptable')!;
        assert.equal(queue.measured, by['llamacpp:requests_deferred']!.max);
        assert.equal(queue.pass, true);
        assert.equal(s.verdicts.find((v) => v.id === 'server-kv.acceptable')?.measured, kv.max);
        assert.ok(
          t.cost.sharePct !== null && t.cost.sharePct < 5,
          `scrapes took ${t.cost.sharePct}% of the server's CPU`,
        );
      } finally {
        await removeDir(dir);
      }
    },
  );
});
