/**
 * report.html's script: reads the data embedded in the page (src/core/report/page.ts) and draws the
 * run, the sweep or the comparison it holds. Nothing is fetched. When the page is done, the body's
 * data-ready says so (the browser tests wait for it); an error is shown on the page and logged.
 */
import { PAGE_DATA_ID, type PageData } from '../core/report/page.js';
import { drawCharts } from './charts.js';
import { comparePage } from './compare-page.js';
import { h } from './dom.js';
import { runPage } from './run-page.js';
import { sweepPage } from './sweep-page.js';

function render(data: PageData): HTMLElement[] {
  switch (data.kind) {
    case 'run':
      return runPage(data.report);
    case 'sweep':
      return sweepPage(data.sweep);
    case 'compare':
      return comparePage(data.comparison, data.baseline, data.current);
  }
}

const app = document.getElementById('app')!;
try {
  const data = JSON.parse(document.getElementById(PAGE_DATA_ID)!.textContent ?? 'null') as PageData;
  app.append(...render(data));
  drawCharts();
  document.body.dataset['ready'] = 'true';
} catch (err) {
  app.append(h('p', { class: 'error' }, `This page could not be drawn: ${(err as Error).message}`));
  document.body.dataset['ready'] = 'error';
  console.error(err);
}
