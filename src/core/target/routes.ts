/**
 * Where each endpoint lives in each API: the method and path the k6 side sends to
 * (src/k6/lib/endpoints.ts adds bodies and judging) and the Node side resolves plans with, before
 * anything starts. An endpoint an API lacks is absent (the OpenAI-compatible API has no tokenizer).
 */
import type { EndpointName } from '../types.js';

export type ApiName = 'realizar' | 'openai';
export interface Route {
  method: 'GET' | 'POST';
  path: string;
}

/** Where an OpenAI-compatible non-streamed generate goes when it carries chat messages (conversations). */
export const OPENAI_CHAT: Route = { method: 'POST', path: '/v1/chat/completions' };

export const ROUTES: Readonly<Record<ApiName, Partial<Record<EndpointName, Route>>>> = {
  realizar: {
    health: { method: 'GET', path: '/health' },
    tokenize: { method: 'POST', path: '/tokenize' },
    generate: { method: 'POST', path: '/generate' },
    'batch-tokenize': { method: 'POST', path: '/batch/tokenize' },
    'batch-generate': { method: 'POST', path: '/batch/generate' },
    'stream-generate': { method: 'POST', path: '/stream/generate' },
  },
  openai: {
    // OpenAI-compatible servers share no health endpoint; listing models is the common liveness check.
    health: { method: 'GET', path: '/v1/models' },
    generate: { method: 'POST', path: '/v1/completions' },
    'batch-generate': { method: 'POST', path: '/v1/completions' },
    'stream-generate': { method: 'POST', path: '/v1/chat/completions' },
  },
};
