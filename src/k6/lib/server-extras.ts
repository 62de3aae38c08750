/**
 * Request fields that one server needs and others must not get: added to the OpenAI-compatible
 * request bodies only when the runner started that server (k6 variable SERVER). An OpenAI server
 * of another make never sees them, since some refuse fields they do not know.
 *
 * llama.cpp's server:
 * - `ignore_eos`: generate exactly max_tokens, so every request does the same work;
 * - `temperature: 0`: greedy decoding, the same tokens for the same prompt, run after run;
 * - `cache_prompt: false`: the scenarios send identical prompts, and with its prompt cache on the
 *   server would skip their processing after the first, which is no part of the load being measured.
 */
import type { EndpointName } from '../../core/types.js';
import type { ServerKind } from '../../core/target/servers.js';
import type { Endpoint } from './endpoints.js';

const EXTRAS: Record<ServerKind, Record<string, unknown>> = {
  realizar: {},
  'realizar-model': {},
  llamacpp: { ignore_eos: true, temperature: 0, cache_prompt: false },
};

export function requestExtras(server: ServerKind | null): Record<string, unknown> {
  return server === null ? {} : EXTRAS[server];
}

/** The endpoints with the server's extra fields in every request body. */
export function withServerExtras(endpoints: Partial<Record<EndpointName, Endpoint>>, server: ServerKind | null): Partial<Record<EndpointName, Endpoint>> {
  const extras = requestExtras(server);
  if (Object.keys(extras).length === 0) return endpoints;
  const add = (body: Record<string, unknown> | null | undefined): Record<string, unknown> | null | undefined => (body == null ? body : { ...body, ...extras });
  const out: Partial<Record<EndpointName, Endpoint>> = {};
  for (const [name, e] of Object.entries(endpoints) as Array<[EndpointName, Endpoint]>) {
    if (e.method !== 'POST') {
      out[name] = e;
      continue;
    }
    const fixed = e.fixedBody;
    out[name] = { ...e, body: (n) => add(e.body(n)) ?? null, ...(fixed === undefined ? {} : { fixedBody: () => add(fixed()) }) };
  }
  return out;
}
