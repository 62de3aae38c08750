import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_FEATURES,
  clientFeatures,
  featureDefines,
  featureScriptName,
  missingFeatures,
} from '../../src/core/plan/client-features.js';
import type { ScenarioPlan } from '../../src/core/types.js';
import { HEALTH_RUN } from '../support/plan-settings.js';

type Needs = Pick<ScenarioPlan, 'workload' | 'goodput' | 'phases' | 'mix' | 'api'>;
const phase = { name: 'main', model: 'closed', clients: 4, requests: 40, timeoutSec: 30, startSec: 0 } as const;
const health: Needs = {
  workload: null,
  goodput: null,
  phases: [{ ...phase, maxDurationSec: 60 }],
  mix: [{ endpoint: 'health', weight: 1 }],
};
const none = HEALTH_RUN;

describe("what a run's clients carry, from its plan", () => {
  it('a run of health checks needs none of the features, and only the health endpoint of its API', () => {
    assert.deepEqual(clientFeatures(health, false), none);
  });

  it("a run sends its mix's built-in endpoints in its API; a scenario file's own endpoints are not among them", () => {
    const mixed = {
      ...health,
      mix: [
        { endpoint: 'generate', weight: 2 },
        { endpoint: 'health', weight: 1 },
        { endpoint: 'chat', weight: 1 },
      ],
    };
    assert.deepEqual(clientFeatures(mixed, false, ['chat']).endpoints, ['health', 'generate']);
    assert.equal(clientFeatures({ ...health, api: 'openai' }, false).api, 'openai');
  });

  it('a feature is needed by what uses it: a prompt set, objectives, a drawn schedule, a generating endpoint', () => {
    assert.equal(clientFeatures(health, true).workload, true);
    assert.equal(clientFeatures({ ...health, goodput: 'latency<200' }, false).goodput, true);
    const drawn = { ...health, phases: [{ ...health.phases[0]!, arrivals: 'poisson' }] };
    assert.equal(clientFeatures(drawn, false).schedules, true);
    assert.equal(clientFeatures({ ...health, mix: [{ endpoint: 'generate', weight: 1 }] }, false).answers, true);
    assert.equal(clientFeatures({ ...health, mix: [{ endpoint: 'chat', weight: 1 }] }, false, ['chat']).answers, true);
  });

  it('a build is refused for a plan only when it lacks a feature the plan needs', () => {
    assert.deepEqual(missingFeatures(none, none), []);
    assert.deepEqual(missingFeatures(ALL_FEATURES, ALL_FEATURES), []);
    assert.deepEqual(missingFeatures({ ...none, goodput: true, answers: true }, none), ['goodput', 'answers']);
    assert.deepEqual(missingFeatures(none, ALL_FEATURES), []);
    assert.deepEqual(missingFeatures({ ...none, api: 'openai' }, none), ['the openai API']);
    assert.deepEqual(missingFeatures({ ...none, endpoints: ['health', 'tokenize'] }, none), ['endpoint tokenize']);
    assert.deepEqual(missingFeatures(ALL_FEATURES, none), [
      'workload',
      'goodput',
      'schedules',
      'answers',
      'endpoint tokenize',
      'endpoint generate',
      'endpoint batch-tokenize',
      'endpoint batch-generate',
      'endpoint stream-generate',
    ]);
  });

  it("each feature is a constant to esbuild, and a build's name says which it carries", () => {
    assert.deepEqual(featureDefines({ ...none, answers: true }), {
      __WITH_WORKLOAD__: 'false',
      __WITH_GOODPUT__: 'false',
      __WITH_SCHEDULES__: 'false',
      __WITH_ANSWER_CLOCK__: 'true',
      '__API__.realizar': 'true',
      '__API__.openai': 'false',
      '__SENDS__.health': 'true',
      '__SENDS__.tokenize': 'false',
      '__SENDS__.generate': 'false',
      '__SENDS__.batch_tokenize': 'false',
      '__SENDS__.batch_generate': 'false',
      '__SENDS__.stream_generate': 'false',
    });
    assert.ok(Object.values(featureDefines(ALL_FEATURES)).every((v) => v === 'true'));
    assert.equal(featureScriptName('health', ALL_FEATURES), 'health.js');
    assert.equal(featureScriptName('health', none), 'health.with-none.sends-realizar-health.js');
    assert.equal(
      featureScriptName('generate', { ...none, workload: true, answers: true, endpoints: ['generate'] }),
      'generate.with-workload-answers.sends-realizar-generate.js',
    );
    assert.equal(
      featureScriptName('own', { ...ALL_FEATURES, goodput: false }),
      'own.with-workload-schedules-answers.js',
    );
  });
});
