/**
 * How a run sends the built-in endpoints (src/k6/lib/endpoints.ts): the route of each in the run's API
 * (src/core/target/routes.ts; a workload of chat lines sends generate to the chat route), and the
 * request fields the server needs (src/core/target/servers.ts). Worked out where the plan is resolved
 * (src/k6/lib/scenario-init.ts) and handed to every VU as data: the route and server tables are built
 * there alone, and a VU builds only the endpoints the plan sends to.
 */
import { OPENAI_CHAT, ROUTES, type Route } from '../../core/target/routes.js';
import { requestExtras, type ServerKind } from '../../core/target/servers.js';
import type { EndpointName } from '../../core/types.js';
import { builtinEndpoint, type Api, type Endpoint, type Sending } from './endpoints.js';

export interface SendingSettings {
  api: Api;
  model: string;
  /** The server the runner started (null: unknown make, which gets no extra fields). */
  server: ServerKind | null;
  promptCache: boolean;
  /** A workload of chat lines or conversations. */
  chat: boolean;
}

/** Where `name` goes in the API: an OpenAI-compatible generate with chat messages to the chat route. */
function routeOf(name: EndpointName, s: Pick<SendingSettings, 'api' | 'chat'>): Route | undefined {
  if (s.api === 'openai' && s.chat && name === 'generate') return OPENAI_CHAT;
  return ROUTES[s.api][name];
}

/** How the run sends `names` (those its API lacks are left out; the plan has refused them). */
export function sendingOf(s: SendingSettings, names: readonly EndpointName[]): Sending {
  const chat = s.api === 'openai' && s.chat;
  const routes: Partial<Record<EndpointName, Route>> = {};
  for (const name of names) {
    const route = routeOf(name, { api: s.api, chat });
    if (route !== undefined) routes[name] = { method: route.method, path: route.path };
  }
  // Realizar's native API takes no server's fields: only the OpenAI-compatible one is spoken by others.
  const extras = s.api === 'openai' ? requestExtras(s.server, s.promptCache) : {};
  return { api: s.api, model: s.model, chat, extras, routes };
}

/** Every endpoint of the API, as a run with these settings sends it. */
export function endpointsFor(s: SendingSettings): Partial<Record<EndpointName, Endpoint>> {
  const sending = sendingOf(s, Object.keys(ROUTES[s.api]));
  return Object.fromEntries(Object.keys(sending.routes).map((name) => [name, builtinEndpoint(name, sending)]));
}
