/**
 * From a scenario's definition (src/k6/scenarios/<name>.ts) and the run's settings to the resolved
 * plan: phases scaled, start times laid out, the mix chosen, and the rules that apply to it. Pure, so
 * the k6 script resolves it at init and the Node side can test it without k6.
 */
import type { EndpointName, Gate, PlanPhase, ScenarioPlan, ThresholdsFile, WorkloadPlan } from '../types.js';
import { formatMix, mixEndpoints, type EndpointInfo, type MixEntry } from './mix.js';
import { ValidationError } from '../errors/ValidationError.js';
import { describeShape, isShapeGiven, shapePhases, type ShapeOverride } from './shape.js';
import { K6_METRICS, STREAM_RULE_METRICS } from '../rules/metric-table.js';
import { checkGoodputFor, goodputText, type GoodputObjective } from '../rules/goodput.js';
import { applyArrivals, arrivalsText, CONSTANT_ARRIVALS, type ArrivalSettings } from './arrivals.js';
import { applyWorkload, notSent } from './workload.js';
import { unmeetableThroughput } from './offered.js';
import { BUILTIN_ENDPOINTS } from '../rules/thresholds.js';

const STREAMED_NOTE =
  "Streamed requests are sent and read by one page of a headless Chromium that k6's browser module starts " +
  'once per phase, before the measured window: the duration and throughput are over that window, ' +
  'from the first request sent to the end of the last stream.';

export interface PhaseDefinition {
  name: string;
  /** closed: `clients` share `requests` (the seed's model). open: `requests` arrive evenly over `durationSec`. */
  model: 'closed' | 'open';
  clients: number;
  requests: number;
  /** Open model only: the window the requests arrive in (so the rate is requests / durationSec). */
  durationSec?: number;
  /** Per-request timeout; also how long in-flight requests may finish after the phase ends. */
  timeoutSec: number;
}

export interface ScenarioDefinition {
  name: string;
  description: string;
  /**
   * thresholds/<name>.json as imported (esbuild inlines it). Typed loosely on purpose: the build
   * validates every thresholds file against its schema before bundling, so it is a ThresholdsFile.
   */
  thresholds: unknown;
  /** Endpoints and weights; one entry for a single-endpoint scenario. */
  mix: MixEntry[];
  /** Whether MIX / --mix may replace the mix (only for scenarios that are mixes by nature). */
  mixable: boolean;
  phases: PhaseDefinition[];
  /**
   * A streamed scenario: each request is read as Server-Sent Events in a headless browser driven by
   * k6 (core k6 has no streaming HTTP client), in the event format of the API in use.
   */
  stream?: true;
}

export interface PlanSettings {
  baseUrl: string;
  gate: Gate;
  /** 0 < scale <= 1: multiplies request counts (and open-model windows, keeping their rates). */
  scale: number;
  mix: MixEntry[] | null;
  /** The API the requests use, and the model OpenAI-compatible requests name. */
  api: 'realizar' | 'openai';
  model: string;
  /** A prompt set in use (--prompts), for the notes. */
  prompts: { source: string; count: number } | null;
  /** Per-request timeout for every phase, replacing the scenario's (null: keep the scenario's). */
  timeoutSec: number | null;
  /** The run's shape from the command line, replacing the scenario's one phase (null: keep it). */
  shape?: ShapeOverride | null;
  /** Where the thresholds came from, for errors (default thresholds/<scenario>.json). */
  thresholdsSource?: string;
  /** When open phases' requests are due (default: evenly, k6's constant-arrival-rate). */
  arrivals?: ArrivalSettings;
  /** Per-request objectives whose joint success is the goodput (--goodput). */
  goodput?: GoodputObjective[] | null;
  /** What the requests carry, when the run shapes it (src/core/plan/workload.ts). */
  workload?: WorkloadPlan | null;
}

/** k6 refuses an arrival-rate duration under one second. */
const MIN_OPEN_DURATION_SEC = 1;

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * k6 starts constant-arrival-rate iterations at t = 0, 1/rate, 2/rate, ... up to and including the
 * scenario's duration, so a duration of exactly n/rate gives n + 1 requests. Ending half an interval
 * before the window closes gives exactly n.
 */
export function k6OpenDurationSec(phase: Pick<PlanPhase, 'requests' | 'durationSec'>): number {
  const window = phase.durationSec ?? 0;
  return window - window / phase.requests / 2;
}

