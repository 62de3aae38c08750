/**
 * Running a drawn schedule in k6 (src/k6/lib/arrivals.ts glues this to k6). k6 has no executor for
 * arbitrary arrival times, so a phase is k6's shared-iterations: its clients take the requests in
 * order, and the client that takes request i waits until i is due, then sends it. Clients take
 * requests in order, so request i finds no client at its due time exactly when every client is busy
 * with an earlier request: it is then taken late, by the first client to come free, and is dropped
 * (never sent, counted as a failure), as k6's constant-arrival-rate drops an arrival that finds no
 * free VU. A request taken late by a client that was itself free when it fell due (a client's first
 * request, which k6 starts late while it is busy starting the VUs, or another k6 process's) waited
 * for the generator, not for a client: it is sent and its lateness recorded. The rules are pure here,
 * so that tests can check them without k6.
 */

/**
 * How late a request may be taken and still be sent, ms. Taken on time, it is still a little late:
 * k6's VM reads the clock in whole ms, and a client coming free goes through k6's scheduler before
 * it runs the next iteration, a few ms on a busy generator. Well above that, well below any
 * request's latency: a request later than this waited for a client, which is what a drop means.
 */
export const DROP_TOLERANCE_MS = 10;

export type DueAction =
  { kind: 'wait'; waitMs: number } | { kind: 'send'; lateMs: number } | { kind: 'drop'; lateMs: number };

export interface DueInput {
  /** Now, ms since the epoch (k6: Date.now()). */
  nowMs: number;
  /** When the request is due, ms since the epoch: the scenario's start plus its offset. */
  dueMs: number;
  /**
   * The client has already waited for this request: it then sends, however late it woke, since
   * that lateness is the generator's own timer, not a lack of clients (and it is recorded).
   */
  waited: boolean;
  /**
   * When the client came free: the end of its last request of this phase, sent or dropped, or the
   * phase's start for its first one.
   */
  freeAtMs: number;
  toleranceMs?: number;
}

/** What the client that took a request does now: wait until it is due, send it, or drop it. */
export function dueAction(o: DueInput): DueAction {
  const late = o.nowMs - o.dueMs;
  if (o.waited) return { kind: 'send', lateMs: Math.max(0, late) };
  if (late < 0) return { kind: 'wait', waitMs: -late };
  const tolerance = o.toleranceMs ?? DROP_TOLERANCE_MS;
  if (late <= tolerance) return { kind: 'send', lateMs: late };
  // Late, but this client was free when the request fell due: no client was lacking, k6 was.
  if (o.freeAtMs - o.dueMs <= tolerance) return { kind: 'send', lateMs: late };
  return { kind: 'drop', lateMs: late };
}

export interface ArrivalPhase {
  /** Most requests in flight at once: the phase's clients (k6 VUs). */
  clients: number;
  /** The schedule: ms from the phase's start, non-decreasing. */
  offsets: ArrayLike<number>;
  /** When the phase starts, s from the test's start. */
  startSec: number;
  /** A request's timeout, s. */
  timeoutSec: number;
}

/** The k6 scenario of a phase run on a drawn schedule (k6's `Scenario` options, as plain data). */
export interface ArrivalScenarioOptions {
  executor: 'shared-iterations';
  vus: number;
  iterations: number;
  maxDuration: string;
  startTime: string;
  gracefulStop: string;
}

const ms = (n: number): string => `${Math.ceil(n)}ms`;

export function arrivalScenarioOptions(p: ArrivalPhase): ArrivalScenarioOptions {
  const n = p.offsets.length;
  if (n < 1) throw new RangeError('a phase on a drawn schedule needs at least one request');
  const lastDueMs = p.offsets[n - 1]!;
  return {
    executor: 'shared-iterations',
    // k6 refuses more VUs than iterations.
    vus: Math.max(1, Math.min(p.clients, n)),
    iterations: n,
    // Past the last due time, every request in flight ends within its timeout; the clients then take
    // whatever is left and drop it at once. So by this time each request was sent or dropped; the
    // second more is for k6's own start of the VUs.
    maxDuration: ms(lastDueMs + DROP_TOLERANCE_MS + p.timeoutSec * 1000 + 1000),
    startTime: ms(p.startSec * 1000),
    // In-flight requests may finish (up to their timeout) after the phase's end, as in every phase.
    gracefulStop: ms(p.timeoutSec * 1000),
  };
}
