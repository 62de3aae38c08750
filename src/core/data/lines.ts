/**
 * What the dataset readers share: lines with their numbers, the problems found so far (all of them
 * counted, the first ones shown), and the checks each field needs. A reader never drops a line: a
 * line it cannot use is a problem, and any problem makes the whole file an error.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError, type ValidationProblem } from '../errors/ValidationError.js';

/** Problems shown in one error: enough to see a pattern, few enough to read. */
export const MAX_PROBLEMS = 10;

export class Problems {
  readonly source: string;
  private readonly shown: ValidationProblem[] = [];
  private more = 0;

  constructor(source: string) {
    this.source = source;
  }

  /** A problem whose found value is described (quoted, shortened). */
  add(path: string, expected: string, found: unknown): void {
    this.addText(path, expected, describeValue(found));
  }

  /** A problem whose found value is already words ("an empty file", "3 hash ids"). */
  addText(path: string, expected: string, found: string): void {
    if (this.shown.length < MAX_PROBLEMS) this.shown.push({ path, expected, found });
    else this.more++;
  }

  get count(): number {
    return this.shown.length + this.more;
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    const more: ValidationProblem[] =
      this.more === 0 ? [] : [{ path: '', expected: 'no further problems', found: `${this.more} more` }];
    throw new ValidationError(this.source, [...this.shown, ...more]);
  }
}

export function fileError(source: string, expected: string, found: string): ValidationError {
  return new ValidationError(source, [{ path: '', expected, found }]);
}

export interface Line {
  /** 1-based. */
  line: number;
  text: string;
}

/** The file's lines that hold something, numbered as an editor numbers them (BOM and CR removed). */
export function nonBlankLines(text: string): Line[] {
  const out: Line[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') out.push({ line: i + 1, text: line });
    });
  return out;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isWhole(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

export function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** A JSONL line as an object, or a problem naming the line. */
export function parseObjectLine(l: Line, problems: Problems): JsonObject | undefined {
  let value: unknown;
  try {
    value = JSON.parse(l.text);
  } catch {
    problems.add(`/line ${l.line}`, 'a JSON object', l.text);
    return undefined;
  }
  if (isObject(value)) return value;
  problems.add(`/line ${l.line}`, 'a JSON object', value);
  return undefined;
}

/**
 * Timestamps say when each request is sent, so a file has them on every line or on none: a file with
 * some would leave the others with no time.
 */
export class TimestampsEverywhereOrNowhere {
  private first: { line: number; has: boolean } | undefined;
  private readonly field: string;

  constructor(field: string) {
    this.field = field;
  }

  check(line: number, present: boolean, problems: Problems): void {
    if (!this.first) this.first = { line, has: present };
    else if (this.first.has !== present)
      problems.addText(
        `/line ${line}/${this.field}`,
        `${this.first.has ? 'a' : 'no'} "${this.field}", as on line ${this.first.line} (on every line or on none)`,
        present ? 'one' : 'nothing',
      );
  }
}
