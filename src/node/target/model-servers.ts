/**
 * The servers that run a real model (the server table's kinds that load one, src/core/target/servers.ts):
 * which model (--model-file, else the generated tiny model), and each one's binary and the command
 * that starts it on the run's host and port — the facts that belong to the Node side alone.
 */
import type { ModelServerKind } from '../../core/target/servers.js';
import type { TargetConfig } from '../config/index.js';
import { llamaServerArgs, resolveLlamaServer } from '../tools/llamacpp.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { shellJoin } from '../process/processes.js';
import { resolveTinyModel } from '../tools/tiny-model.js';
import { resolveRealizar } from '../tools/tools.js';

type ModelServerConfig = Pick<TargetConfig, 'modelFile' | 'cacheDir' | 'host' | 'port'>;

/** The model file to load: the user's, or the tiny one from the cache (made on first use). */
export async function modelFor(config: Pick<TargetConfig, 'modelFile' | 'cacheDir'>): Promise<string> {
  if (config.modelFile !== null) return config.modelFile;
  const tiny = await resolveTinyModel({ cacheDir: config.cacheDir });
  log.info(`using the tiny test model (${tiny.origin}: ${shown(tiny.path)})`);
  return tiny.path;
}

const COMMANDS: Record<ModelServerKind, (config: ModelServerConfig) => Promise<string>> = {
  'realizar-model': async (config) => {
    const realizar = await resolveRealizar({ cacheDir: config.cacheDir });
    log.info(`using realizar ${realizar.version} (${realizar.origin}: ${realizar.path})`);
    const model = await modelFor(config);
    return shellJoin(realizar.path, ['serve', '--model', model, '--host', config.host, '--port', String(config.port)]);
  },
  llamacpp: async (config) => {
    const server = await resolveLlamaServer({ cacheDir: config.cacheDir });
    log.info(`using llama-server ${server.version} (${server.origin}: ${server.path})`);
    return shellJoin(server.path, llamaServerArgs(await modelFor(config), config.host, config.port));
  },
};

export function modelServerCommand(kind: ModelServerKind, config: ModelServerConfig): Promise<string> {
  return COMMANDS[kind](config);
}
