/**
 * Before `npm pack` (the prepack script): the code generated from schemas/, which the package carries
 * (an installed package writes nothing into node_modules), and the declarations of realizar-k6/k6
 * into types/ (tsconfig.types.json), which editors and tsc read in a project that installed it.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { generate } from '../build/codegen.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { runMain } = await import('../src/node/commands/exit.js');
const { log } = await import('../src/node/process/log.js');
await runMain(async () => {
  await generate();
  await rm(path.join(ROOT, 'types'), { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  await $({ cwd: ROOT, stdio: 'inherit', verbose: false })`${tsc} -p tsconfig.types.json`;
  log.info('generated code and the declarations of realizar-k6/k6 (types/) are ready to pack');
  return 0;
});
