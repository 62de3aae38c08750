/** Where things are in the checkout. */
import { createHash } from 'node:crypto';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const SCENARIO_DIR = path.join(ROOT, 'src', 'k6', 'scenarios');
export const THRESHOLDS_DIR = path.join(ROOT, 'thresholds');
export const DIST_K6_DIR = path.join(ROOT, 'dist', 'k6');

export function thresholdsFile(scenario: string, dir = THRESHOLDS_DIR): string {
  return path.join(dir, `${scenario}.json`);
}

/** Bundles built with another thresholds folder live apart, so they never replace the default ones. */
export function bundleDirFor(thresholdsDir: string | null): string {
  if (thresholdsDir === null || path.resolve(thresholdsDir) === THRESHOLDS_DIR) return DIST_K6_DIR;
  const hash = createHash('sha256').update(path.resolve(thresholdsDir)).digest('hex').slice(0, 12);
  return `${DIST_K6_DIR}-${hash}`;
}

/** The runner's build of the scripts in bundleDir (build/bundle.ts: no house block). */
export function runnerBundleDir(bundleDir: string): string {
  return `${bundleDir}-runner`;
}

/** Paths in messages: relative to the checkout when inside it. */
export function shown(file: string): string {
  const rel = path.relative(ROOT, file);
  return rel.startsWith('..') ? file : rel;
}
