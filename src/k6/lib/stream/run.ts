/**
 * A streamed phase, run whole by one k6 iteration: core k6 cannot read a response as it streams,
 * so the requests are sent from a page of the headless Chromium that k6's browser module drives.
 * k6 v1.8.1 launches a browser at the start of every iteration and closes it at its end, so the
 * phase is one iteration of one VU: one browser and one page, started and set up before the
 * measured window, carry every request of the phase.
 *
 * Set-up, all before the window (src/k6/lib/stream/page-setup.ts): the page loads from the server; it
 * makes one frame per origin the clients use (src/core/stream/hosts.ts: at most 6 clients per host
 * name); each frame starts its engine (src/k6/lib/stream/frames.ts, src/k6/lib/stream/engine.ts);
 * the page's scheduler (src/k6/lib/stream/scheduler.ts) is connected to every engine, and every
 * engine opens its connections. Then the scheduler runs the phase, and this side collects the results every 500 ms
 * and records them into k6's metrics (src/k6/lib/stream/record.ts).
 */
import { browser } from 'k6/browser';
import type { PlanPhase } from '../../../core/types.js';
import type { StreamApi } from '../../../core/stream/stream.js';
import { originsInUse, slotOrigins } from '../../../core/stream/hosts.js';
import { requestIdPrefix } from '../../../core/stream/server-clock.js';
import type { Endpoint } from '../endpoints.js';
import { maxTokensOf } from '../prompt-source.js';
import { turnTag } from '../../../core/plan/workload.js';
import { isCut, type Session, type WorkloadLine } from '../../../core/workload/sequence.js';
import { recordConversation, recordWorkloadRequest } from '../workload.js';
import type { EngineSetup } from './engine.js';
import { connect, loadFramesRetrying, SETUP_MS, type Host } from './page-setup.js';
import type { ScheduleConfig, StreamPageBatch, StreamPageResult } from './schedule-types.js';
import {
  recordDropped,
  recordReadInPage,
  recordSendWait,
  recordStartLate,
  recordStream,
  recordWindow,
  useGoodput,
} from './record.js';
import type { GoodputObjective } from '../../../core/rules/goodput.js';

export interface StreamPhaseRun {
  phase: PlanPhase;
  /** The endpoint of request n is cycle[n % cycle.length] (the mix, applied exactly). */
  cycle: readonly Endpoint[];
  baseUrl: string;
  api: StreamApi;
  apiKey: string | null;
  /** The alias domain the browser resolves to the server (null: every client uses the server's origin). */
  aliasDomain: string | null;
  /** A GET the server answers: the page's and each frame's own address, and what opens the connections. */
  probePath: string;
  /** Open model on its own schedule (--arrivals, --trace): each request's due time, ms from the start. */
  dueMs: readonly number[] | null;
  /** The phase's first request, counted over the scenario's phases (its place among the workload's lines). */
  firstRequest: number;
  /** A workload: its lines, the phase's conversations (null: single requests) and the user's think time. */
  workload: {
    lines: ArrayLike<WorkloadLine>;
    sessions: readonly Session[] | null;
    thinkMs: number;
    turns: number;
  } | null;
  /** Per-request objectives (--goodput), or null. */
  goodput: readonly GoodputObjective[] | null;
}

/** How long the page collects results between two round trips to k6. */
const DRAIN_EVERY_MS = 500;
/** The requests of the phase as the engines need them: each distinct path and body once. */
function requestsOf(run: StreamPhaseRun): { paths: string[]; bodies: string[]; order: Array<[number, number]> } {
  const paths: string[] = [];
  const bodies: string[] = [];
  const pathIndex = new Map<string, number>();
  const bodyIndex = new Map<string, number>();
  const index = (list: string[], map: Map<string, number>, value: string): number => {
    let i = map.get(value);
    if (i === undefined) {
      i = list.push(value) - 1;
      map.set(value, i);
    }
    return i;
  };
  const order: Array<[number, number]> = [];
  for (let n = 0; n < run.phase.requests; n++) {
    const endpoint = run.cycle[n % run.cycle.length]!;
    const body = JSON.stringify(endpoint.body(run.firstRequest + n));
    order.push([index(paths, pathIndex, endpoint.path), index(bodies, bodyIndex, body)]);
  }
  return { paths, bodies, order };
}

/**
 * With a workload: records each stream's asked and received counts (and a conversation's start and
 * end), and gives the tags of its figures (its turn); null without one.
 */
