/** The benchmark's settings from its flags (bench/flags.ts), each checked with an error naming it. */
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import type { FlagValues } from '../../src/node/flags/declare.js';
import type { Settings } from './context.js';
import { ALL_GENERATORS, GENERATORS } from './generators.js';

function invalid(flag: string, expected: string, found: string): never {
  throw new ValidationError(flag, [{ path: '', expected, found }]);
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = items.find((i) => !(allowed as readonly string[]).includes(i));
  if (bad !== undefined || items.length === 0) invalid(flag, `a comma-separated list of ${allowed.join(', ')}`, text);
  return items as T[];
}

function positive(flag: string, text: string, whole: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n)))
    invalid(flag, whole ? 'a whole number greater than 0' : 'a number greater than 0', text);
  return n;
}

export function parseBenchSettings<N extends string>(
  f: FlagValues,
  names: readonly N[],
  defaults: readonly N[],
): { settings: Settings; only: N[]; out: string | null } {
  const quick = f.has('--quick');
  const rates = f.value(
    '--rates',
    (s, t) => t.split(',').map((r) => positive(s, r, false)),
    quick ? [200] : [200, 500, 1000],
  );
  const settings: Settings = {
    quick,
    rounds: f.value('--rounds', (s, t) => positive(s, t, true), quick ? 1 : 5),
    distortion: {
      rates,
      durationSec: f.value('--duration', (s, t) => positive(s, t, false), quick ? 2 : 30),
      clients: f.value('--clients', (s, t) => positive(s, t, true), 50),
      endpoints: f.value('--endpoints', (s, t) => list(s, t, ['generate', 'health'] as const), ['generate', 'health']),
      generators: f.value('--generators', (s, t) => list(s, t, ALL_GENERATORS), [...GENERATORS]),
    },
  };
  const only = f.value('--only', (s, t) => list(s, t, names), [...defaults]);
  const out = f.text('--out') ?? null;
  f.has('--help');
  f.done();
  return { settings, only, out };
}
