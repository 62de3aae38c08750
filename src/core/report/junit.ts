/**
 * The report as JUnit XML, so CI systems (GitLab, Jenkins, GitHub test reporters) show every verdict
 * as a test case. Pure: a function of report.json alone, like report.txt.
 *
 * Failures are exactly what fails the run (src/core/rules/outcome.ts): failing gating verdicts, and k6's
 * own "thresholds crossed" when no verdict explains it. A failing verdict of a non-gating tier passes
 * here, with a note, or a CI summary would show red for a run that exited 0.
 *
 * Why a writer of our own: it must be pure (the report is rendered the same way wherever it is
 * read), and the kept libraries are not: junit-report-builder writes files through Node's fs and
 * carries its own builder and date dependencies, xmlbuilder2 a DOM. JUnit's XML is four elements
 * with attributes; the one tricky part, escaping, is escapeXml below and its tests.
 */
import type { Report, ScenarioReport, Verdict } from '../types.js';
import { K6_THRESHOLDS_CROSSED } from '../errors/exit-codes.js';
import { fmtBound, fmtValue } from './render.js';

const CLASS_PREFIX = 'realizar-k6';
const THRESHOLDS_CROSSED_MESSAGE = `k6 exited with ${K6_THRESHOLDS_CROSSED}: a threshold was crossed`;
const THRESHOLDS_CROSSED_TEXT =
  'k6 judged a threshold as crossed although every verdict of the report passed; see the k6 log and notes.';

/**
 * Characters XML 1.0 forbids even as references (C0 controls but tab, LF, CR; U+FFFE, U+FFFF) and
 * lone surrogates. A stray one from a server's error text would make the whole file unparsable and
 * CI would drop every result, so they are removed.
 */
