/**
 * The makes of server this toolkit knows by name — the one a run starts (--server), or the one
 * already at --base-url (--server with --no-server) — and what is true of each, in one table: the
 * APIs it speaks, whether it loads a model, the request fields it needs, its counters' profile. The
 * k6 side sends the fields (src/k6/lib/server-extras.ts); the Node side picks the API and the profile
 * (src/node/config/target.ts, run.ts) and starts it with a command line of its own, keyed by the same
 * kinds (src/node/target/model-servers.ts). Pure.
 */
import type { ApiName } from './routes.js';

export interface ServerFacts {
  /** Its name in messages. */
  name: string;
  /** The APIs it speaks; the first is the one a run uses without --api. */
  apis: readonly ApiName[];
  /** It loads a GGUF model (--model-file, else the generated tiny model) rather than a demo model of its own. */
  loadsModel: boolean;
  /**
   * Request fields that make it generate exactly max_tokens (no early end of sequence), so every
   * request does the same work; empty when it needs none.
   */
  exactOutputLength: Readonly<Record<string, unknown>>;
  /** Request fields for greedy decoding: the same tokens for the same prompt, run after run. */
  greedy: Readonly<Record<string, unknown>>;
  /**
   * Request fields that turn its prompt cache off (the default: the scenarios send identical prompts,
   * which a cache would process once, so the load would not measure the work) or on (--prompt-cache
   * on: shared prefixes and conversations reuse what it has seen); null: it has no such switch.
   */
  promptCache: { off: Readonly<Record<string, unknown>>; on: Readonly<Record<string, unknown>> } | null;
  /** How a request asks it for an output length, and whether it may stop before (the workload section says it). */
  outputLength: string;
  /** Its OpenAI-compatible chat stream carries the reply's tokens (a streamed scenario can time it). */
  streamsChat: boolean;
  /** profiles/<name>.json of its counters, for each API whose requests those counters count. */
  profile: Readonly<Partial<Record<ApiName, string>>>;
}

export const SERVERS = {
  /** Realizar's demo (`realizar serve --demo`): its counters count the native /generate only. */
  realizar: {
    name: 'Realizar',
    apis: ['realizar', 'openai'],
    loadsModel: false,
    exactOutputLength: {},
    greedy: {},
    promptCache: null,
    outputLength: 'max_tokens; the demo model generates exactly that many',
    // Its /v1/chat/completions stream sends a role and a stop, never a content delta.
    streamsChat: false,
    profile: { realizar: 'realizar' },
  },
  /** Realizar serving a GGUF model: the OpenAI-compatible API first, its native stream endpoint refusing a model. */
  'realizar-model': {
    name: 'Realizar',
    apis: ['openai', 'realizar'],
    loadsModel: true,
    exactOutputLength: {},
    greedy: {},
    promptCache: null,
    outputLength:
      'max_tokens; Realizar has no switch to ignore the end of sequence, so nothing forces the length ' +
      '(a reply may stop early: the received counts show it)',
    streamsChat: true,
    profile: { openai: 'realizar-model', realizar: 'realizar-model' },
  },
  /** llama.cpp's llama-server: the OpenAI-compatible API only. */
  llamacpp: {
    name: "llama.cpp's server",
    apis: ['openai'],
    loadsModel: true,
    exactOutputLength: { ignore_eos: true },
    greedy: { temperature: 0 },
    promptCache: { off: { cache_prompt: false }, on: { cache_prompt: true } },
    outputLength: 'max_tokens with ignore_eos: exactly that many',
    streamsChat: true,
    profile: { openai: 'llamacpp' },
  },
} as const satisfies Record<string, ServerFacts>;

export type ServerKind = keyof typeof SERVERS;
export const SERVER_KINDS = Object.keys(SERVERS) as ServerKind[];

/** The kinds that load a model. */
type LoadsModel<K extends ServerKind> = (typeof SERVERS)[K]['loadsModel'];
export type ModelServerKind = { [K in ServerKind]: LoadsModel<K> extends true ? K : never }[ServerKind];
export const MODEL_SERVER_KINDS = SERVER_KINDS.filter((k): k is ModelServerKind => SERVERS[k].loadsModel);

export function isModelServer(kind: ServerKind): kind is ModelServerKind {
  return SERVERS[kind].loadsModel;
}

/**
 * Every field a request to this server carries beyond the API's own; none for a server of unknown
 * make. Its prompt cache is off unless `promptCache` is true.
 */
export function requestExtras(kind: ServerKind | null, promptCache = false): Record<string, unknown> {
  if (kind === null) return {};
  const s: ServerFacts = SERVERS[kind];
  const cache = s.promptCache === null ? {} : promptCache ? s.promptCache.on : s.promptCache.off;
  return { ...s.exactOutputLength, ...s.greedy, ...cache };
}

/** How output lengths are asked for on a server of this make (null: unknown make). */
export function outputLengthText(kind: ServerKind | null): string {
  if (kind === null)
    return 'max_tokens only (a server of unknown make: nothing forces the length, so a reply may stop early)';
  return SERVERS[kind].outputLength;
}

/**
 * The profile of the server's counters for a run on `api`; null when its counters do not count that
 * API's requests. A server of unknown make speaking Realizar's API is taken for Realizar.
 */
export function profileOf(kind: ServerKind | null, api: ApiName): string | null {
  if (kind === null) return api === 'realizar' ? SERVERS.realizar.profile.realizar : null;
  const profiles: ServerFacts['profile'] = SERVERS[kind].profile;
  return profiles[api] ?? null;
}
