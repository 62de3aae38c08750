/**
 * report.html in a real browser (headless Chromium, test/support/chromium.ts): it must open with no
 * console error, no failed load and no request at all (it is self-contained), draw itself, and draw
 * every chart — each series in view (uPlot's own count after drawing, data-drawn) and the canvas
 * inked in the series' colours. A screenshot is kept in test/artifacts/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openPage, type OpenPage } from './chromium.js';
import { removeDir, ROOT, tempDir } from './cli.js';

export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

export interface ChartSeen {
  id: string;
  series: string[];
  /** Points of each series uPlot had in view when it drew. */
  drawn: Record<string, number>;
  width: number;
  height: number;
  /** Pixels of the canvas in each series' colour. */
  inked: number[];
}

/** Read in the page: every chart's data attributes and its canvas's pixels. */
const CHARTS = `(() => [...document.querySelectorAll('[data-chart]')].map((el) => {
  const canvas = el.querySelector('canvas');
  const colors = el.dataset.colors.split('|').map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  const inked = colors.map(() => 0);
  if (canvas !== null && canvas.width > 0 && canvas.height > 0) {
    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] < 200) continue;
      colors.forEach((c, k) => {
        if (Math.abs(px[i] - c[0]) + Math.abs(px[i + 1] - c[1]) + Math.abs(px[i + 2] - c[2]) < 60) inked[k]++;
      });
    }
  }
  const drawn = Object.fromEntries((el.dataset.drawn ?? '').split('|').filter(Boolean).map((p) => {
    const at = p.lastIndexOf(':');
    return [p.slice(0, at), Number(p.slice(at + 1))];
  }));
  const series = el.dataset.series.split('|');
  return { id: el.dataset.chart, series, drawn, width: canvas?.width ?? 0, height: canvas?.height ?? 0, inked };
}))()`;

export interface PageCheck {
  page: OpenPage;
  charts: ChartSeen[];
  /** The chart whose id ends with `suffix`; fails the test when there is none. */
  chart(suffix: string): ChartSeen;
}

/**
 * Opens `file`, checks it as above and keeps a screenshot as test/artifacts/<shot>.png; `use` may
 * look further (take more screenshots, evaluate) before the browser is closed.
 */
export async function checkReportPage(
  file: string,
  shot: string,
  use: (check: PageCheck) => Promise<void> = async () => undefined,
): Promise<ChartSeen[]> {
  const profile = await tempDir('chromium');
  const page = await openPage(`file://${file}`, profile);
  try {
    assert.equal(await page.evaluate('document.body.dataset.ready'), 'true', 'the page drew itself');
    assert.deepEqual(
      page.problems,
      { errors: [], failedLoads: [], requests: [] },
      'no error, no failed load, no request',
    );
    const charts = await page.evaluate<ChartSeen[]>(CHARTS);
    assert.ok(charts.length > 0, 'the page has charts');
    for (const c of charts) {
      assert.ok(c.width > 0 && c.height > 0, `${c.id}: a canvas of some size`);
      for (const s of c.series) assert.ok((c.drawn[s] ?? 0) > 0, `${c.id}: series ${s} drawn with points in view`);
      // Some pixels at least: a run of a few seconds may give a chart two points.
      assert.ok(Math.max(...c.inked) > 5, `${c.id}: lines drawn in the series' colours (${c.inked.join(', ')} pixels)`);
    }
    await mkdir(ARTIFACTS, { recursive: true });
    assert.ok((await page.screenshot(path.join(ARTIFACTS, `${shot}.png`))) > 10_000, 'a screenshot was taken');
    const chart = (suffix: string): ChartSeen => {
      const found = charts.find((c) => c.id.endsWith(suffix));
      assert.ok(found, `a chart ${suffix} among ${charts.map((c) => c.id).join(', ')}`);
      return found;
    };
    await use({ page, charts, chart });
    return charts;
  } finally {
    await page.close();
    await removeDir(profile);
  }
}
