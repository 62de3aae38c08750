/**
 * npm test — the project's one test entry (.ci/run calls it):
 *   1. generate code from schemas/ and bundle every scenario (checks every thresholds file);
 *   2. tsc --noEmit for each runtime zone (Node, pure core, k6);
 *   3. make sure the real k6, Realizar and llama.cpp's server (and actionlint, for the CI template
 *      test) are there, built into the cache on first use, and the tiny model they load;
 *   4. run the unit and integration tests with node's test runner, one file at a time, since
 *      integration tests start real servers and k6 on a small machine.
 */
import path from 'node:path';
import { $, glob } from 'zx';
import { generate } from '../build/codegen.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** What the formatter keeps in one style (.prettierrc.json); generated code and fixtures are not ours to format. */
const FORMATTED = ['src/**/*.ts', 'scripts/**/*.ts', 'build/**/*.ts', 'bench/**/*.ts', 'bench/k6/*.js', 'test/**/*.ts'];
$.cwd = ROOT;
$.verbose = false;
$.stdio = 'inherit';

const step = (s: string): boolean => process.stderr.write(`\n[test] ${s}\n`);

try {
  step('generating code from schemas/ and bundling the scenarios');
  await generate();
  const { buildAll } = await import('../build/index.js');
  await buildAll();

  step('checking the format of the code (prettier --check; npm run format fixes it)');
  await $`${path.join(ROOT, 'node_modules', '.bin', 'prettier')} --check --log-level warn ${FORMATTED}`;
  process.stderr.write('  formatted: ok\n');

  step('type-checking each runtime zone (tsc --noEmit)');
  const { typecheck } = await import('../build/typecheck.js');
  await typecheck((line) => process.stderr.write(`${line}\n`));

  step('finding or building k6, Realizar and llama-server, and the tiny model');
  const { cacheDirFrom } = await import('../src/node/config/index.js');
  const { resolveActionlint, resolveK6, resolveRealizar } = await import('../src/node/tools/tools.js');
  const cacheDir = cacheDirFrom(process.env);
  const k6 = await resolveK6({ flagPath: null, cacheDir });
  const realizar = await resolveRealizar({ cacheDir });
  // actionlint only lints ci/github-actions.yml in a test.
  const actionlint = await resolveActionlint({ cacheDir });
  process.stderr.write(
    `  k6 ${k6.version} (${k6.origin}), realizar ${realizar.version} (${realizar.origin}), ` +
      `actionlint ${actionlint.version} (${actionlint.origin})\n`,
  );
  // The real model servers and the tiny model they load (test/integration/model-servers.test.ts).
  const { resolveLlamaServer } = await import('../src/node/tools/llamacpp.js');
  const { resolveTinyModel } = await import('../src/node/tools/tiny-model.js');
  const llama = await resolveLlamaServer({ cacheDir });
  const model = await resolveTinyModel({ cacheDir });
  process.stderr.write(`  llama-server ${llama.version} (${llama.origin}), tiny model (${model.origin})\n`);

  step('running the tests');
  // `npm test -- test/unit/plan.test.ts` runs just those files.
  const asked = process.argv.slice(2);
  const files =
    asked.length > 0
      ? asked
      : [...(await glob('test/unit/*.test.ts')).sort(), ...(await glob('test/integration/*.test.ts')).sort()];
  await $`${process.execPath} --import tsx --test --test-concurrency=1 --test-reporter=spec ${files}`;
} catch (err) {
  const code = (err as { exitCode?: number | null }).exitCode;
  if (code === undefined) process.stderr.write(`[test] ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = typeof code === 'number' && code !== 0 ? code : 1;
}
