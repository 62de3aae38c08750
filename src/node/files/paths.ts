/**
 * Where things are: the toolkit's own files (scenarios, thresholds, profiles, schemas) beside this
 * code, in a checkout or in node_modules/realizar-k6 of a project that installed the package; and
 * what a run makes (bundles), in the checkout, or in the project the command runs in — never inside
 * node_modules.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
/** Installed as a package (node_modules/realizar-k6), not a checkout being worked on. */
export const INSTALLED = ROOT.split(path.sep).includes('node_modules');
export const SCENARIO_DIR = path.join(ROOT, 'src', 'k6', 'scenarios');
export const THRESHOLDS_DIR = path.join(ROOT, 'thresholds');

/** Where bundles go: the checkout's dist/, or the dist/ of the project the command runs in. */
export function distDir(cwd = process.cwd()): string {
  return INSTALLED ? path.resolve(cwd, 'dist') : path.join(ROOT, 'dist');
}
export const DIST_K6_DIR = path.join(distDir(), 'k6');

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

/** Paths in messages: relative to the checkout (or, installed, to the project) when inside it. */
export function shown(file: string): string {
  const rel = path.relative(INSTALLED ? process.cwd() : ROOT, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
