/**
 * The server under test, for every command that loads one (the runner, the capacity sweep):
 * refuse a target off this machine unless allowed, check the port, find the tools, start the
 * server and wait until /health answers.
 */
import path from 'node:path';
import { isLoopback } from '../../core/target/loopback.js';
import type { TargetConfig } from '../config/index.js';
import { RemoteTargetError } from '../errors/RemoteTargetError.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { shellJoin, stopChild, type Child } from '../process/processes.js';
import { isModelServer } from '../../core/target/servers.js';
import { modelServerCommand } from './model-servers.js';
import {
  assertPortFree,
  REALIZAR_HEALTH,
  startServer,
  stopServer,
  waitForHealth,
  type HealthProbe,
  type ManagedServer,
} from './server.js';
import { resolveK6, resolveRealizar, type ResolvedTool } from '../tools/tools.js';
import { startLifeline } from '../process/lifeline.js';

/** How this target says it is up: Realizar's /health, or /v1/models with the bearer token. */
export function healthProbe(config: Pick<TargetConfig, 'api' | 'apiKey'>): HealthProbe {
  if (config.api === 'realizar') return REALIZAR_HEALTH;
  return {
    path: '/v1/models',
    headers: config.apiKey === null ? {} : { Authorization: `Bearer ${config.apiKey.reveal()}` },
  };
}

export function realizarCommand(binary: string, host: string, port: number): string {
  return shellJoin(binary, ['serve', '--demo', '--host', host, '--port', String(port)]);
}

/** Before anything starts: is the target allowed, is the port free, are the tools there? */
export async function prepareTarget(
  config: TargetConfig,
): Promise<{ loopback: boolean; k6: ResolvedTool; command: string | null }> {
  const host = new URL(config.baseUrl).hostname.replace(/^\[|\]$/g, '');
  const loopback = isLoopback(host);
  if (!loopback) {
    if (!config.allowRemote) throw new RemoteTargetError(host);
    log.warn(`loading ${host}, which is not on this machine (--allow-remote)`);
  }
  if (config.manageServer) await assertPortFree(config.host, config.port);
  const k6 = await resolveK6({ flagPath: config.k6Path, cacheDir: config.cacheDir });
  log.info(`using k6 ${k6.version} (${k6.origin}: ${k6.path})`);
  let command: string | null = null;
  if (config.manageServer && config.serverCmd !== null) {
    command = config.serverCmd.replaceAll('{host}', config.host).replaceAll('{port}', String(config.port));
  } else if (config.manageServer && config.server !== null && isModelServer(config.server)) {
    command = await modelServerCommand(config.server, config);
  } else if (config.manageServer) {
    const realizar = await resolveRealizar({ cacheDir: config.cacheDir });
    log.info(`using realizar ${realizar.version} (${realizar.origin}: ${realizar.path})`);
    command = realizarCommand(realizar.path, config.host, config.port);
  }
  // Everything checked and built: the processes of the run come next, so their watcher starts now.
  startLifeline();
  return { loopback, k6, command };
}

/**
 * Start the server (when `command` is given) with its log in `dir`, and wait for a healthy /health.
 * The server is handed to `onStart` as soon as it exists, so the caller can stop it whatever happens.
 */
export async function bringUp(o: {
  config: TargetConfig;
  /** The server's command line; null: a server already running. */
  command: string | null;
  dir: string;
  cancelled: () => boolean;
  /** Told as soon as the server's process exists, so a caller can stop it whatever happens next. */
  onStart: (server: ManagedServer) => void;
}): Promise<{ version: string | null }> {
  const { config, command, dir, cancelled, onStart } = o;
  let server: ManagedServer | null = null;
  if (command !== null) {
    log.info(`starting the server: ${command}`);
    server = startServer(command, path.join(dir, 'server.log'));
    onStart(server);
  }
  const health = await waitForHealth({
    baseUrl: config.baseUrl,
    deadlineSec: config.manageServer ? config.healthTimeoutSec : Math.min(config.healthTimeoutSec, 10),
    server,
    hint: config.manageServer
      ? `see ${shown(path.join(dir, 'server.log'))}; a slow machine may need --health-timeout`
      : `start the server first, or leave out --no-server to let this run start one`,
    cancelled,
    probe: healthProbe(config),
  });
  log.info(`server healthy at ${config.baseUrl}${health.version === null ? '' : ` (version ${health.version})`}`);
  return { version: health.version };
}

/**
 * Bring the server up (when `command` is given), run `load` against it, and stop k6 and the server
 * whatever happens. What ended it early is returned as an error message, not thrown, so the caller
 * still reports every step it measured.
 */
export async function withTarget(
  config: TargetConfig,
  command: string | null,
  dir: string,
  control: { interrupted: boolean; k6: Child | null },
  load: (server: ManagedServer | null) => Promise<void>,
): Promise<{ version: string | null; errors: string[] }> {
  let server = null as ManagedServer | null;
  let version: string | null = null;
  const errors: string[] = [];
  try {
    const cancelled = (): boolean => control.interrupted;
    version = (await bringUp({ config, command, dir, cancelled, onStart: (s) => (server = s) })).version;
    await load(server);
  } catch (err) {
    errors.push((err as Error).message);
  } finally {
    if (control.k6 !== null) await stopChild(control.k6, 5_000, 'SIGINT');
    if (server !== null) await stopServer(server);
  }
  return { version, errors };
}
