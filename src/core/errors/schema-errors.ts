/**
 * Turn ajv's errors into problems a person can act on: the JSON path, what the schema expected,
 * and what the input actually holds at that path.
 */
import type { GeneratedValidationError, GeneratedValidator } from '../../generated/validator.js';
import { describeValue } from './describe.js';
import { ValidationError, type ValidationProblem } from './ValidationError.js';

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function expectation(e: GeneratedValidationError): { path: string; expected: string; foundOverride?: string } {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return { path: `${e.instancePath}/${String(p['missingProperty'])}`, expected: 'a value (required)' };
    case 'additionalProperties':
      return {
        path: `${e.instancePath}/${String(p['additionalProperty'])}`,
        expected: 'no such property (not in the schema)',
      };
    case 'enum':
      return {
        path: e.instancePath,
        expected: `one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path: e.instancePath, expected: JSON.stringify(p['allowedValue']) };
    case 'type':
      return { path: e.instancePath, expected: `a value of type ${String(p['type'])}` };
    default:
      return { path: e.instancePath, expected: `a value that ${e.message ?? e.keyword}` };
  }
}

export function problemsOf(errors: readonly GeneratedValidationError[], data: unknown): ValidationProblem[] {
  const seen = new Set<string>();
  const out: ValidationProblem[] = [];
  for (const e of errors) {
    const { path, expected } = expectation(e);
    const found = describeValue(valueAt(data, path));
    const key = `${path}|${expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, expected, found });
  }
  return out;
}

/** Validate `data` or throw a ValidationError naming `source`. */
export function assertValid<T>(validate: GeneratedValidator<T>, data: unknown, source: string): T {
  if (validate(data)) return data;
  throw new ValidationError(source, problemsOf(validate.errors ?? [], data));
}
