/**
 * Request fields that one server needs and others must not get (the server table's, src/core/target/servers.ts):
 * added to the OpenAI-compatible request bodies only when the runner started that server (k6 variable
 * SERVER). An OpenAI server of another make never sees them, since some refuse fields they do not know.
 */
import type { EndpointName } from '../../core/types.js';
import { requestExtras, type ServerKind } from '../../core/target/servers.js';
import type { Endpoint } from './endpoints.js';

/** The endpoints with the server's extra fields in every request body. */
export function withServerExtras(
  endpoints: Partial<Record<EndpointName, Endpoint>>,
  server: ServerKind | null,
  promptCache = false,
): Partial<Record<EndpointName, Endpoint>> {
  const extras = requestExtras(server, promptCache);
  if (Object.keys(extras).length === 0) return endpoints;
  const add = (body: Record<string, unknown> | null | undefined): Record<string, unknown> | null | undefined =>
    body == null ? body : { ...body, ...extras };
  const out: Partial<Record<EndpointName, Endpoint>> = {};
  for (const [name, e] of Object.entries(endpoints) as Array<[EndpointName, Endpoint]>) {
    if (e.method !== 'POST') {
      out[name] = e;
      continue;
    }
    const fixed = e.fixedBody;
    const turn = e.turnBody;
    out[name] = {
      ...e,
      body: (n) => add(e.body(n)) ?? null,
      ...(fixed === undefined ? {} : { fixedBody: () => add(fixed()) }),
      ...(turn === undefined ? {} : { turnBody: (line, c) => ({ ...turn(line, c), ...extras }) }),
    };
  }
  return out;
}
