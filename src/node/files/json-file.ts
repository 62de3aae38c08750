/**
 * Reading a JSON file that must have a shape: a missing file, broken JSON and a shape error are
 * all ValidationErrors naming the file (as shown to the user), what was expected and what was found.
 */
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import type { GeneratedValidator } from '../../generated/validator.js';
import { shown } from './paths.js';

export async function readJsonFile<T>(
  file: string,
  validate: GeneratedValidator<T>,
  expected: string,
  source = shown(file),
): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ValidationError(source, [{ path: '', expected, found: 'no such file' }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(source, [
      { path: '', expected: 'valid JSON', found: `a syntax error (${(err as Error).message})` },
    ]);
  }
  return assertValid(validate, data, source);
}

/** k6's raw summary and the plan a scenario wrote next to it (see src/k6/lib/scenario.ts). */
export async function readScenarioOutput(summaryFile: string, planFile: string) {
  const { validateK6Summary, validateScenarioPlan } = await import('../../generated/file-validators.cjs');
  return {
    summary: await readJsonFile(summaryFile, validateK6Summary, "k6's summary"),
    plan: await readJsonFile(planFile, validateScenarioPlan, 'the plan the scenario wrote'),
  };
}
