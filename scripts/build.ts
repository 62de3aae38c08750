/**
 * npm run build: generate code from schemas/, check thresholds/, bundle src/k6/scenarios into
 * dist/k6 and dist/k6-runner.
 */
import { generate } from '../build/codegen.js';

await generate();
const { buildAll } = await import('../build/index.js');
const { runMain } = await import('../src/node/commands/exit.js');
const { log } = await import('../src/node/process/log.js');
await runMain(async () => {
  const { scenarios, bundleDir, runnerBundleDir } = await buildAll();
  log.info(
    `built ${scenarios.length} k6 scripts into ${bundleDir}, and the runner's build of them into ${runnerBundleDir}`,
  );
  return 0;
});
