import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { mixCycle, parseMix } from '../../src/core/plan/mix.js';
import {
  k6OpenDurationSec,
  resolvePlan,
  type ScenarioDefinition,
  type PlanSettings,
} from '../../src/core/plan/plan.js';
import { parseStages, stagesText } from '../../src/core/plan/shape.js';
import { parseRunConfig } from '../../src/node/config/index.js';
import { info, settings } from '../support/plan-settings.js';
import { k6Thresholds } from '../../src/core/rules/thresholds.js';

const LEAST_A_SECOND = 'k6 runs an arrival-rate phase for at least a second.';

const spike: ScenarioDefinition = {
  name: 'spike',
  description: 'd',
  thresholds: {
    scenario: 'spike',
    rules: [
      { id: 'spike.errors', metric: 'error_rate', acceptable: 15, phase: 'spike', source: 's' },
      { id: 'gen.p95', metric: 'latency_p95', acceptable: 500, endpoint: 'generate', source: 's' },
    ],
  },
  mixable: true,
  mix: [
    { endpoint: 'health', weight: 1 },
    { endpoint: 'generate', weight: 1 },
  ],
  phases: [
    { name: 'baseline', model: 'open', clients: 2, requests: 10, durationSec: 5, timeoutSec: 30 },
    { name: 'spike', model: 'open', clients: 20, requests: 100, durationSec: 5, timeoutSec: 30 },
  ],
};

describe('request mixes', () => {
  it('parse endpoint=weight lists and default a weight to 1', () => {
    assert.deepEqual(parseMix('health=2, generate', '--mix'), [
      { endpoint: 'health', weight: 2 },
      { endpoint: 'generate', weight: 1 },
    ]);
  });

  for (const [text, found] of [
    ['healthz', "'healthz'"],
    ['health=0', "'health=0'"],
    ['', "''"],
    ['health,health', 'health twice'],
  ] as const) {
    it(`refuse '${text}' naming the flag and what was found`, () => {
      assert.throws(
        () => parseMix(text, '--mix'),
        (err: unknown) =>
          err instanceof ValidationError && err.source === '--mix' && err.problems.some((p) => p.found === found),
      );
    });
  }

  it('interleave endpoints in proportion to their weights', () => {
    const cycle = mixCycle(parseMix('health=2,tokenize=1,generate=1', 'x'));
    assert.deepEqual(cycle, ['health', 'tokenize', 'generate', 'health']);
  });
});

