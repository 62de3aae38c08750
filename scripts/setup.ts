/**
 * npm run setup: find or build the real tools (k6 from the Go module proxy, Realizar from crates.io)
 * into the cache outside the checkout. Every run command does the same lazily; this does it up front.
 */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { parseRunConfig } = await import('../src/node/config.js');
const { resolveK6, resolveRealizar } = await import('../src/node/tools.js');
const { log } = await import('../src/node/log.js');

try {
  const { cacheDir } = parseRunConfig(['--help'], []);
  const k6 = await resolveK6({ flagPath: null, cacheDir });
  log.info(`k6 ${k6.version} ready (${k6.origin}: ${k6.path})`);
  const realizar = await resolveRealizar({ cacheDir });
  log.info(`realizar ${realizar.version} ready (${realizar.origin}: ${realizar.path})`);
} catch (err) {
  log.info(`setup failed: ${(err as Error).message}`);
  process.exitCode = 2;
}
