/**
 * What an open run offers caps its throughput: requests arrive at the rate the run was given, whatever
 * the server does, so a throughput rule whose bound is at or above that rate fails on the fastest
 * server, for the generator's setting alone (`npm run k6:sustained -- --rate 2` against the seed's
 * "> 5 req/s"). Such a rule is left out of the run with a note saying why, as a rule on an endpoint the
 * mix never sends to is. A closed phase's clients send as fast as the server answers: its throughput
 * is the server's, and a rule over it is always judged.
 */
import type { Gate, PlanPhase, Rule } from '../types.js';
import type { MixEntry } from './mix.js';

type Scope = Pick<Rule, 'phase' | 'endpoint'>;

/** Requests per second the run offers in a rule's scope; null when a closed phase is in it. */
export function offeredRate(phases: readonly PlanPhase[], mix: readonly MixEntry[], scope: Scope): number | null {
  const inScope = scope.phase === undefined ? phases : phases.filter((p) => p.name === scope.phase);
  let requests = 0;
  let seconds = 0;
  for (const p of inScope) {
    if (p.model !== 'open' || p.durationSec === undefined) return null;
    requests += p.requests;
    seconds += p.durationSec;
  }
  if (inScope.length === 0 || seconds <= 0) return null;
  const total = mix.reduce((n, m) => n + m.weight, 0);
  const weight = scope.endpoint === undefined ? total : (mix.find((m) => m.endpoint === scope.endpoint)?.weight ?? 0);
  return (requests * weight) / total / seconds;
}

export interface Unmeetable {
  /** Whether the rule leaves the run: no tier of it can be met. */
  drop: boolean;
  note: string;
}

const rate = (n: number): string => `${Number(n.toFixed(2))} req/s`;

/**
 * A throughput rule that the run's offered rate keeps any server from meeting, and what to tell the
 * user; null when the rule can be judged. Its target tier alone out of reach (a run offering between
 * the two bounds) keeps the rule, with a note: the acceptable tier is still a verdict on the server.
 */
export function unmeetableThroughput(
  rule: Rule,
  o: { phases: readonly PlanPhase[]; mix: readonly MixEntry[]; gate: Gate },
): Unmeetable | null {
  if (rule.metric !== 'throughput') return null;
  const offered = offeredRate(o.phases, o.mix, rule);
  if (offered === null) return null;
  const where = [rule.endpoint && `to ${rule.endpoint}`, rule.phase && `in phase ${rule.phase}`].filter(Boolean);
  const offers = `this run offers ${rate(offered)}${where.length > 0 ? ` ${where.join(' ')}` : ''}`;
  const how = '(--rate; --time-scale for a trace)';
  if (offered <= rule.acceptable)
    return {
      drop: true,
      note:
        `Rule '${rule.id}' (throughput > ${rate(rule.acceptable)}) was not judged: ${offers}, so no server ` +
        `could meet it. A run offering more ${how} judges it.`,
    };
  if (rule.target !== undefined && offered <= rule.target)
    return {
      drop: false,
      note:
        `Rule '${rule.id}': its target tier (throughput > ${rate(rule.target)}) cannot be met: ${offers}` +
        `${o.gate === 'target' ? ', and --gate target fails the run on it' : ''}. A run offering more ${how} ` +
        'judges it.',
    };
  return null;
}
