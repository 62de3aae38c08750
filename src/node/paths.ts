/** Where things are in the checkout. */
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SCENARIO_DIR = path.join(ROOT, 'src', 'k6', 'scenarios');
export const THRESHOLDS_DIR = path.join(ROOT, 'thresholds');
export const DIST_K6_DIR = path.join(ROOT, 'dist', 'k6');

export function thresholdsFile(scenario: string): string {
  return path.join(THRESHOLDS_DIR, `${scenario}.json`);
}

export function bundleFile(scenario: string): string {
  return path.join(DIST_K6_DIR, `${scenario}.js`);
}

/** Paths in messages: relative to the checkout when inside it. */
export function shown(file: string): string {
  const rel = path.relative(ROOT, file);
  return rel.startsWith('..') ? file : rel;
}
