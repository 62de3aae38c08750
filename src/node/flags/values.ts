/**
 * Typed parsers for flag values. Each takes the flag as the user spelled it and the text, and throws
 * a ValidationError naming the flag, what was expected and what arrived.
 */
import path from 'node:path';
import { describeValue } from '../../core/errors/describe.js';
import { ValidationError } from '../../core/errors/ValidationError.js';

export function invalid(source: string, expected: string, found: unknown): never {
  throw new ValidationError(source, [{ path: '', expected, found: describeValue(found) }]);
}

export const port = (flag: string, text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) invalid(flag, 'a port number from 1 to 65535', text);
  return n;
};

/** A whole number from `min` to `max`. */
export const whole =
  (max: number, min = 1) =>
  (flag: string, text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) invalid(flag, `a whole number from ${min} to ${max}`, text);
    return n;
  };

/** A number with 0 < n <= max. */
export const positive =
  (max = Infinity) =>
  (flag: string, text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max)
      invalid(flag, max === Infinity ? 'a number greater than 0' : `a number with 0 < n <= ${max}`, text);
    return n;
  };

/** 0 (off), or a number from `min` to `max`: an interval that may be turned off. */
export const offOrBetween =
  (min: number, max: number) =>
  (flag: string, text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || (n !== 0 && (n < min || n > max)))
      invalid(flag, `0 (off) or a number from ${min} to ${max}`, text);
    return n;
  };

/** A number from 0 to 100. */
export const percent = (flag: string, text: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) invalid(flag, 'a percentage from 0 to 100', text);
  return n;
};

export const choice =
  <T extends string>(options: readonly T[]) =>
  (flag: string, text: string): T => {
    if (!(options as readonly string[]).includes(text))
      invalid(
        flag,
        options
          .map((o) => `'${o}'`)
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1'),
        text,
      );
    return text as T;
  };

export const nonEmpty =
  (what: string) =>
  (flag: string, text: string): string => {
    if (text.trim() === '') invalid(flag, what, text);
    return text;
  };

/** A path, made absolute against the directory the command was run from. */
export const file =
  (cwd: string) =>
  (flag: string, text: string): string => {
    if (text.trim() === '') invalid(flag, 'a path', text);
    return path.resolve(cwd, text);
  };

export function url(flag: string, text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return invalid(flag, 'an absolute http:// or https:// URL', text);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') invalid(flag, 'an http:// or https:// URL', text);
  if (/[\s'"]/.test(text)) invalid(flag, 'a URL without spaces or quotes', text);
  return u;
}
