/**
 * k6's web dashboard report: a run given --dashboard exports it (no browser opened, no port left bound), and it
 * renders the run's own data in a real browser (headless Chromium, Debian's `chromium`). The
 * screenshot is kept in test/artifacts/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHROMIUM, chromium } from '../support/chromium.js';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

describe("k6's web dashboard report", () => {
  it('is exported with --dashboard and renders the run’s own metrics in Chromium', async (t) => {
    const out = await tempDir('dashboard');
    const port = await freePort();
    try {
      const run = await runCli(['spike', '--scale', '0.2', '--dashboard', '--port', String(port), '--out-dir', out]);
      const { report, dir } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      assert.equal(report.dashboard, 'dashboard.html');
      assert.equal(report.scenarios[0]?.files.dashboard, 'k6/spike/dashboard.html');
      const file = path.join(dir, 'dashboard.html');
      assert.ok((await stat(file)).size > 10_000, 'a self-contained HTML report');
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), [], 'k6 did not wait for a browser');

      if (CHROMIUM === undefined) {
        t.skip('chromium is not installed (apt-get install chromium); the export was checked, not its rendering');
        return;
      }
      const profile = await tempDir('chromium');
      try {
        const dom = await chromium(['--dump-dom', `file://${file}`], profile);
        assert.match(dom, /request_failed/, "the toolkit's own metric is on the page: it shows this run's data");
        assert.match(dom, /Request Duration/);
        const artifacts = path.join(ROOT, 'test', 'artifacts');
        await mkdir(artifacts, { recursive: true });
        const shot = path.join(artifacts, 'dashboard.png');
        await chromium(['--window-size=1280,1600', `--screenshot=${shot}`, `file://${file}`], profile);
        assert.ok((await stat(shot)).size > 10_000, 'a screenshot was taken');
      } finally {
        await removeDir(profile);
      }
    } finally {
      await removeDir(out);
    }
  });

  it('is not exported by default', async () => {
    const out = await tempDir('no-dashboard');
    try {
      const run = await runCli(['health', '--scale', '0.1', '--port', String(await freePort()), '--out-dir', out]);
      const { report, dir } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      assert.equal(report.dashboard, null);
      assert.equal(existsSync(path.join(dir, 'dashboard.html')), false);
      assert.equal(existsSync(path.join(dir, 'k6', 'health', 'dashboard.html')), false);
    } finally {
      await removeDir(out);
    }
  });
});
