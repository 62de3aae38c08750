/**
 * Scenarios are found, not listed: every src/k6/scenarios/<name>.ts is one, with its
 * thresholds/<name>.json. `seed` runs the seed's seven in the seed's order; `all` runs them, then
 * every other scenario by name (stream among them, which needs Chromium).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { checkThresholdsFile } from '../../core/rules/thresholds.js';
import type { ThresholdsFile } from '../../core/types.js';
import { validateThresholdsFile } from '../../generated/file-validators.cjs';
import { readJsonFile } from '../files/json-file.js';
import { SCENARIO_DIR, shown, thresholdsFile, THRESHOLDS_DIR } from '../files/paths.js';

/** The seed's seven load tests, in the seed's order: what `npm run load-test` runs. */
export const SEED_ORDER = ['health', 'tokenize', 'generate', 'batch-tokenize', 'batch-generate', 'sustained', 'spike'];

export async function listScenarios(dir = SCENARIO_DIR): Promise<string[]> {
  const names = (await readdir(dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3));
  const rank = (n: string): number => (SEED_ORDER.includes(n) ? SEED_ORDER.indexOf(n) : SEED_ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Read and check one thresholds file: JSON syntax, the schema, then what the schema cannot say.
 * @param endpoints those a rule may name (default: the built-in ones)
 */
export async function loadThresholds(
  scenario: string,
  file = thresholdsFile(scenario),
  endpoints?: readonly string[],
): Promise<ThresholdsFile> {
  const source = shown(file);
  const parsed = await readJsonFile(
    file,
    validateThresholdsFile,
    `a thresholds file for scenario '${scenario}'`,
    source,
  );
  const problems = checkThresholdsFile(parsed, scenario, endpoints);
  if (problems.length > 0) throw new ValidationError(source, problems);
  return parsed;
}

/** Every scenario has a valid thresholds file and every thresholds file a scenario. */
export async function checkAllThresholds(scenarios: readonly string[], dir = THRESHOLDS_DIR): Promise<void> {
  for (const s of scenarios) await loadThresholds(s, thresholdsFile(s, dir));
  const entries = await readdir(dir).catch(() => {
    throw new ValidationError(shown(dir), [
      { path: '', expected: 'a folder of thresholds files', found: 'no such folder' },
    ]);
  });
  const orphans = entries.filter((f) => f.endsWith('.json') && !scenarios.includes(path.basename(f, '.json')));
  if (orphans.length > 0) {
    const f = orphans[0]!;
    throw new ValidationError(shown(path.join(dir, f)), [
      {
        path: '',
        expected: `a scenario file src/k6/scenarios/${path.basename(f, '.json')}.ts beside it`,
        found: 'none',
      },
    ]);
  }
}
