import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BENCH, DEFAULT_EXPERIMENTS, EXPERIMENT_NAMES } from '../../bench/flags.js';
import { parseBenchSettings } from '../../bench/lib/settings.js';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { parseFlags } from '../../src/node/flags/declare.js';

const settingsOf = (argv: string[]) =>
  parseBenchSettings(parseFlags(BENCH, argv), EXPERIMENT_NAMES, DEFAULT_EXPERIMENTS);

describe("the benchmark's distortion generators", () => {
  it('compares the toolkit, with --samples, the checked and bare scripts and vegeta unless told', () => {
    assert.deepEqual(settingsOf([]).settings.distortion.generators, [
      'toolkit',
      'toolkit-samples',
      'checked',
      'bare',
      'vegeta',
    ]);
  });

  it('runs the ones --generators names, in its order, the toolkit with its dashboard among them', () => {
    const { settings } = settingsOf(['--generators', 'toolkit-dashboard,toolkit,checked']);
    assert.deepEqual(settings.distortion.generators, ['toolkit-dashboard', 'toolkit', 'checked']);
  });

  it('refuses a generator it does not know, naming the flag and the ones it knows', () => {
    assert.throws(
      () => settingsOf(['--generators', 'toolkit,wrk']),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.source === '--generators' &&
        /toolkit-dashboard/.test(e.message) &&
        /toolkit,wrk/.test(e.message),
    );
  });
});
