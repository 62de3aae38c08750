/**
 * npm run k6:cloud -- <upload|run> <scenario> [options], and the K6_CLOUD_* variables k6 reads too,
 * checked first. The token is held in a Secret, which prints as [redacted] everywhere.
 */
import path from 'node:path';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { CLOUD } from '../flags/commands-cluster.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { file, invalid, nonEmpty, url as parseUrl } from '../flags/values.js';
import { Secret } from '../process/secret.js';
import { scenarioFileOf } from '../own/own-scenario.js';
import { cacheDirFrom } from './cache.js';
import { typed } from '../commands/spelling.js';
import { archiveLoadOf, type ArchiveLoad } from './archive.js';

export type CloudCommand = 'upload' | 'run';

export interface CloudConfig {
  command: CloudCommand;
  scenario: string;
  /** A scenario file of one's own (absolute), or null for a built-in scenario. */
  scenarioFile: string | null;
  baseUrl: string;
  /** Host of baseUrl, for the loopback checks. */
  baseHost: string;
  /** Where run folders go (default reports/cloud). */
  outDir: string;
  k6Path: string | null;
  cacheDir: string;
  /** Test name in the cloud; null: K6_CLOUD_NAME, else realizar-k6-<scenario>. */
  name: string | null;
  /** run only: run here, stream results to the cloud. */
  localExecution: boolean;
  allowRemote: boolean;
  /** The load the archive runs and what its requests carry (src/node/config/archive.ts). */
  load: ArchiveLoad;
  help: boolean;
}

export const CLOUD_USAGE = usageText(CLOUD);

/** http(s) URL without trailing slashes; the host is returned for the loopback checks. */
export function baseUrlOf(flag: string, text: string | undefined): { baseUrl: string; host: string } {
  const value = text ?? 'http://127.0.0.1:8080';
  const u = parseUrl(flag, value);
  return { baseUrl: value.replace(/\/+$/, ''), host: u.hostname.replace(/^\[|\]$/g, '') };
}

/** A built-in scenario's name, or a scenario file of one's own (its name is the file's base name). */
export function scenarioOf(
  positional: string | undefined,
  available: readonly string[],
  cwd: string,
): { scenario: string; scenarioFile: string | null } {
  const own = scenarioFileOf(positional, cwd);
  if (own !== null) return { scenario: own.name, scenarioFile: own.file };
  if (positional === undefined || !available.includes(positional))
    invalid('scenario', `one of ${available.join(', ')}, or a scenario file (./loadtests/my-chat.ts)`, positional);
  return { scenario: positional, scenarioFile: null };
}

export function parseCloudConfig(
  argv: readonly string[],
  available: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): CloudConfig {
  const f = parseFlags(CLOUD, argv);
  const help = f.has('--help');
  const [commandText, scenarioText] = f.positionals;
  let command: CloudCommand = 'upload';
  let which = { scenario: '', scenarioFile: null as string | null };
  if (!help) {
    if (commandText !== 'upload' && commandText !== 'run')
      invalid('command', `'upload' or 'run' (${typed('cloud', '<upload|run> <scenario>')})`, commandText);
    command = commandText;
    which = scenarioOf(scenarioText, available, cwd);
  }
  const localExecution = f.has('--local-execution');
  if (localExecution && command !== 'run')
    invalid('--local-execution', "the 'run' command (an upload runs nothing)", command);
  const { baseUrl, host } = baseUrlOf('--base-url', f.text('--base-url'));
  const config: CloudConfig = {
    command,
    ...which,
    baseUrl,
    baseHost: host,
    outDir: path.resolve(cwd, f.text('--out-dir') ?? path.join('reports', 'cloud')),
    k6Path: f.value('--k6', file(cwd)) ?? null,
    cacheDir: cacheDirFrom(env),
    name: f.value('--name', nonEmpty('a test name')) ?? null,
    localExecution,
    allowRemote: f.has('--allow-remote'),
    load: archiveLoadOf(f, cwd),
    help,
  };
  f.done();
  return config;
}

/** The K6_CLOUD_* settings, parsed. k6 reads the same variables; we check them first. */
export interface CloudEnv {
  token: Secret;
  projectId: number | null;
  stackId: number | null;
  /** Cloud API base (k6 appends /v1), or null for k6's default. */
  host: string | null;
  /** K6_CLOUD_NAME, or null. */
  name: string | null;
}

function readId(env: NodeJS.ProcessEnv, key: string): number | null {
  const text = env[key];
  if (text === undefined || text === '') return null;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    invalid(`environment variable ${key}`, 'a positive whole number (an id from Grafana Cloud k6)', text);
  return n;
}

function readToken(env: NodeJS.ProcessEnv): Secret {
  const key = 'K6_CLOUD_TOKEN';
  const text = env[key];
  const expected =
    'a Grafana Cloud k6 API token (create one in Grafana Cloud: ' +
    'Testing & synthetics > Performance > Settings > Access, then export K6_CLOUD_TOKEN=...)';
  // The found part describes the value without showing it: a token is a secret even when malformed.
  if (text === undefined)
    throw new ValidationError(`environment variable ${key}`, [
      { path: '', expected, found: 'nothing (the variable is not set)' },
    ]);
  if (text.trim() === '')
    throw new ValidationError(`environment variable ${key}`, [{ path: '', expected, found: 'an empty value' }]);
  if (/[\s\u0000-\u001f\u007f]/.test(text)) {
    throw new ValidationError(`environment variable ${key}`, [
      {
        path: '',
        expected: 'a token without spaces, line breaks or control characters (it goes into an HTTP header)',
        found: `a value of ${text.length} characters that has some (not shown: it is a secret)`,
      },
    ]);
  }
  return new Secret(text);
}

function readHost(env: NodeJS.ProcessEnv): string | null {
  const key = 'K6_CLOUD_HOST';
  const text = env[key];
  if (text === undefined || text === '') return null;
  parseUrl(`environment variable ${key}`, text);
  return text.replace(/\/+$/, '');
}

export function readCloudEnv(env: NodeJS.ProcessEnv = process.env): CloudEnv {
  const name = env['K6_CLOUD_NAME'];
  return {
    token: readToken(env),
    projectId: readId(env, 'K6_CLOUD_PROJECT_ID'),
    stackId: readId(env, 'K6_CLOUD_STACK_ID'),
    host: readHost(env),
    name: name === undefined || name.trim() === '' ? null : name,
  };
}

/**
 * Environment for `k6 archive` and any k6 that must not talk to the cloud: every K6_CLOUD_*
 * variable removed, so nothing cloud-related — the token above all — can reach the archive.
 */
export function envWithoutCloud(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('K6_CLOUD_')));
}
