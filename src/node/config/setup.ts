/** npm run setup -- [--servers LIST] (npx realizar-k6 setup): what to find or build up front. */
import { SERVER_KINDS, type ServerKind } from '../../core/target/servers.js';
import { SETUP } from '../flags/commands-side.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { invalid } from '../flags/values.js';
import { cacheDirFrom } from './cache.js';
import { parseRunConfig } from './run.js';

export interface SetupConfig {
  /** The servers the runs will start; k6 is always made ready. */
  servers: ServerKind[];
  cacheDir: string;
  help: boolean;
}

export const SETUP_USAGE = usageText(SETUP);

/** realizar, llamacpp,... or all or none: each server once. */
function serversOf(flag: string, text: string): ServerKind[] {
  const expected = `server names separated by commas (${SERVER_KINDS.join(', ')}), all, or none`;
  if (text === 'all') return [...SERVER_KINDS];
  if (text === 'none') return [];
  const names = text.split(',').map((s) => s.trim());
  const servers: ServerKind[] = [];
  for (const name of names) {
    const kind = SERVER_KINDS.find((k) => k === name);
    if (kind === undefined || servers.includes(kind)) invalid(flag, expected, text);
    servers.push(kind);
  }
  return servers;
}

/** The server a run with the same REALIZAR_K6_OPTIONS would start: none with --no-server or --server-cmd. */
function serversOfRun(env: NodeJS.ProcessEnv, cwd: string): ServerKind[] {
  const run = parseRunConfig(['--help'], [], env, cwd);
  return !run.manageServer || run.serverCmd !== null || run.server === null ? [] : [run.server];
}

export function parseSetupConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): SetupConfig {
  const f = parseFlags(SETUP, argv);
  const config: SetupConfig = {
    servers: f.value('--servers', serversOf) ?? serversOfRun(env, cwd),
    cacheDir: cacheDirFrom(env),
    help: f.has('--help'),
  };
  f.done();
  return config;
}
