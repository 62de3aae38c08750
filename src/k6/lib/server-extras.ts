/**
 * Request fields that one server needs and others must not get (the server table's, src/core/target/servers.ts):
 * added to the OpenAI-compatible request bodies only when the runner started that server (k6 variable
 * SERVER). An OpenAI server of another make never sees them, since some refuse fields they do not know.
 * Which fields is worked out where the plan is resolved (src/k6/lib/sending.ts), so that the VUs that
 * send never build the server table.
 */
import type { Endpoint } from './endpoints.js';

/** The endpoint with the server's extra fields in every request body it sends (none: the endpoint as it is). */
export function withExtras(e: Endpoint, extras: Readonly<Record<string, unknown>>): Endpoint {
  if (Object.keys(extras).length === 0 || e.method !== 'POST') return e;
  const add = (body: Record<string, unknown> | null | undefined): Record<string, unknown> | null | undefined =>
    body == null ? body : { ...body, ...extras };
  const fixed = e.fixedBody;
  const turn = e.turnBody;
  return {
    ...e,
    body: (n) => add(e.body(n)) ?? null,
    ...(fixed === undefined ? {} : { fixedBody: () => add(fixed()) }),
    ...(turn === undefined ? {} : { turnBody: (line, c, n) => ({ ...turn(line, c, n), ...extras }) }),
  };
}
