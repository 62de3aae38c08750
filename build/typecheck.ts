/**
 * tsc --noEmit for each runtime zone, each with its own tsconfig: the Node side, the pure core
 * (no Node, no k6 types: the compiler proves it imports neither), the k6 side (k6 types only) and
 * report.html's script (DOM types only, src/browser).
 * The generated code (src/generated) is made first, so this works on a fresh clone.
 */
import path from 'node:path';
import { $ } from 'zx';
import { generateIfStale } from './codegen.js';

const ROOT = path.resolve(import.meta.dirname, '..');
export const ZONES = ['tsconfig.json', 'src/core/tsconfig.json', 'src/k6/tsconfig.json', 'src/browser/tsconfig.json'];

export async function typecheck(report: (line: string) => void): Promise<void> {
  await generateIfStale();
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  for (const project of ZONES) {
    await $({ cwd: ROOT, stdio: 'inherit', verbose: false })`${tsc} --noEmit -p ${project}`;
    report(`  ${project}: ok`);
  }
}