describe('resolving a scenario plan', () => {
  it('lays open phases one after the other at their planned rates', () => {
    const plan = resolvePlan(spike, settings, info);
    assert.deepEqual(
      plan.phases.map((p) => [p.name, p.requests, p.ratePerSec, p.startSec]),
      [
        ['baseline', 10, 2, 0],
        ['spike', 100, 20, 5],
      ],
    );
  });

  it('ends an open phase half an interval early, because k6 also starts an iteration at the very end', () => {
    assert.equal(k6OpenDurationSec({ requests: 10, durationSec: 5 }), 4.75);
  });

  it('scaling keeps each rate and never asks k6 for a window under one second', () => {
    const plan = resolvePlan(spike, { ...settings, scale: 0.1 }, info);
    for (const p of plan.phases) {
      assert.equal(p.ratePerSec, p.requests / p.durationSec!);
      assert.ok(k6OpenDurationSec(p) >= 1, `${p.name} lasts at least 1 s`);
    }
    assert.deepEqual(
      plan.phases.map((p) => p.requests),
      [3, 21],
    );
    // The scale asked for 1 and 10: the report says why more were sent.
    assert.ok(plan.notes.includes('Phase baseline: 3 requests over 1.5 s at 2 req/s, not 1: ' + LEAST_A_SECOND));
    assert.ok(plan.notes.includes('Phase spike: 21 requests over 1.05 s at 20 req/s, not 10: ' + LEAST_A_SECOND));
  });

  it('says nothing of the window when the phase already lasts a second', () => {
    const plan = resolvePlan(spike, { ...settings, scale: 0.5 }, info);
    assert.ok(!plan.notes.some((n) => n.endsWith(LEAST_A_SECOND)), plan.notes.join('\n'));
  });

  it('a mix without an endpoint drops that endpoint’s rules and says so', () => {
    const plan = resolvePlan(spike, { ...settings, mix: parseMix('health', 'x') }, info);
    assert.deepEqual(
      plan.thresholds.rules.map((r) => r.id),
      ['spike.errors'],
    );
    assert.ok(plan.notes.some((n) => n.includes("'gen.p95'")));
  });

  it('a single-endpoint scenario ignores a mix and says so', () => {
    const single: ScenarioDefinition = {
      ...spike,
      mixable: false,
      mix: [{ endpoint: 'health', weight: 1 }],
      thresholds: {
        scenario: 'spike',
        rules: [spike.thresholds && (spike.thresholds as { rules: unknown[] }).rules[0]],
      },
    };
    const plan = resolvePlan(single, { ...settings, mix: parseMix('generate', 'x') }, info);
    assert.deepEqual(plan.mix, [{ endpoint: 'health', weight: 1 }]);
    assert.ok(plan.notes.some((n) => n.includes('was ignored')));
  });

  it('closed phases get a time limit long enough for every request to time out in turn', () => {
    const closed: ScenarioDefinition = {
      ...spike,
      phases: [{ name: 'spike', model: 'closed', clients: 10, requests: 100, timeoutSec: 30 }],
    };
    const [p] = resolvePlan(closed, settings, info).phases;
    assert.equal(p?.maxDurationSec, 10 * 30 + 5);
  });

  it('a rule naming a phase the scenario lacks is an error naming the rule and the phases', () => {
    const wrong: ScenarioDefinition = {
      ...spike,
      thresholds: {
        scenario: 'spike',
        rules: [{ id: 'r', metric: 'error_rate', acceptable: 5, phase: 'rampup', source: 's' }],
      },
    };
    assert.throws(
      () => resolvePlan(wrong, settings, info),
      new RegExp(
        /thresholds\/spike.json: at \/rules\/0\/phase: /.source +
          /expected a phase of scenario spike \(baseline, spike\), found 'rampup' \(rule 'r'\)/.source,
      ),
    );
  });
});

describe('scaling a closed phase', () => {
  it('never gives k6 more clients than requests, and says so', () => {
    const closed: ScenarioDefinition = {
      ...spike,
      phases: [{ name: 'spike', model: 'closed', clients: 5, requests: 25, timeoutSec: 60 }],
    };
    const plan = resolvePlan(closed, { ...settings, scale: 0.1 }, info);
    assert.deepEqual([plan.phases[0]?.requests, plan.phases[0]?.clients], [3, 3]);
    assert.ok(plan.notes.some((n) => n.includes('3 client(s) instead of 5')));
  });
});

describe('a run-wide request timeout', () => {
  it('replaces every phase timeout, bounds the phases by it, and is noted', () => {
    const plan = resolvePlan(spike, { ...settings, timeoutSec: 2 }, info);
    assert.deepEqual(
      plan.phases.map((p) => [p.timeoutSec, p.maxDurationSec]),
      [
        [2, 7],
        [2, 7],
      ],
    );
    assert.ok(plan.notes.some((n) => n.includes('Request timeout 2s')));
  });
});

