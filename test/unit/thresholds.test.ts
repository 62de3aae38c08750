import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import type { ScenarioPlan, ThresholdsFile } from '../../src/core/types.js';
import { k6Thresholds } from '../../src/core/rules/thresholds.js';
import { listScenarios, loadThresholds } from '../../src/node/run/scenarios.js';

async function fileWith(content: unknown, name = 'health'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-thresholds-'));
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const good: ThresholdsFile = {
  scenario: 'health',
  rules: [{ id: 'p95', metric: 'latency_p95', acceptable: 500, target: 200, source: 'seed' }],
};

async function problemOf(content: unknown): Promise<ValidationError> {
  const file = await fileWith(content);
  try {
    await loadThresholds('health', file);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    assert.ok(err.message.startsWith(file), 'the error names the file');
    return err;
  }
  assert.fail('the file was accepted');
}

describe('thresholds files', () => {
  it('every scenario has a thresholds file that passes its schema and checks', async () => {
    for (const name of await listScenarios()) await loadThresholds(name);
  });

  const bad: Array<[string, unknown, { path: string; expected: RegExp; found: RegExp }]> = [
    [
      'a bound given as a string',
      { ...good, rules: [{ ...good.rules[0], acceptable: '500' }] },
      { path: '/rules/0/acceptable', expected: /type number/, found: /'500'/ },
    ],
    [
      'an unknown metric',
      { ...good, rules: [{ ...good.rules[0], metric: 'latency_p42' }] },
      { path: '/rules/0/metric', expected: /one of "latency_p50"/, found: /'latency_p42'/ },
    ],
    [
      'a rule without its source',
      { ...good, rules: [{ id: 'p95', metric: 'latency_p95', acceptable: 500 }] },
      { path: '/rules/0/source', expected: /required/, found: /nothing/ },
    ],
    [
      'a misspelt key',
      { ...good, rulez: [] },
      { path: '/rulez', expected: /no such property/, found: /an array of 0/ },
    ],
    [
      'a target looser than acceptable',
      { ...good, rules: [{ ...good.rules[0], target: 900 }] },
      { path: '/rules/0/target', expected: /at least as strict as acceptable \(<= 500\)/, found: /900/ },
    ],
    [
      'a rule id used twice',
      { ...good, rules: [good.rules[0], good.rules[0]] },
      { path: '/rules/1/id', expected: /used once/, found: /'p95' again/ },
    ],
    [
      'a rule on both an endpoint and a phase',
      { ...good, rules: [{ ...good.rules[0], endpoint: 'health', phase: 'spike' }] },
      { path: '/rules/0', expected: /either endpoint or phase/, found: /endpoint 'health' and phase 'spike'/ },
    ],
    [
      'a scenario name that is not the file name',
      { ...good, scenario: 'spike' },
      { path: '/scenario', expected: /'health' \(the file's name\)/, found: /'spike'/ },
    ],
    ['broken JSON', '{"scenario": "health",', { path: '', expected: /valid JSON/, found: /syntax error/ }],
  ];
  for (const [name, content, want] of bad) {
    it(`${name} is refused with the file, the JSON path, what was expected and what was found`, async () => {
      const err = await problemOf(content);
      const problem = err.problems.find((p) => p.path === want.path);
      assert.ok(problem, `a problem at ${want.path} in ${JSON.stringify(err.problems)}`);
      assert.match(problem.expected, want.expected);
      assert.match(problem.found, want.found);
      assert.ok(err.message.includes(want.path === '' ? 'expected' : `at ${want.path}:`));
    });
  }

  it('a missing file is named', async () => {
    await assert.rejects(
      loadThresholds('health', '/nonexistent/health.json'),
      /\/nonexistent\/health\.json: expected a thresholds file for scenario 'health', found no such file/,
    );
  });
});

describe('k6 thresholds from rules', () => {
  const plan: Pick<ScenarioPlan, 'phases' | 'mix' | 'gate' | 'thresholds'> = {
    gate: 'acceptable',
    phases: [
      { name: 'health', model: 'closed', clients: 10, requests: 100, timeoutSec: 30, startSec: 0, maxDurationSec: 305 },
    ],
    mix: [{ endpoint: 'health', weight: 1 }],
    thresholds: {
      scenario: 'health',
      rules: [
        { id: 'p95', metric: 'latency_p95', acceptable: 500, target: 200, source: 's' },
        { id: 'p99', metric: 'latency_p99', acceptable: 1000, target: 500, source: 's' },
        { id: 'errors', metric: 'error_rate', acceptable: 5, source: 's' },
        { id: 'throughput', metric: 'throughput', acceptable: 100, source: 's' },
      ],
    },
  };

  it('rules on the same metric share one key, since k6 drops duplicated keys silently', () => {
    const t = k6Thresholds(plan);
    assert.deepEqual(t['http_req_duration'], ['p(95)<500', 'p(99)<1000']);
  });

  it('error rates are given to k6 as fractions and throughput as a rate of successes', () => {
    const t = k6Thresholds(plan);
    assert.deepEqual(t['request_failed'], ['rate<0.05']);
    assert.deepEqual(t['requests_ok'], ['rate>100']);
  });

  it('the target gate adds the target bounds and keeps the acceptable ones', () => {
    const t = k6Thresholds({ ...plan, gate: 'target' });
    assert.deepEqual(t['http_req_duration'], ['p(95)<500', 'p(99)<1000', 'p(95)<200', 'p(99)<500']);
  });

  it('with several phases and endpoints, each gets an always-true observer so k6 reports its sub-metric', () => {
    const two = {
      ...plan,
      phases: [plan.phases[0]!, { ...plan.phases[0]!, name: 'again' }],
      mix: [plan.mix[0]!, { endpoint: 'generate' as const, weight: 1 }],
    };
    const t = k6Thresholds(two);
    assert.deepEqual(t['http_req_duration{scenario:health}'], ['max>=0']);
    assert.deepEqual(t['dropped_iterations{scenario:again}'], ['count>=0']);
    assert.deepEqual(t['request_failed{endpoint:generate}'], ['rate>=0']);
  });

  it('with one phase and one endpoint, none: their sub-metrics would copy the whole metrics', () => {
    const t = k6Thresholds(plan);
    assert.deepEqual(
      Object.keys(t).filter((k) => k.includes('{')),
      [],
    );
  });
});
