/**
 * report.html as a file: one page holding its data, script and style, that nothing in the data can
 * break out of, that asks for nothing over a network, and whose series are bounded whatever the
 * run's length. (Its drawing is tested in Chromium: test/integration/report-page.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pageAssets } from '../../build/page.js';
import {
  boundResourceSeries,
  boundTimeline,
  embedJson,
  pageReport,
  PAGE_DATA_ID,
  reportPage,
} from '../../src/core/report/page.js';
import type { Report } from '../../src/core/types.js';

const FIXTURE = path.resolve(import.meta.dirname, '..', 'fixtures', 'reports', 'realizar-all.json');
const report = (): Report => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Report;

describe('report.html', () => {
  it('holds its data as JSON that no value can end early, and gives it back unchanged', () => {
    const r = report();
    r.scenarios[0]!.notes.push('</script><script>alert(1)</script> <!-- a note -->\u2028');
    const html = reportPage({ title: 'a <run>', data: { kind: 'run', report: r }, script: 'void 0', style: '' });
    assert.equal(html.match(/<script/g)?.length, 2, 'the data and the script, nothing else');
    assert.equal(html.match(/<\/script>/g)?.length, 2);
    assert.match(html, /<title>a &#60;run&#62;<\/title>/);
    const blob = new RegExp(`<script type="application/json" id="${PAGE_DATA_ID}">(.*)</script>`).exec(html)![1]!;
    assert.deepEqual(JSON.parse(blob), { kind: 'run', report: r });
  });

  it('keeps its inline script and style from ending their elements', () => {
    const html = reportPage({
      title: 't',
      data: { kind: 'run', report: report() },
      script: 'const s = "</script>"; // <!-- x',
      style: 'a::after { content: "</style>" }',
    });
    assert.equal(html.match(/<\/script>/gi)?.length, 2);
    assert.equal(html.match(/<\/style>/gi)?.length, 1);
    assert.ok(!embedJson('<').includes('<'));
  });

  it('is self-contained: its bundled script and style load nothing from anywhere', async () => {
    const { script, style } = await pageAssets();
    assert.ok(script.length > 50_000 && script.length < 200_000, `${script.length} bytes of script (uPlot included)`);
    assert.match(style, /\.uplot/, "uPlot's own style is in the page");
    const html = reportPage({ title: 't', data: { kind: 'run', report: report() }, script, style });
    assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]+(src|href)=/i);
    assert.doesNotMatch(style, /@import|url\(\s*['"]?https?:/i);
    assert.doesNotMatch(script, /fetch\(|XMLHttpRequest|importScripts/);
  });

  it("bounds the server's memory and CPU to a few hundred points, keeping the peak", () => {
    const series = Array.from({ length: 14_400 }, (_, i) => ({
      tSec: i / 4,
      rssMb: i === 9_999 ? 900 : 100,
      cpuPctOfOneCore: i === 0 ? null : 50,
    }));
    const bounded = boundResourceSeries(series);
    assert.equal(bounded.length, 300);
    assert.equal(Math.max(...bounded.map((p) => p.rssMb)), 900);
    assert.ok(bounded.every((p) => p.cpuPctOfOneCore === 50));
    const r = report();
    r.scenarios[0]!.resources = {
      target: 'pid 1',
      intervalMs: 250,
      samples: series.length,
      cores: 2,
      baselineRssMb: 100,
      peakRssMb: 900,
      finalRssMb: 100,
      overheadMb: 800,
      cpuAvgPctOfOneCore: 50,
      cpuPeakPctOfOneCore: 50,
      cpuAvgPctOfAllCores: 25,
      leak: null,
      drift: null,
      series,
    };
    assert.equal(pageReport(r).scenarios[0]!.resources!.series.length, 300);
    assert.equal(r.scenarios[0]!.resources!.series.length, 14_400, 'report.json keeps every sample');
  });

  it('merges a day of requests per second into at most 600 buckets, losing no request', () => {
    const seconds = Array.from({ length: 86_400 }, (_, i) => ({ tSec: 5 + i, requests: 10, failures: i % 2 }));
    const t = boundTimeline({ originAt: '', bucketSec: 1, outageMinSec: 1, seconds, outages: [] });
    assert.ok(t.seconds.length <= 600, `${t.seconds.length} buckets`);
    assert.equal(t.bucketSec, 144);
    assert.equal(t.seconds[0]!.tSec, 5);
    assert.equal(
      t.seconds.reduce((n, s) => n + s.requests, 0),
      864_000,
    );
    assert.equal(
      t.seconds.reduce((n, s) => n + s.failures, 0),
      43_200,
    );
  });
});