describe('a shape given on the command line', () => {
  const sustained: ScenarioDefinition = {
    ...spike,
    name: 'sustained',
    thresholds: { scenario: 'sustained', rules: [{ id: 'e', metric: 'error_rate', acceptable: 5, source: 's' }] },
    phases: [{ name: 'sustained', model: 'open', clients: 10, requests: 200, durationSec: 30, timeoutSec: 30 }],
  };
  const stream: ScenarioDefinition = {
    ...sustained,
    name: 'stream',
    mixable: false,
    phases: [{ name: 'stream', model: 'closed', clients: 5, requests: 25, timeoutSec: 60 }],
  };
  const shape = (s: Partial<NonNullable<PlanSettings['shape']>>) => ({
    ...settings,
    shape: { clients: null, requests: null, rate: null, durationSec: null, ...s },
  });

  it('--rate 500 --duration 30 --clients 50 makes one open phase of exactly 15,000 requests', () => {
    const [p] = resolvePlan(sustained, shape({ rate: 500, durationSec: 30, clients: 50 }), info).phases;
    assert.deepEqual([p!.model, p!.requests, p!.ratePerSec, p!.durationSec, p!.clients], ['open', 15000, 500, 30, 50]);
  });

  it('--concurrency 32 --requests 320 makes 32 clients share 320 requests', () => {
    const [p] = resolvePlan(stream, shape({ clients: 32, requests: 320 }), info).phases;
    assert.deepEqual([p!.model, p!.clients, p!.requests], ['closed', 32, 320]);
  });

  it('--rate turns a closed scenario open, at most --concurrency in flight', () => {
    const [p] = resolvePlan(stream, shape({ rate: 8, durationSec: 10, clients: 16 }), info).phases;
    assert.deepEqual([p!.model, p!.requests, p!.clients], ['open', 80, 16]);
  });

  it('an open scenario keeps its rate when only --duration is given', () => {
    const [p] = resolvePlan(sustained, shape({ durationSec: 60 }), info).phases;
    assert.deepEqual([p!.requests, p!.durationSec], [400, 60]);
  });

  it('refuses a shape for the spike (its three phases are the test) and --duration on a closed scenario', () => {
    assert.throws(
      () => resolvePlan(spike, shape({ rate: 10 }), info),
      /a scenario with one phase \(spike has 2: baseline, spike/,
    );
    assert.throws(() => resolvePlan(stream, shape({ durationSec: 10 }), info), /--duration: expected --rate beside it/);
    assert.throws(
      () => resolvePlan(stream, shape({ clients: 50, requests: 10 }), info),
      /--clients: expected at most --requests \(10\)/,
    );
  });
});

describe('a stepped load (--stages)', () => {
  const generate: ScenarioDefinition = {
    ...spike,
    name: 'generate',
    mixable: false,
    thresholds: { scenario: 'generate', rules: [{ id: 'e', metric: 'error_rate', acceptable: 5, source: 's' }] },
    phases: [{ name: 'generate', model: 'closed', clients: 5, requests: 25, timeoutSec: 60 }],
  };
  const staged = (text: string, clients: number | null = null) => ({
    ...settings,
    shape: { clients, requests: null, rate: null, durationSec: null, stages: parseStages('--stages', text) },
  });

  it('makes open phases one after another, each its rate for its seconds, at most --clients in flight', () => {
    const plan = resolvePlan(generate, staged('2:30,8:10,0.5:4', 16), info);
    assert.deepEqual(
      plan.phases.map((p) => [p.name, p.model, p.requests, p.ratePerSec, p.startSec, p.clients, p.timeoutSec]),
      [
        ['stage-1', 'open', 60, 2, 0, 16, 60],
        ['stage-2', 'open', 80, 8, 30, 16, 60],
        ['stage-3', 'open', 2, 0.5, 40, 16, 60],
      ],
    );
    assert.match(plan.description, /this run: --stages 2:30,8:10,0\.5:4 --clients 16$/);
    assert.deepEqual(resolvePlan(generate, staged('4:5'), info).phases[0]!.clients, 5, "the scenario's clients");
  });

  it('reads R:SEC stages and refuses what is not one, naming the stage', () => {
    assert.deepEqual(parseStages('--stages', ' 2:30 , 8.5:10'), [
      { rate: 2, durationSec: 30 },
      { rate: 8.5, durationSec: 10 },
    ]);
    assert.equal(stagesText(parseStages('--stages', '2:30,8.5:10')), '2:30,8.5:10');
    for (const [text, error] of [
      ['2:30,8', /--stages: expected stages RATE:SECONDS, comma-separated, each above 0 \(stage 2\), found '8'/],
      ['0:10', /\(stage 1\), found '0:10'/],
      ['0.1:5', /at least one request a stage, RATE × SECONDS >= 1 \(stage 1\), found '0.1:5'/],
      [Array(51).fill('1:1').join(','), /at most 50 stages, found 51 stages/],
    ] as const)
      assert.throws(() => parseStages('--stages', text), error);
  });

  it('refuses stages for a scenario of several phases, and --rate, --duration or --requests beside them', () => {
    assert.throws(() => resolvePlan(spike, staged('2:5'), info), /--stages 2:5: expected a scenario with one phase/);
    for (const flag of ['--rate', '--duration', '--requests'])
      assert.throws(
        () => parseRunConfig(['generate', '--stages', '2:5', flag, '10'], ['generate'], {}, '/w'),
        new RegExp(`${flag}: expected no --rate, --duration or --requests beside --stages`),
      );
    const c = parseRunConfig(['generate', '--stages', '2:5,4:5', '--clients', '8'], ['generate'], {}, '/w');
    assert.deepEqual(c.shape?.stages, [
      { rate: 2, durationSec: 5 },
      { rate: 4, durationSec: 5 },
    ]);
  });
});

describe('scenario shapes', () => {
  it('every k6 scenario file has its shape in src/core/plan/scenario-shapes.ts, and every shape a file', async () => {
    const { listScenarios } = await import('../../src/node/run/scenarios.js');
    const { SCENARIO_SHAPES } = await import('../../src/core/plan/scenario-shapes.js');
    assert.deepEqual([...(await listScenarios())].sort(), Object.keys(SCENARIO_SHAPES).sort());
    for (const [name, shape] of Object.entries(SCENARIO_SHAPES)) assert.equal(shape.name, name);
  });
});

describe('the leak and drift rules', () => {
  const soak: ScenarioDefinition = {
    ...spike,
    thresholds: {
      scenario: 'spike',
      rules: [
        { id: 'errors', metric: 'error_rate', acceptable: 5, source: 's' },
        { id: 'leak', metric: 'rss_growth_mb_per_1000_requests', acceptable: 10, source: 's' },
        { id: 'drift', metric: 'p95_drift_ms', acceptable: 50, source: 's' },
      ],
    },
  };

  it("apply to every scenario, streamed or not: the runner times each from the plan's latency metric", () => {
    const defs: ScenarioDefinition[] = [soak, { ...soak, stream: true }];
    for (const def of defs) {
      const plan = resolvePlan(def, settings, info);
      assert.deepEqual(
        plan.thresholds.rules.map((r) => r.id),
        ['errors', 'leak', 'drift'],
      );
      assert.ok(!plan.notes.some((n) => n.includes('does not apply')), plan.notes.join('\n'));
    }
  });
});

describe('a rule on a stream’s figures in a scenario that does not stream', () => {
  const withTtft: ScenarioDefinition = {
    ...spike,
    thresholds: {
      scenario: 'spike',
      rules: [
        { id: 'errors', metric: 'error_rate', acceptable: 5, source: 's' },
        { id: 'ttft', metric: 'ttft_p95', acceptable: 500, source: 's' },
        { id: 'tps', metric: 'output_tokens_per_second_p50', acceptable: 10, source: 's' },
      ],
    },
  };

  it('is dropped with a note, so k6 gets no threshold on a metric no client creates', () => {
    const plan = resolvePlan(withTtft, settings, info);
    assert.deepEqual(
      plan.thresholds.rules.map((r) => r.id),
      ['errors'],
    );
    assert.ok(!Object.keys(k6Thresholds(plan)).some((k) => k.startsWith('stream_')), 'no stream_* threshold');
    for (const id of ['ttft', 'tps'])
      assert.ok(
        plan.notes.some((n) => n.startsWith(`Rule '${id}'`) && n.includes('does not stream')),
        plan.notes.join('\n'),
      );
  });
});
