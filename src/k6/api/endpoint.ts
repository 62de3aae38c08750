/**
 * Endpoints of one's own: a spec (types.ts) becomes the same Endpoint the built-in ones are, so its
 * requests are sent, judged, counted and reported as theirs (src/k6/lib/request.ts). Its JSON Schema
 * is compiled by the runner before the run (ajv standalone, src/node/own/own-scenario.ts) and
 * bundled in, like the built-in validators: k6 never compiles a schema.
 */
import ownValidators from 'realizar-k6:own-validators';
import type { DeclaredEndpoint } from '../../core/types.js';
import type { Endpoint } from '../lib/endpoints.js';
import { inputOf, turnInput } from '../lib/prompt-source.js';
import type { EndpointSpec } from './types.js';

/** An endpoint of one's own; its name is then known to the mix and to the rules (types.ts). */
export function defineEndpoint<const N extends string>(spec: EndpointSpec<N>): EndpointSpec<N> {
  return spec;
}

/**
 * What the runner reads of an endpoint before the run: its functions only said to be there, anything
 * else kept for the runner to check (a misspelt field is named, not dropped).
 */
export function declaredEndpoint(spec: EndpointSpec): DeclaredEndpoint {
  const { body, prompted, accepts, tokens, ...rest } = spec;
  return {
    ...rest,
    body: body !== undefined,
    prompted: prompted !== undefined,
    accepts: accepts !== undefined,
    tokens: tokens !== undefined,
  };
}

const noTokens = (): number => 0;
const noBody = (): null => null;

/** The k6 side's endpoint, judged by its compiled schema and its own check. */
export function toEndpoint(spec: EndpointSpec): Endpoint {
  const validate = ownValidators[spec.name];
  if (spec.schema !== undefined && validate === undefined)
    throw new Error(
      `endpoint ${spec.name}: its schema was not compiled into this script; ` +
        'run the scenario file with `npx realizar-k6 run FILE`, which bundles it',
    );
  const check = spec.accepts;
  const prompted = spec.prompted;
  const body = prompted === undefined ? (spec.body ?? noBody) : (n: number) => prompted(inputOf(n), n);
  return {
    name: spec.name,
    method: spec.method,
    path: spec.path,
    body,
    // Without a body function every request is the same: it is serialised once.
    ...(spec.body === undefined && prompted === undefined ? { fixedBody: noBody } : {}),
    // Given turnBody, the endpoint takes the workload's lines (prompt-source.ts, workloadLines).
    ...(prompted === undefined ? {} : { turnBody: (line, c, n) => prompted(turnInput(line, c), n) ?? {} }),
    accepts: (body, request) =>
      (validate === undefined || validate(body)) && (check === undefined || check(body, request)),
    tokens: spec.tokens ?? noTokens,
  };
}
