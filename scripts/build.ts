/** npm run build: generate code from schemas/, check thresholds/, bundle src/k6/scenarios into dist/k6. */
import { generate } from '../build/codegen.js';

await generate();
const { buildAll } = await import('../build/index.js');
try {
  const { scenarios, bundleDir } = await buildAll();
  process.stderr.write(`[realizar-k6] built ${scenarios.length} k6 scripts into ${bundleDir}\n`);
} catch (err) {
  process.stderr.write(`[realizar-k6] build failed: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
