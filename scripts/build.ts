/** npm run build: generate code from schemas/, check thresholds/, bundle src/k6/scenarios into dist/k6. */
import { generate } from '../build/codegen.js';

await generate();
const { buildAll } = await import('../build/index.js');
try {
  const { bundles } = await buildAll();
  process.stderr.write(`[realizar-k6] built ${bundles.length} k6 scripts into dist/k6\n`);
} catch (err) {
  process.stderr.write(`[realizar-k6] build failed: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
