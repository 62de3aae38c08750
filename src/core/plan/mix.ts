/**
 * Request mixes: which endpoints a scenario sends to, and in which proportion.
 *
 * A mix is applied deterministically (smooth weighted round-robin over the global iteration number),
 * not by random draws: the same run always sends the same number of requests to each endpoint, so
 * reports of two runs compare like with like and the seed's `--mix health` is reproduced exactly.
 */
import type { EndpointName, ScenarioPlan } from '../types.js';
import { describeValue } from '../errors/describe.js';
import { ValidationError } from '../errors/ValidationError.js';
import { WORKLOAD_ENDPOINTS } from './workload.js';

export const ENDPOINT_NAMES: readonly EndpointName[] = [
  'health',
  'tokenize',
  'generate',
  'batch-tokenize',
  'batch-generate',
];

export interface MixEntry {
  endpoint: EndpointName;
  weight: number;
}

function isEndpointName(s: string): s is EndpointName {
  return (ENDPOINT_NAMES as readonly string[]).includes(s);
}

/**
 * Parse `health`, `health=2,tokenize=1,generate=1` (also `:` for `=`).
 * @param source what to name in errors: the flag (`--mix`) or variable (`MIX`) the text came from.
 */
export function parseMix(text: string, source: string): MixEntry[] {
  const expected =
    `endpoint[=weight] items separated by commas, endpoints ${ENDPOINT_NAMES.join('|')}, ` +
    'weights whole numbers >= 1';
  const entries: MixEntry[] = [];
  const parts = text.split(',').map((p) => p.trim());
  if (text.trim() === '') throw new ValidationError(source, [{ path: '', expected, found: describeValue(text) }]);
  parts.forEach((part, index) => {
    const match = /^([a-z-]+)(?:\s*[=:]\s*(\d+))?$/.exec(part);
    const name = match?.[1];
    if (!match || name === undefined || !isEndpointName(name)) {
      throw new ValidationError(source, [{ path: `/${index}`, expected, found: describeValue(part) }]);
    }
    const weight = match[2] === undefined ? 1 : Number(match[2]);
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new ValidationError(source, [{ path: `/${index}`, expected, found: describeValue(part) }]);
    }
    if (entries.some((e) => e.endpoint === name)) {
      throw new ValidationError(source, [
        { path: `/${index}`, expected: 'each endpoint once', found: `${name} twice` },
      ]);
    }
    entries.push({ endpoint: name, weight });
  });
  return entries;
}

export function formatMix(mix: readonly MixEntry[]): string {
  return mix.map((m) => `${m.endpoint}=${m.weight}`).join(',');
}

/**
 * One cycle of smooth weighted round-robin (as nginx balances upstreams): weights 2,1,1 give
 * health, tokenize, generate, health — each endpoint spread over the cycle, not sent in a block.
 */
export function mixCycle(mix: readonly MixEntry[]): EndpointName[] {
  const total = mix.reduce((sum, m) => sum + m.weight, 0);
  const current = mix.map(() => 0);
  const cycle: EndpointName[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    mix.forEach((m, i) => {
      current[i]! += m.weight;
      if (current[i]! > current[best]!) best = i;
    });
    current[best]! -= total;
    cycle.push(mix[best]!.endpoint);
  }
  return cycle;
}

/** What the plan needs of an endpoint: where it lives, and (a scenario file's own) whether it takes prompts. */
export interface EndpointInfo {
  method: 'GET' | 'POST';
  path: string;
  /** Left out: a built-in endpoint takes prompts when it generates (WORKLOAD_ENDPOINTS). */
  prompted?: boolean;
}

/** The endpoints a mix sends to, where they live and whether they take prompts; one the API lacks is refused. */
export function mixEndpoints(
  scenario: string,
  mix: readonly MixEntry[],
  api: string,
  endpointInfo: (e: EndpointName) => EndpointInfo | undefined,
): ScenarioPlan['endpoints'] {
  return mix.map((m) => {
    const info = endpointInfo(m.endpoint);
    if (info === undefined)
      throw new ValidationError(`scenario ${scenario}`, [
        { path: '/mix', expected: `endpoints the ${api} API has`, found: `${m.endpoint}, which it does not have` },
      ]);
    const { method, path } = info;
    return { name: m.endpoint, method, path, prompted: info.prompted ?? WORKLOAD_ENDPOINTS.includes(m.endpoint) };
  });
}
