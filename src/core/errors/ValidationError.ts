/**
 * Input that does not have the expected shape: a thresholds file, a summary, a flag's value, an
 * environment variable. Pure (no Node, no k6), so every runtime throws the same error.
 */
import { ToolkitError } from './ToolkitError.js';
export interface ValidationProblem {
  /** JSON pointer into the input ('' for the whole value). */
  path: string;
  expected: string;
  found: string;
}

export class ValidationError extends ToolkitError {
  override readonly name = 'ValidationError';
  /** Where the input came from: a file path, a flag (--mix) or an environment variable (MIX). */
  readonly source: string;
  readonly problems: readonly ValidationProblem[];

  constructor(source: string, problems: readonly ValidationProblem[]) {
    super(
      `${source}: ` +
        problems
          .map((p) => `${p.path === '' ? '' : `at ${p.path}: `}expected ${p.expected}, found ${p.found}`)
          .join('; '),
    );
    this.source = source;
    this.problems = problems;
  }
}