function workloadRecorder(run: StreamPhaseRun): (r: StreamPageResult) => Record<string, string> | undefined {
  const w = run.workload;
  if (w === null) return () => undefined;
  /** Local request number → its conversation and turn (0-based). */
  const turnOf = new Map<number, { session: number; k: number; last: boolean; cut: boolean }>();
  w.sessions?.forEach((s, i) => {
    const cut = isCut(w.lines[s.start % w.lines.length]!, s);
    for (let k = 0; k < s.turns; k++)
      turnOf.set(s.start - run.firstRequest + k, { session: i, k, last: k === s.turns - 1, cut });
  });
  const failedSessions = new Set<number>();
  return (r) => {
    const line = w.lines[(run.firstRequest + r.n) % w.lines.length]!;
    const t = r.timings;
    const complete = r.status === 200 && r.error === null && t.error === null && t.done && t.ttftMs !== null;
    const at = turnOf.get(r.n);
    const tags = at === undefined ? undefined : { turn: turnTag(at.k + 1, w.turns) };
    const predicted = t.serverTimings?.['predicted_n'];
    const output = t.countedFrom === 'server' ? t.outputTokens : (predicted ?? null);
    recordWorkloadRequest({
      lines: [line],
      maxTokens: maxTokensOf(line),
      received: complete ? { input: t.promptTokens, output, cached: t.cachedTokens, reply: '' } : null,
      history: at !== undefined && at.k > 0,
      tags,
    });
    if (at !== undefined) {
      if (!complete) failedSessions.add(at.session);
      recordConversation({ first: at.k === 0, last: at.last, ok: !failedSessions.has(at.session), cut: at.cut });
    }
    return tags;
  };
}

export async function runStreamPhase(run: StreamPhaseRun): Promise<void> {
  const { phase } = run;
  useGoodput(run.goodput);
  const bySlot = slotOrigins(run.baseUrl, phase.clients, run.aliasDomain);
  const { origins, perOrigin } = originsInUse(bySlot);
  const { paths, bodies, order } = requestsOf(run);
  const headers = {
    'Content-Type': 'application/json',
    ...(run.apiKey === null ? {} : { Authorization: `Bearer ${run.apiKey}` }),
  };
  const idPrefix = requestIdPrefix(phase.name, Date.now());
  const setups: EngineSetup[] = origins.map((origin) => ({
    origin,
    headers,
    paths,
    bodies,
    timeoutMs: phase.timeoutSec * 1000,
    requestIdPrefix: idPrefix,
  }));
  const schedule: ScheduleConfig = {
    model: phase.model,
    requests: phase.requests,
    intervalMs: phase.model === 'open' ? ((phase.durationSec ?? 0) * 1000) / phase.requests : 0,
    // A SharedArray is k6's, not the page's: copied into a plain array to cross into the browser.
    dueMs: run.dueMs === null ? null : Array.from(run.dueMs),
    slotEngine: bySlot.map((o) => origins.indexOf(o)),
    order,
    deadlineMs: phase.maxDurationSec * 1000,
    conversations:
      run.workload?.sessions == null
        ? null
        : {
            starts: run.workload.sessions.map((x) => x.start - run.firstRequest),
            turns: run.workload.sessions.map((x) => x.turns),
            thinkMs: run.workload.thinkMs,
          },
  };
  const record = workloadRecorder(run);

  const page = await browser.newPage();
  let running = false;
  try {
    const frames = await loadFramesRetrying(
      page,
      { phaseName: phase.name, baseUrl: run.baseUrl, probePath: run.probePath },
      origins,
    );
    if (!(await connect(page, frames, setups, run.api, true))) {
      console.warn(
        'realizar-k6: the stream engines did not start in workers; ' +
          'reading in the frames themselves (more CPU per stream)',
      );
      if (!(await connect(page, frames, setups, run.api, false)))
        throw new Error(`the stream engines did not answer within ${SETUP_MS} ms`);
      recordReadInPage();
    }
    await page.evaluate(
      (a: { path: string; counts: number[] }) =>
        (globalThis as unknown as Host).__realizarK6Stream.warm(a.path, a.counts),
      {
        path: run.probePath,
        counts: perOrigin,
      },
    );
    await page.evaluate((c: ScheduleConfig) => (globalThis as unknown as Host).__realizarK6Stream.start(c), schedule);
    running = true;
    let batch: StreamPageBatch;
    do {
      batch = await page.evaluate(
        (ms: number) => (globalThis as unknown as Host).__realizarK6Stream.drain(ms),
        DRAIN_EVERY_MS,
      );
      for (const r of batch.results) {
        const endpoint = run.cycle[r.n % run.cycle.length]!;
        const tags = record(r);
        recordStream(r, endpoint.name, endpoint.path, `${idPrefix}${r.n}`, tags);
        if (r.sendWaitMs !== null) recordSendWait(r.sendWaitMs, endpoint.name, endpoint.path);
        if (r.lateMs !== null) recordStartLate(r.lateMs, endpoint.name, endpoint.path);
      }
      recordDropped(batch.dropped);
    } while (!batch.done);
    running = false;
    recordWindow(batch.windowStartEpochMs, batch.windowMs);
  } finally {
    // Stopped early (Ctrl-C, k6's time limit): nothing may keep streaming once k6 moves on.
    if (running)
      await page.evaluate(() => (globalThis as unknown as Host).__realizarK6Stream.abort()).catch(() => undefined);
    await page.close().catch(() => undefined);
  }
}
