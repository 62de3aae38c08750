/**
 * A run's shape given on the command line (--concurrency/--clients, --requests, --rate, --duration)
 * in place of a scenario's own: a soak of hours, or 32 concurrent streams, is a flag, not a new
 * scenario file. Pure: the Node runner resolves it to check it before anything starts, and the k6
 * script resolves it again from the same SHAPE_* variables.
 *
 * The rules, from the shape given and the scenario's one phase:
 * - --rate R: open model, R requests per second for --duration SEC (or --requests / R, or the
 *   scenario's window), at most --clients in flight (a request with no free client is dropped);
 * - an open scenario without --rate keeps its rate; --duration, --requests or --clients change
 *   the rest;
 * - a closed scenario without --rate: --clients share --requests (N concurrent streams, say).
 */
import { ValidationError } from '../errors/ValidationError.js';
import type { PhaseDefinition } from './plan.js';

export interface ShapeOverride {
  clients: number | null;
  requests: number | null;
  /** Requests per second: the open model. */
  rate: number | null;
  durationSec: number | null;
}

export function isShapeGiven(s: ShapeOverride | null): s is ShapeOverride {
  return s !== null && (s.clients !== null || s.requests !== null || s.rate !== null || s.durationSec !== null);
}

/** The flags as a user typed them, for notes and errors. */
export function describeShape(s: ShapeOverride): string {
  const parts: string[] = [];
  if (s.rate !== null) parts.push(`--rate ${s.rate}`);
  if (s.durationSec !== null) parts.push(`--duration ${s.durationSec}`);
  if (s.requests !== null) parts.push(`--requests ${s.requests}`);
  if (s.clients !== null) parts.push(`--clients ${s.clients}`);
  return parts.join(' ');
}

function invalid(source: string, expected: string, found: string): never {
  throw new ValidationError(source, [{ path: '', expected, found }]);
}

/** The one phase a shape override produces for `scenario`, whose phases are `phases`. */
export function shapePhase(scenario: string, phases: readonly PhaseDefinition[], s: ShapeOverride): PhaseDefinition {
  const given = describeShape(s);
  if (phases.length !== 1) {
    invalid(
      given,
      `a scenario with one phase (${scenario} has ${phases.length}: ` +
        `${phases.map((p) => p.name).join(', ')}, and its shape is the test)`,
      `scenario ${scenario}`,
    );
  }
  const base = phases[0]!;
  const open = s.rate !== null || base.model === 'open';
  if (!open) {
    if (s.durationSec !== null)
      invalid(
        '--duration',
        `--rate beside it (scenario ${scenario} is closed: --clients share --requests, as fast as the server answers)`,
        `--duration ${s.durationSec} alone`,
      );
    const requests = s.requests ?? base.requests;
    const clients = s.clients ?? Math.min(base.clients, requests);
    if (clients > requests)
      invalid(
        '--clients',
        `at most --requests (${requests}): k6 gives each client at least one request`,
        String(clients),
      );
    return { ...base, clients, requests };
  }
  const baseRate = base.model === 'open' && base.durationSec !== undefined ? base.requests / base.durationSec : null;
  let rate = s.rate ?? baseRate!;
  let durationSec: number;
  if (s.durationSec !== null) durationSec = s.durationSec;
  else if (s.requests !== null) durationSec = s.requests / rate;
  else durationSec = base.durationSec ?? base.requests / rate;
  if (s.rate === null && s.requests !== null && s.durationSec !== null) rate = s.requests / s.durationSec;
  const requests = Math.round(rate * durationSec);
  if (s.rate !== null && s.requests !== null && s.durationSec !== null && requests !== s.requests) {
    invalid(
      '--requests',
      `--rate × --duration (${requests}), or only two of --rate, --duration and --requests`,
      String(s.requests),
    );
  }
  if (requests < 1)
    invalid(given, 'at least one request (--rate × --duration >= 1)', `${rate} req/s for ${durationSec} s`);
  return {
    name: base.name,
    model: 'open',
    clients: s.clients ?? base.clients,
    requests,
    durationSec,
    timeoutSec: base.timeoutSec,
  };
}
