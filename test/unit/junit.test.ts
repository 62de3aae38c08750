/**
 * JUnit XML of real reports: failures are exactly the failing gating verdicts, the file is
 * well-formed whatever text a server or a thresholds file puts into it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderJUnit } from '../../src/core/report/junit.js';
import type { Report, ScenarioReport, Verdict } from '../../src/core/types.js';
import { assertValid } from '../../src/core/errors/schema-errors.js';
import { validateReport } from '../../src/generated/file-validators.cjs';

const REPORTS = path.resolve(import.meta.dirname, '..', 'fixtures', 'reports');

function report(name: string): Report {
  const file = path.join(REPORTS, `${name}.json`);
  return assertValid(validateReport, JSON.parse(readFileSync(file, 'utf8')), file);
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY = '&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);';
const TEXT_OK = new RegExp(`^(?:[^<&]|${ENTITY})*$`);
const ATTR = new RegExp(`\\s+([A-Za-z_][\\w.:-]*)="((?:[^"<&]|${ENTITY})*)"`, 'g');
const TAG = new RegExp(`<(/?)([A-Za-z_][\\w.:-]*)((?:\\s+[A-Za-z_][\\w.:-]*="(?:[^"<&]|${ENTITY})*")*)\\s*(/?)>`, 'g');
// Characters XML 1.0 does not allow anywhere in a document.
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(s: string): string {
  return s.replace(new RegExp(ENTITY, 'g'), (e) => {
    const named: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
    if (named[e] !== undefined) return named[e];
    return String.fromCodePoint(e.startsWith('&#x') ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10));
  });
}

/**
 * A small well-formedness check and tree builder (no XML dependency): one root, balanced and
 * properly nested tags, no raw `<` or stray `&` in text or attribute values, unique attributes, no
 * character XML 1.0 forbids. Throws on the first violation.
 */
