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
 * - a closed scenario without --rate: --clients share --requests (N concurrent streams, say);
 * - --stages R:SEC,...: open phases one after another (stage-1, stage-2...), each at its own rate for its
 *   own seconds, at most --clients in flight: a stepped load in one run, in place of --rate/--duration.
 */
import { ValidationError } from '../errors/ValidationError.js';
import type { PhaseDefinition } from './plan.js';

/** One stage of --stages: an open phase at `rate` requests per second for `durationSec` seconds. */
export interface Stage {
  rate: number;
  durationSec: number;
}

export interface ShapeOverride {
  clients: number | null;
  requests: number | null;
  /** Requests per second: the open model. */
  rate: number | null;
  durationSec: number | null;
  /** Open phases one after another (--stages), in place of rate, duration and requests. */
  stages?: readonly Stage[] | null;
}

export function isShapeGiven(s: ShapeOverride | null): s is ShapeOverride {
  return (
    s !== null &&
    (s.clients !== null || s.requests !== null || s.rate !== null || s.durationSec !== null || s.stages != null)
  );
}

/** The most stages a run takes: each is a k6 scenario, with its own report rows. */
export const MAX_STAGES = 50;

/** 'R:SEC,R:SEC,...' (--stages, and the k6 variable SHAPE_STAGES); an error names the stage at fault. */
export function parseStages(source: string, text: string): Stage[] {
  const parts = text.split(',');
  if (parts.length > MAX_STAGES) invalid(source, `at most ${MAX_STAGES} stages`, `${parts.length} stages`);
  return parts.map((part, i) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    const rate = Number(m?.[1]);
    const durationSec = Number(m?.[2]);
    if (m === null || !(rate > 0) || !(durationSec > 0))
      invalid(source, `stages RATE:SECONDS, comma-separated, each above 0 (stage ${i + 1})`, `'${part}'`);
    if (rate * durationSec < 1)
      invalid(source, `at least one request a stage, RATE × SECONDS >= 1 (stage ${i + 1})`, `'${part.trim()}'`);
    return { rate, durationSec };
  });
}

export const stagesText = (stages: readonly Stage[]): string =>
  stages.map((s) => `${s.rate}:${s.durationSec}`).join(',');

/** The flags as a user typed them, for notes and errors. */
export function describeShape(s: ShapeOverride): string {
  const parts: string[] = [];
  if (s.stages != null) parts.push(`--stages ${stagesText(s.stages)}`);
  if (s.rate !== null) parts.push(`--rate ${s.rate}`);
  if (s.durationSec !== null) parts.push(`--duration ${s.durationSec}`);
  if (s.requests !== null) parts.push(`--requests ${s.requests}`);
  if (s.clients !== null) parts.push(`--clients ${s.clients}`);
  return parts.join(' ');
}

function invalid(source: string, expected: string, found: string): never {
  throw new ValidationError(source, [{ path: '', expected, found }]);
}

/** The phases a shape override produces for `scenario`, whose phases are `phases`: one, or a stage each. */
export function shapePhases(scenario: string, phases: readonly PhaseDefinition[], s: ShapeOverride): PhaseDefinition[] {
  if (s.stages == null) return [shapePhase(scenario, phases, s)];
  const base = onePhase(scenario, phases, s);
  return s.stages.map((stage, i) => ({
    name: `stage-${i + 1}`,
    model: 'open',
    clients: s.clients ?? base.clients,
    requests: Math.round(stage.rate * stage.durationSec),
    durationSec: stage.durationSec,
    timeoutSec: base.timeoutSec,
  }));
}

/** A scenario's one phase, which a shape replaces; a scenario of several is its own test. */
function onePhase(scenario: string, phases: readonly PhaseDefinition[], s: ShapeOverride): PhaseDefinition {
  if (phases.length !== 1) {
    invalid(
      describeShape(s),
      `a scenario with one phase (${scenario} has ${phases.length}: ` +
        `${phases.map((p) => p.name).join(', ')}, and its shape is the test)`,
      `scenario ${scenario}`,
    );
  }
  return phases[0]!;
}

/** The one phase a shape override produces for `scenario`, whose phases are `phases`. */
function shapePhase(scenario: string, phases: readonly PhaseDefinition[], s: ShapeOverride): PhaseDefinition {
  const given = describeShape(s);
  const base = onePhase(scenario, phases, s);
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