const ILLEGAL_XML = new RegExp(
  [
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.source,
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.source,
    /(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source,
  ].join('|'),
  'g',
);

/** Text content and attribute values alike; quotes are escaped everywhere so one function serves both. */
export function escapeXml(text: string): string {
  return text
    .replace(ILLEGAL_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Parsers normalise raw newlines and tabs in attribute values to spaces; references keep them. */
function attrValue(text: string): string {
  return escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attrs(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${attrValue(String(v))}"`)
    .join('');
}

/** JUnit times are seconds; milliseconds are enough resolution and keep the file stable to read. */
const secs = (s: number): string => (Number.isFinite(s) && s > 0 ? s : 0).toFixed(3);

interface Case {
  name: string;
  classname: string;
  /** XML of the case's children (failure, error, system-out), already escaped. */
  body: string;
  failure: boolean;
  error: boolean;
}

function renderCase(c: Case): string {
  const open = `    <testcase${attrs({ name: c.name, classname: c.classname })}`;
  return c.body === '' ? `${open}/>` : `${open}>\n${c.body}\n    </testcase>`;
}

function measuredVsBound(v: Verdict): string {
  const measured = v.measured === null ? 'nothing (no samples)' : fmtValue(v.measured, v.unit);
  return `measured ${measured}, bound ${v.op} ${fmtBound(v.bound, v.unit)}`;
}

function verdictDetails(v: Verdict): string {
  const k6 =
    v.k6Threshold === null
      ? 'none (judged by the report only)'
      : `${v.k6Threshold} (k6: ${v.k6Ok === null ? 'no judgement' : v.k6Ok ? 'met' : 'crossed'})`;
  return [
    `verdict: ${v.id} (tier ${v.tier}${v.gating ? ', gating' : ', not gating'})`,
    `metric: ${v.metric}, scope: ${v.scope}`,
    measuredVsBound(v),
    `source: ${v.source}`,
    `k6 threshold: ${k6}`,
  ].join('\n');
}

/**
 * A report made with --runs holds each scenario once per repetition; CI tools key results on
 * classname + name, so the repetition goes into the case name or the repeats would merge.
 */
const repeatSuffix = (s: ScenarioReport): string => (s.repeat === undefined ? '' : ` [run ${s.repeat}]`);

function verdictCase(s: ScenarioReport, v: Verdict): Case {
  const base = {
    name: `${v.id}: ${v.metric} (${v.scope})${repeatSuffix(s)}`,
    classname: `${CLASS_PREFIX}.${s.name}`,
    error: false,
  };
  if (v.pass) return { ...base, body: '', failure: false };
  if (v.gating) {
    const body =
      `      <failure${attrs({ message: measuredVsBound(v), type: 'threshold' })}>` +
      `${escapeXml(verdictDetails(v))}</failure>`;
    return { ...base, body, failure: true };
  }
  const out = `not met (not gating): ${measuredVsBound(v)}\n${verdictDetails(v)}`;
  return { ...base, body: `      <system-out>${escapeXml(out)}</system-out>`, failure: false };
}

function errorCase(classname: string, name: string, type: string, message: string): Case {
  return {
    name,
    classname,
    body: `      <error${attrs({ message, type })}>${escapeXml(message)}</error>`,
    failure: false,
    error: true,
  };
}

function scenarioCases(s: ScenarioReport): Case[] {
  const classname = `${CLASS_PREFIX}.${s.name}`;
  const cases: Case[] = [];
  if (s.status === 'error') {
    cases.push(
      errorCase(
        classname,
        `${s.name}: scenario run${repeatSuffix(s)}`,
        'scenario-error',
        s.error ?? 'the scenario did not run',
      ),
    );
  }
  // An interrupted run exits 130; without an error case its JUnit would look like a clean pass.
  if (s.status === 'interrupted') {
    cases.push(
      errorCase(
        classname,
        `${s.name}: scenario run${repeatSuffix(s)}`,
        'interrupted',
        'the run was stopped; figures cover what was measured until then',
      ),
    );
  }
  const verdicts = s.verdicts.map((v) => verdictCase(s, v));
  cases.push(...verdicts);
  // k6's exit code 99 fails the run even when every verdict the report computed passed (outcome.ts);
  // CI must see that as a failure too.
  if (s.k6ExitCode === K6_THRESHOLDS_CROSSED && !verdicts.some((c) => c.failure)) {
    cases.push({
      name: `${s.name}: k6 thresholds${repeatSuffix(s)}`,
      classname,
      body:
        `      <failure${attrs({ message: THRESHOLDS_CROSSED_MESSAGE, type: 'threshold' })}>` +
        `${escapeXml(THRESHOLDS_CROSSED_TEXT)}</failure>`,
      failure: true,
      error: false,
    });
  }
  return cases;
}

interface Suite {
  name: string;
  timeSec: number;
  cases: Case[];
}

const count = (cases: readonly Case[], key: 'failure' | 'error'): number => cases.filter((c) => c[key]).length;

function renderSuite(s: Suite): string {
  const head = `  <testsuite${attrs({
    name: s.name,
    tests: s.cases.length,
    failures: count(s.cases, 'failure'),
    errors: count(s.cases, 'error'),
    skipped: 0,
    time: secs(s.timeSec),
  })}`;
  if (s.cases.length === 0) return `${head}/>`;
  return [`${head}>`, ...s.cases.map(renderCase), '  </testsuite>'].join('\n');
}

/** Wall-clock of the run (server start included), or the scenarios' sum when the stamps do not parse. */
function runSeconds(r: Report, suites: readonly Suite[]): number {
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : suites.reduce((t, s) => t + s.timeSec, 0);
}

export function renderJUnit(report: Report): string {
  const suites: Suite[] = report.scenarios.map((s) => ({
    name: s.repeat === undefined ? s.name : `${s.name} (run ${s.repeat})`,
    timeSec: s.durationSec,
    cases: scenarioCases(s),
  }));
  if (report.errors.length > 0) {
    suites.push({
      name: 'run',
      timeSec: 0,
      cases: report.errors.map((e, i) =>
        errorCase(
          `${CLASS_PREFIX}.run`,
          `run error ${i + 1}${e.scenario === null ? '' : ` (${e.scenario})`}`,
          'run-error',
          e.message,
        ),
      ),
    });
  }
  const all = suites.flatMap((s) => s.cases);
  const root = `<testsuites${attrs({
    name: `${CLASS_PREFIX} ${report.runId}`,
    tests: all.length,
    failures: count(all, 'failure'),
    errors: count(all, 'error'),
    time: secs(runSeconds(report, suites)),
  })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...suites.map(renderSuite), '</testsuites>', ''].join('\n');
}
