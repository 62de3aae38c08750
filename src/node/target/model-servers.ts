/**
 * The servers that run a real model (--server realizar-model, --server llamacpp): which binary,
 * which model (--model-file, else the generated tiny model), and the command that starts it on the
 * run's host and port. Both speak the OpenAI-compatible API (src/node/config/index/target.ts picks it).
 */
import type { ServerKind } from '../../core/target/servers.js';
import type { TargetConfig } from '../config/index.js';
import { llamaServerArgs, resolveLlamaServer } from '../tools/llamacpp.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { shellJoin } from '../process/processes.js';
import { resolveTinyModel } from '../tools/tiny-model.js';
import { resolveRealizar } from '../tools/tools.js';

export type ModelServerKind = Exclude<ServerKind, 'realizar'>;

export function isModelServer(kind: ServerKind): kind is ModelServerKind {
  return kind !== 'realizar';
}

/** The model file to load: the user's, or the tiny one from the cache (made on first use). */
export async function modelFor(config: Pick<TargetConfig, 'modelFile' | 'cacheDir'>): Promise<string> {
  if (config.modelFile !== null) return config.modelFile;
  const tiny = await resolveTinyModel({ cacheDir: config.cacheDir });
  log.info(`using the tiny test model (${tiny.origin}: ${shown(tiny.path)})`);
  return tiny.path;
}

export async function modelServerCommand(kind: ModelServerKind, config: Pick<TargetConfig, 'modelFile' | 'cacheDir' | 'host' | 'port'>): Promise<string> {
  if (kind === 'llamacpp') {
    const server = await resolveLlamaServer({ cacheDir: config.cacheDir });
    log.info(`using llama-server ${server.version} (${server.origin}: ${server.path})`);
    return shellJoin(server.path, llamaServerArgs(await modelFor(config), config.host, config.port));
  }
  const realizar = await resolveRealizar({ cacheDir: config.cacheDir });
  log.info(`using realizar ${realizar.version} (${realizar.origin}: ${realizar.path})`);
  return shellJoin(realizar.path, ['serve', '--model', await modelFor(config), '--host', config.host, '--port', String(config.port)]);
}