export function resolvePlan(
  def: ScenarioDefinition,
  settings: PlanSettings,
  endpointInfo: (e: EndpointName) => EndpointInfo | undefined,
): ScenarioPlan {
  const notes: string[] = [];
  if (def.phases.length > 1 && def.phases.some((p) => p.model === 'closed')) {
    // A closed phase has no known end, so a later phase could not be given a start time.
    throw new ValidationError(`scenario ${def.name}`, [
      {
        path: '/phases',
        expected: 'one phase when the model is closed (a closed phase has no known end)',
        found: `${def.phases.length} phases`,
      },
    ]);
  }
  const thresholdsSource = settings.thresholdsSource ?? `thresholds/${def.name}.json`;
  const shape = settings.shape ?? null;
  // A trace gives the phase its requests and window; of the shape, only the clients apply (applyArrivals).
  const traced = settings.arrivals?.trace != null;
  const defPhases = isShapeGiven(shape) && !traced ? shapePhases(def.name, def.phases, shape) : def.phases;
  let mix = def.mix;
  if (settings.mix !== null) {
    if (def.mixable) mix = settings.mix;
    else
      notes.push(
        `The mix '${formatMix(settings.mix)}' was ignored: scenario ${def.name} sends to ${formatMix(def.mix)} only.`,
      );
  }
  if (def.mixable) {
    // A mix keeps what the API has: the OpenAI-compatible API has no tokenizer, say.
    const lacking = mix.filter((m) => endpointInfo(m.endpoint) === undefined);
    if (lacking.length > 0 && lacking.length < mix.length) {
      mix = mix.filter((m) => !lacking.includes(m));
      notes.push(
        `${lacking.map((m) => m.endpoint).join(', ')} left out of the mix: ` +
          `the ${settings.api} API has no such endpoint.`,
      );
    }
  }

  let start = 0;
  if (settings.api === 'openai') {
    const paths = mix
      .map(
        (m) =>
          `${m.endpoint} → ${endpointInfo(m.endpoint)?.method ?? '?'} ${endpointInfo(m.endpoint)?.path ?? '(none)'}`,
      )
      .join(', ');
    notes.push(`Sent to the OpenAI-compatible API, model '${settings.model}': ${paths}.`);
  }
  if (def.stream !== undefined) {
    notes.push(STREAMED_NOTE);
  }
  const endpoints = mixEndpoints(def.name, mix, settings.api, endpointInfo);
  const prompted = endpoints.some((e) => e.prompted);
  const set = settings.prompts;
  // A scenario file's body(n) may take the prompt set through prompt(n, fallback): not known here.
  const own = endpoints.some((e) => !BUILTIN_ENDPOINTS.includes(e.name));
  const mayTake = prompted || own;
  if (set !== null)
    notes.push(
      mayTake
        ? `Prompts: ${set.count} from ${set.source}, taken in order.`
        : notSent(`The prompt set (${set.source})`, own),
    );
  if (settings.timeoutSec !== null)
    notes.push(`Request timeout ${settings.timeoutSec}s for every phase (set for this run).`);
  if (isShapeGiven(shape)) notes.push(`Shape set for this run (${describeShape(shape)}) in place of the scenario's.`);
  const evenPhases: PlanPhase[] = defPhases.map((scenarioPhase) => {
    const p = settings.timeoutSec === null ? scenarioPhase : { ...scenarioPhase, timeoutSec: settings.timeoutSec };
    const requests = Math.max(1, Math.round(p.requests * settings.scale));
    if (p.model === 'closed') {
      // k6 refuses more clients than requests; a scaled-down phase has fewer requests to share.
      const clients = Math.min(p.clients, requests);
      if (clients < p.clients)
        notes.push(
          `Phase ${p.name}: ${requests} request(s) at this scale, so ${clients} client(s) instead of ${p.clients}.`,
        );
      // Bounded even if every request times out one after the other on each client.
      const maxDurationSec = Math.ceil(requests / clients) * p.timeoutSec + 5;
      return {
        name: p.name,
        model: 'closed',
        clients,
        requests,
        timeoutSec: p.timeoutSec,
        startSec: 0,
        maxDurationSec,
      };
    }
    if (p.durationSec === undefined)
      throw new ValidationError(`scenario ${def.name}`, [
        { path: `/phases/${p.name}`, expected: 'durationSec for an open phase', found: 'none' },
      ]);
    const ratePerSec = p.requests / p.durationSec;
    // Scaling keeps the rate and shortens the window. k6 needs an arrival-rate scenario to last at
    // least 1 s, and the scenario runs for (n - 0.5) intervals (see k6Duration), so n >= rate + 0.5.
    const n = Math.max(requests, Math.ceil(ratePerSec * MIN_OPEN_DURATION_SEC + 0.5));
    const durationSec = round3(n / ratePerSec);
    if (n > requests && !traced)
      notes.push(
        `Phase ${p.name}: ${n} requests over ${durationSec} s at ${round3(ratePerSec)} req/s, not ${requests}: ` +
          'k6 runs an arrival-rate phase for at least a second.',
      );
    const phase: PlanPhase = {
      name: p.name,
      model: 'open',
      clients: p.clients,
      requests: n,
      ratePerSec: round3(ratePerSec),
      durationSec,
      timeoutSec: p.timeoutSec,
      startSec: round3(start),
      maxDurationSec: round3(durationSec + p.timeoutSec),
    };
    start += durationSec;
    return phase;
  });
  const arrived = applyArrivals(def.name, evenPhases, settings.arrivals ?? CONSTANT_ARRIVALS, {
    notes,
    clients: shape?.clients ?? null,
  });
  const given = settings.workload ?? null;
  // A workload no endpoint of the scenario carries is left out of its plan, and said so.
  const workload = given !== null && prompted ? given : null;
  if (given !== null && workload === null) notes.push(notSent(`The workload (${given.source})`, own));
  const phases = workload === null ? arrived : applyWorkload(arrived, { workload, mix });
  const goodput = settings.goodput ?? null;
  if (goodput !== null) checkGoodputFor('--goodput', goodput, def.stream !== undefined);
  const goodputRule = (def.thresholds as ThresholdsFile).rules.findIndex((r) => r.metric === 'goodput');
  if (goodput === null && goodputRule >= 0)
    throw new ValidationError(thresholdsSource, [
      {
        path: `/rules/${goodputRule}/metric`,
        expected: "--goodput beside a rule on goodput (which objectives make a request good, e.g. 'latency<200')",
        found: 'goodput, with no --goodput given',
      },
    ]);

  const inMix = new Set(mix.map((m) => m.endpoint));
  const phaseNames = new Set(phases.map((p) => p.name));
  const thresholds = def.thresholds as ThresholdsFile;
  const rules = thresholds.rules.filter((rule) => {
    if (rule.phase !== undefined && !phaseNames.has(rule.phase)) {
      throw new ValidationError(thresholdsSource, [
        {
          path: `/rules/${thresholds.rules.indexOf(rule)}/phase`,
          expected: `a phase of scenario ${def.name} (${[...phaseNames].join(', ')})`,
          found: `'${rule.phase}' (rule '${rule.id}')`,
        },
      ]);
    }
    if (rule.endpoint !== undefined && !inMix.has(rule.endpoint)) {
      notes.push(
        `Rule '${rule.id}' (endpoint ${rule.endpoint}) does not apply: the mix sends nothing to ${rule.endpoint}.`,
      );
      return false;
    }
    // k6 refuses a threshold on a metric no VU created, and a scenario that does not stream creates none.
    if (def.stream === undefined && STREAM_RULE_METRICS.has(rule.metric)) {
      notes.push(`Rule '${rule.id}' (${rule.metric}) does not apply: scenario ${def.name} does not stream.`);
      return false;
    }
    const unmeetable = unmeetableThroughput(rule, { phases, mix, gate: settings.gate });
    if (unmeetable !== null) notes.push(unmeetable.note);
    return unmeetable?.drop !== true;
  });

  return {
    planVersion: 1,
    scenario: def.name,
    // The scenario's own description names its shape; a run with another says which it had.
    description: isShapeGiven(shape) ? `${def.description}; this run: ${describeShape(shape)}` : def.description,
    baseUrl: settings.baseUrl,
    gate: settings.gate,
    scale: settings.scale,
    endpoints,
    mix,
    phases,
    thresholds: { ...thresholds, rules },
    notes,
    latencyMetric: def.stream === undefined ? K6_METRICS.latency : K6_METRICS.e2e,
    // A stream has the event format of the API it is sent to.
    stream: def.stream === undefined ? null : { api: settings.api },
    api: settings.api,
    model: settings.model,
    goodput: goodput === null ? null : goodputText(goodput),
    arrivals: arrivalsText(settings.arrivals ?? CONSTANT_ARRIVALS),
    workload,
  };
}