function parseXml(xml: string): XmlElement {
  assert.doesNotMatch(xml, ILLEGAL, 'a character XML 1.0 forbids');
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let at = 0;
  const text = (s: string): void => {
    if (!TEXT_OK.test(s)) throw new Error(`raw markup in text: ${JSON.stringify(s.slice(0, 80))}`);
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (s.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(s.slice(0, 80))}`);
    } else top.text += decode(s);
  };
  for (const m of body.matchAll(TAG)) {
    text(body.slice(at, m.index));
    at = m.index + m[0].length;
    const [, close, name = '', rawAttrs = '', selfClose] = m;
    if (close === '/') {
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(ATTR)) {
      const key = a[1] ?? '';
      if (key in attrs) throw new Error(`attribute ${key} twice on <${name}>`);
      attrs[key] = decode(a[2] ?? '');
    }
    const el: XmlElement = { name, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (root !== null) throw new Error(`second root element <${name}>`);
      root = el;
    } else parent.children.push(el);
    if (selfClose !== '/') stack.push(el);
  }
  text(body.slice(at));
  if (stack.length > 0) throw new Error(`unclosed <${stack.map((e) => e.name).join('> <')}>`);
  if (root === null) throw new Error('no root element');
  return root;
}

const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
const allCases = (root: XmlElement): XmlElement[] =>
  childrenNamed(root, 'testsuite').flatMap((s) => childrenNamed(s, 'testcase'));
const num = (el: XmlElement, attr: string): number => Number(el.attrs[attr]);

function caseOf(root: XmlElement, v: Verdict): XmlElement {
  const found = allCases(root).filter((c) => c.attrs['name'] === `${v.id}: ${v.metric} (${v.scope})`);
  assert.equal(found.length, 1, `one test case for verdict ${v.id}`);
  return found[0]!;
}

function withScenario(base: Report, over: Partial<ScenarioReport>): Report {
  const r = structuredClone(base);
  r.scenarios = [{ ...r.scenarios[0]!, ...over }];
  return r;
}

describe('the well-formedness check used by these tests', () => {
  it('rejects a raw ampersand, a raw less-than sign in an attribute and crossed tags', () => {
    assert.throws(() => parseXml('<a>fish & chips</a>'));
    assert.throws(() => parseXml('<a b="1 < 2"/>'));
    assert.throws(() => parseXml('<a><b></a></b>'));
    assert.throws(() => parseXml('<a></a><a></a>'));
    assert.doesNotThrow(() => parseXml('<a b="&lt;&amp;"><c/>x &gt; y</a>'));
  });
});

describe('the JUnit XML of a report', () => {
  it('of the failing spike run names each failing gating threshold as a failure and counts exactly those', () => {
    const r = report('fault-spike-failed');
    const root = parseXml(renderJUnit(r));
    const failing = r.scenarios.flatMap((s) => s.verdicts.filter((v) => v.gating && !v.pass));
    assert.ok(failing.length > 0, 'the fixture has failing gating verdicts');
    assert.equal(num(root, 'failures'), failing.length);
    assert.equal(allCases(root).filter((c) => childrenNamed(c, 'failure').length > 0).length, failing.length);
    for (const v of failing) {
      const failure = childrenNamed(caseOf(root, v), 'failure')[0];
      assert.ok(failure !== undefined, `${v.id} has a failure`);
      assert.equal(failure.attrs['type'], 'threshold');
      assert.match(
        failure.attrs['message'] ?? '',
        new RegExp(`^measured .+ ${v.unit}, bound ${v.op} ${v.bound} ${v.unit}$`),
      );
      assert.ok(failure.text.includes(v.source), `${v.id} failure names its source`);
      if (v.k6Threshold !== null)
        assert.ok(failure.text.includes(v.k6Threshold), `${v.id} failure names its k6 threshold`);
    }
    const suite = childrenNamed(root, 'testsuite')[0]!;
    assert.equal(suite.attrs['name'], 'spike');
    assert.equal(num(suite, 'failures'), failing.length);
    assert.equal(num(suite, 'time'), Number(r.scenarios[0]!.durationSec.toFixed(3)));
  });

  it('treats a failed verdict of the non-gating target tier as a passing case that says it was not met', () => {
    const r = report('fault-spike-failed');
    const root = parseXml(renderJUnit(r));
    const notGating = r.scenarios[0]!.verdicts.filter((v) => !v.gating && !v.pass);
    assert.ok(notGating.length > 0, 'the fixture has failed target verdicts');
    for (const v of notGating) {
      const c = caseOf(root, v);
      assert.equal(childrenNamed(c, 'failure').length, 0);
      assert.equal(childrenNamed(c, 'error').length, 0);
      assert.match(childrenNamed(c, 'system-out')[0]?.text ?? '', /not met \(not gating\)/);
    }
  });

  it('of the passing run has one suite per scenario, one case per verdict and neither failures nor errors', () => {
    const r = report('realizar-all');
    const root = parseXml(renderJUnit(r));
    assert.equal(root.name, 'testsuites');
    assert.equal(root.attrs['name'], `realizar-k6 ${r.runId}`);
    const suites = childrenNamed(root, 'testsuite');
    assert.deepEqual(
      suites.map((s) => s.attrs['name']),
      r.scenarios.map((s) => s.name),
    );
    const verdicts = r.scenarios.reduce((n, s) => n + s.verdicts.length, 0);
    assert.equal(num(root, 'tests'), verdicts);
    assert.equal(allCases(root).length, verdicts);
    assert.equal(num(root, 'failures'), 0);
    assert.equal(num(root, 'errors'), 0);
    for (const s of r.scenarios) {
      const suite = suites.find((x) => x.attrs['name'] === s.name)!;
      assert.equal(num(suite, 'tests'), s.verdicts.length);
      for (const c of childrenNamed(suite, 'testcase')) assert.equal(c.attrs['classname'], `realizar-k6.${s.name}`);
    }
  });

  it('escapes <&"\'> in messages and drops characters XML 1.0 forbids, staying well-formed', () => {
    const nasty = `server said <&"'> then\u0001 stopped`;
    const base = report('fault-spike-failed');
    const r = withScenario(base, { status: 'error', error: nasty });
    r.scenarios[0]!.verdicts[1]!.source = `row <p95> & "quoted" 'text'`;
    r.errors = [{ scenario: null, message: nasty }];
    const xml = renderJUnit(r);
    assert.ok(xml.includes('&lt;&amp;&quot;&apos;&gt;'));
    assert.ok(!xml.includes(`<&"'>`));
    const root = parseXml(xml);
    const errorCase = allCases(root).find((c) => childrenNamed(c, 'error').length > 0)!;
    assert.equal(childrenNamed(errorCase, 'error')[0]!.attrs['message'], 'server said <&"\'> then stopped');
    assert.ok(allCases(root).some((c) => childrenNamed(c, 'failure')[0]?.text.includes(`row <p95> & "quoted" 'text'`)));
  });

  it('gives a scenario that did not run an error case carrying its error', () => {
    const r = withScenario(report('realizar-all'), {
      status: 'error',
      error: 'k6 exited with 107: script exception',
      verdicts: [],
    });
    const root = parseXml(renderJUnit(r));
    assert.equal(num(root, 'errors'), 1);
    const error = childrenNamed(allCases(root)[0]!, 'error')[0]!;
    assert.equal(error.attrs['message'], 'k6 exited with 107: script exception');
  });

  it('puts the run-level errors into a suite named run, one error case each', () => {
    const r = structuredClone(report('realizar-all'));
    r.errors = [
      { scenario: null, message: 'the server exited during the run' },
      { scenario: 'spike', message: 'k6 could not start' },
    ];
    const root = parseXml(renderJUnit(r));
    const run = childrenNamed(root, 'testsuite').find((s) => s.attrs['name'] === 'run');
    assert.ok(run !== undefined);
    assert.equal(num(run, 'errors'), 2);
    assert.deepEqual(
      childrenNamed(run, 'testcase').map((c) => childrenNamed(c, 'error')[0]?.attrs['message']),
      ['the server exited during the run', 'k6 could not start'],
    );
    assert.equal(num(root, 'errors'), 2);
  });

  it('fails the scenario when k6 crossed thresholds though every verdict passed, as the exit code does', () => {
    const r = withScenario(report('realizar-all'), { k6ExitCode: 99 });
    const root = parseXml(renderJUnit(r));
    assert.equal(num(root, 'failures'), 1);
  });

  it('keeps the repetitions of a --runs report apart: one suite each and case names that say which run', () => {
    const r = structuredClone(report('fault-spike-failed'));
    const spike = r.scenarios[0]!;
    r.scenarios = [
      { ...spike, repeat: 1 },
      { ...structuredClone(spike), repeat: 2 },
    ];
    const root = parseXml(renderJUnit(r));
    assert.deepEqual(
      childrenNamed(root, 'testsuite').map((s) => s.attrs['name']),
      ['spike (run 1)', 'spike (run 2)'],
    );
    const names = allCases(root).map((c) => `${c.attrs['classname']}/${c.attrs['name']}`);
    assert.equal(new Set(names).size, names.length, 'no two cases share classname and name');
    assert.equal(num(root, 'failures'), 2 * spike.verdicts.filter((v) => v.gating && !v.pass).length);
  });

  it('marks an interrupted scenario as an error, since the run exits 130', () => {
    const r = withScenario(report('realizar-all'), { status: 'interrupted' });
    const root = parseXml(renderJUnit(r));
    assert.equal(num(root, 'errors'), 1);
  });
});
