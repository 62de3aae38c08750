/**
 * What every command that loads a server needs to know about it (src/node/target/target.ts): where it is,
 * whether and how this run starts it, which API it speaks. Built from the TARGET and API flag
 * groups, the same for the runner and the sweep.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { GgufError } from '../../core/errors/GgufError.js';
import { readGgufHeader } from '../../core/gguf/reader.js';
import { K6_VARS } from '../../core/contract.js';
import type { ApiName } from '../../core/target/routes.js';
import { MODEL_SERVER_KINDS, SERVER_KINDS, SERVERS, type ServerKind } from '../../core/target/servers.js';
import type { FlagValues } from '../flags/declare.js';
import { choice, file, invalid, nonEmpty, port as parsePort, positive, url as parseUrl } from '../flags/values.js';
import { Secret } from '../process/secret.js';
import { cacheDirFrom } from './cache.js';

export interface TargetConfig {
  /** Start (and stop) the server; false with --no-server. */
  manageServer: boolean;
  host: string;
  port: number;
  baseUrl: string;
  /**
   * The make of the server: the one this run starts (realizar unless --server says otherwise), or,
   * with --no-server, the one --server says is at --base-url; null when unknown (--server-cmd, or
   * --no-server alone), so no make-specific request field is sent.
   */
  server: ServerKind | null;
  /** The GGUF model realizar-model and llamacpp load; null: the generated tiny model. */
  modelFile: string | null;
  /** Custom server command ({host} and {port} are replaced), or null. */
  serverCmd: string | null;
  k6Path: string | null;
  cacheDir: string;
  healthTimeoutSec: number;
  allowRemote: boolean;
  /** realizar (native API) or openai (the OpenAI-compatible /v1 API). */
  api: ApiName;
  /** The model named in OpenAI-compatible requests. */
  model: string;
  /** OPENAI_API_KEY: a bearer token for OpenAI-compatible servers (k6 reads it from its environment). */
  apiKey: Secret | null;
}

/** --api as given (a run picks the server's usual one without it). */
export const apiGivenOf = (f: FlagValues): ApiName | undefined =>
  f.value('--api', choice(['realizar', 'openai'] as const));
/** --model: the model OpenAI-compatible requests name. */
export const modelOf = (f: FlagValues): string => f.value('--model', nonEmpty('a model name'), 'default');

const LOOPBACK_DEFAULT_HOST = '127.0.0.1';
const API_NAMES: Record<ApiName, string> = { realizar: 'Realizar-native', openai: 'OpenAI-compatible' };

const apiKeyFrom = (text: string | undefined): Secret | null => (text ? new Secret(text) : null);

/** Bytes of a GGUF file's start that say what it is: the magic "GGUF" and the version. */
const GGUF_ID_BYTES = 8;

/**
 * A model file must be a GGUF model before any server is started with it: otherwise the server
 * starts, fails to load it, and the run only learns that the server exited.
 */
function checkGguf(file: string, given: string): void {
  if (statSync(file).isDirectory()) invalid('--model-file', 'a GGUF model file', `${given}, which is a directory`);
  const bytes = new Uint8Array(GGUF_ID_BYTES);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, bytes, 0, GGUF_ID_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  try {
    readGgufHeader(bytes.subarray(0, read), given);
  } catch (e) {
    // Running out of the bytes read, past the magic and version, is only the end of what was read.
    if (!(e instanceof GgufError) || (e.offset >= GGUF_ID_BYTES && read === GGUF_ID_BYTES)) return;
    invalid('--model-file', `a GGUF model file (${e.expected} at byte ${e.offset})`, `${given}: ${e.found}`);
  }
}

export function buildTarget(f: FlagValues, env: NodeJS.ProcessEnv, cwd: string): TargetConfig {
  const manageServer = !f.has('--no-server');
  const portGiven = f.value('--port', parsePort);
  let port = portGiven ?? 8080;
  let host = LOOPBACK_DEFAULT_HOST;
  let baseUrl = `http://${host}:${port}`;
  const urlText = f.text('--base-url');
  if (urlText !== undefined) {
    const u = parseUrl('--base-url', urlText);
    const urlPort = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
    if (portGiven !== undefined && urlPort !== port)
      invalid('--port', `the port of --base-url (${urlPort}) or no --port`, String(portGiven));
    port = urlPort;
    host = u.hostname.replace(/^\[|\]$/g, '');
    baseUrl = urlText.replace(/\/+$/, '');
  }

  const serverGiven = f.value('--server', choice(SERVER_KINDS));
  const serverCmd = f.value('--server-cmd', nonEmpty('a command'));
  if (serverCmd !== undefined && !manageServer)
    invalid('--server-cmd', 'no --no-server beside it (one starts a server, the other says not to)', serverCmd);
  if (serverGiven !== undefined && serverCmd !== undefined)
    invalid('--server', 'either --server or --server-cmd (both say which server to start)', serverGiven);
  const server: ServerKind | null = serverGiven ?? (manageServer && serverCmd === undefined ? 'realizar' : null);
  const modelFile = f.value('--model-file', file(cwd));
  if (modelFile !== undefined) {
    if (server === null || !SERVERS[server].loadsModel) {
      const kinds = MODEL_SERVER_KINDS.map((k) => `--server ${k}`).join(' or ');
      invalid('--model-file', `${kinds} beside it (the default server runs its demo model)`, f.text('--model-file'));
    }
    if (!manageServer)
      invalid(
        '--model-file',
        'no --no-server beside it (a server this run does not start loads no model of ours)',
        f.text('--model-file'),
      );
    if (!existsSync(modelFile))
      invalid('--model-file', 'a GGUF model file', `${f.text('--model-file')}, which does not exist`);
    checkGguf(modelFile, f.text('--model-file')!);
  }

  // Each make's APIs, its usual first (src/core/target/servers.ts); a server of unknown make: Realizar's.
  const apiGiven = apiGivenOf(f);
  const apis: readonly ApiName[] = server === null ? ['realizar', 'openai'] : SERVERS[server].apis;
  if (apiGiven !== undefined && !apis.includes(apiGiven)) {
    const why = `${SERVERS[server!].name} has no ${API_NAMES[apiGiven]} API`;
    invalid('--api', `${apis.join(' or ')} with --server ${server} (${why})`, apiGiven);
  }
  const api: ApiName = apiGiven ?? apis[0]!;

  return {
    manageServer,
    host,
    port,
    baseUrl,
    server,
    modelFile: modelFile ?? null,
    serverCmd: serverCmd ?? null,
    k6Path: f.value('--k6', file(cwd)) ?? null,
    cacheDir: cacheDirFrom(env),
    healthTimeoutSec: f.value('--health-timeout', positive(), 120),
    allowRemote: f.has('--allow-remote'),
    api,
    model: modelOf(f),
    apiKey: apiKeyFrom(env[K6_VARS.OPENAI_API_KEY.name]),
  };
}
