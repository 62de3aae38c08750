/**
 * The Markdown summary of real reports: outcome first, one table row per scenario, the failed
 * gates spelled out, cells that cannot break the table.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../src/core/report/markdown.js';
import type { Report } from '../../src/core/types.js';
import { assertValid } from '../../src/core/errors/schema-errors.js';
import { validateReport } from '../../src/generated/file-validators.cjs';

const REPORTS = path.resolve(import.meta.dirname, '..', 'fixtures', 'reports');

function report(name: string): Report {
  const file = path.join(REPORTS, `${name}.json`);
  return assertValid(validateReport, JSON.parse(readFileSync(file, 'utf8')), file);
}

/** Rows of the table whose header starts with `| <first> |`, separator line excluded. */
function tableRows(md: string, first: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  assert.ok(start >= 0, `a table starting with column ${first}`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

/** Cells of a row split on unescaped pipes, as a GFM table does. */
const cells = (row: string): string[] =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());

describe('the Markdown summary of a report', () => {
  it('of the passing run has one table row per scenario with 2-decimal figures and PASS', () => {
    const r = report('realizar-all');
    const md = renderMarkdown(r);
    const rows = tableRows(md, 'scenario');
    assert.equal(rows.length, r.scenarios.length);
    const header = cells(md.split('\n').find((l) => l.startsWith('| scenario |'))!);
    rows.forEach((row, i) => {
      const s = r.scenarios[i]!;
      const c = cells(row);
      assert.equal(c.length, header.length);
      assert.equal(c[0], s.name);
      assert.equal(c[1], String(s.totals.requests));
      assert.equal(c[2], String(s.totals.failures));
      assert.equal(c[5], s.latencyMs!.p95.toFixed(2));
      assert.equal(c[7], s.throughputRps.toFixed(2));
      assert.equal(c[8], 'PASS');
    });
    assert.doesNotMatch(md, /Failed gates/);
  });

  it('starts with the outcome and exit code, then names the target, the k6 version and the machine note', () => {
    const r = report('realizar-all');
    const md = renderMarkdown(r);
    assert.match(md.split('\n')[0]!, /^## ✅ passed \(exit 0\)/);
    assert.ok(md.includes(r.server.baseUrl));
    assert.ok(md.includes(r.k6!.version));
    assert.ok(md.includes(r.machine.note));
  });

  it('of the failing spike run says failed, counts failed gates, lists each with measured value, bound, source', () => {
    const r = report('fault-spike-failed');
    const md = renderMarkdown(r);
    const failing = r.scenarios[0]!.verdicts.filter((v) => v.gating && !v.pass);
    assert.match(md.split('\n')[0]!, /^## ❌ failed \(exit 1\)/);
    assert.equal(cells(tableRows(md, 'scenario')[0]!)[8], `FAIL (${failing.length} failed gates)`);
    const gates = tableRows(md.slice(md.indexOf('### Failed gates')), 'scenario');
    assert.equal(gates.length, failing.length);
    gates.forEach((row, i) => {
      const v = failing[i]!;
      const c = cells(row);
      assert.deepEqual(c.slice(0, 3), ['spike', v.metric, v.scope]);
      assert.equal(c[3], `${v.measured!.toFixed(2)} ${v.unit}`);
      assert.equal(c[4], `${v.op} ${v.bound} ${v.unit}`);
      assert.equal(c[5], v.source);
    });
    // Target-tier verdicts do not gate, so they are not listed as failed gates.
    assert.ok(!gates.some((g) => g.includes('target')));
    for (const note of r.scenarios[0]!.notes) assert.ok(md.includes(note), `note: ${note}`);
  });

  it('escapes | in table cells so a name cannot add a column', () => {
    const r = structuredClone(report('fault-spike-failed'));
    r.scenarios[0]!.name = 'spike|evil';
    r.scenarios[0]!.verdicts[0]!.source = 'a | b';
    const md = renderMarkdown(r);
    const row = tableRows(md, 'scenario')[0]!;
    assert.ok(row.startsWith('| spike\\|evil |'));
    assert.equal(cells(row).length, 9);
    const gate = tableRows(md.slice(md.indexOf('### Failed gates')), 'scenario')[0]!;
    assert.equal(cells(gate).length, 6);
    assert.ok(gate.includes('a \\| b'));
  });

  it('gives each repetition of a --runs report its own row named after its run', () => {
    const r = structuredClone(report('fault-spike-failed'));
    const spike = r.scenarios[0]!;
    r.scenarios = [
      { ...spike, repeat: 1 },
      { ...structuredClone(spike), repeat: 2 },
    ];
    const rows = tableRows(renderMarkdown(r), 'scenario');
    assert.deepEqual(
      rows.map((row) => cells(row)[0]),
      ['spike (run 1)', 'spike (run 2)'],
    );
  });

  it('shows an error outcome with the error of the scenario that did not run and of the run', () => {
    const r = structuredClone(report('realizar-all'));
    r.outcome = 'error';
    r.exitCode = 2;
    r.scenarios[1] = {
      ...r.scenarios[1]!,
      status: 'error',
      error: 'k6 exited with 107',
      latencyMs: null,
      errorRatePct: null,
    };
    r.errors = [{ scenario: null, message: 'the server exited during the run' }];
    const md = renderMarkdown(r);
    assert.match(md.split('\n')[0]!, /^## ⚠️ error \(exit 2\)/);
    const row = cells(tableRows(md, 'scenario')[1]!);
    assert.equal(row[8], 'ERROR');
    assert.equal(row[3], 'n/a');
    assert.equal(row[5], '–');
    assert.match(md, /### Errors\n\n- \*\*tokenize\*\*: k6 exited with 107\n- the server exited during the run/);
  });

  it('shows an interrupted outcome with its own mark', () => {
    const r = structuredClone(report('realizar-all'));
    r.outcome = 'interrupted';
    r.exitCode = 130;
    assert.match(renderMarkdown(r).split('\n')[0]!, /^## ⏹ interrupted \(exit 130\)/);
  });
});
