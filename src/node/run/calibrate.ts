/**
 * A streamed scenario's measurement floor, taken just before its load (--calibrate, the default;
 * src/node/calibrate/floor.ts) at the chunk pace its warm-up saw on the target, and what the
 * scenario's report gains afterwards: the floor itself, each TTFT's time before the prompt split by
 * it, a note for each verdict whose margin lies inside it — and, floor or not, what only k6.log holds
 * of the per-request join: the requests whose token counts differ (our id and the server's), and the
 * names of the Server-Timing entries.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { floorGap, verdictsInsideFloor } from '../../core/stream/floor.js';
import { withServerLog } from '../../core/stream/request-clock-report.js';
import { mismatchedRequests } from '../../core/stream/server-clock.js';
import { splitByFloor } from '../../core/stream/server-clock-breakdown.js';
import { serverTimingNames } from '../../core/stream/server-timing.js';
import type { MeasurementFloor, ScenarioPlan, ScenarioReport } from '../../core/types.js';
import { measureFloor } from '../calibrate/floor.js';
import type { RunConfig } from '../config/index.js';
import { log } from '../process/log.js';
import type { RunControl } from './run.js';
import { warmupItlP50 } from './warmup.js';

export async function calibrate(o: {
  config: RunConfig;
  plan: ScenarioPlan;
  k6: string;
  script: string;
  outDir: string;
  control: RunControl;
}): Promise<MeasurementFloor | null> {
  const stream = o.plan.stream;
  if (!o.config.calibrate || stream == null || o.control.interrupted) return null;
  const clients = Math.max(1, ...o.plan.phases.map((p) => p.clients));
  const gap = floorGap(o.config.warmupRequests > 0 ? await warmupItlP50(o.outDir) : null);
  try {
    const floor = await measureFloor({
      k6: o.k6,
      script: o.script,
      workDir: o.outDir,
      clients,
      api: stream.api,
      gapMs: gap.gapMs,
      gapFrom: gap.from,
    });
    log.info(floor === null ? 'measurement floor: the calibration measured nothing' : floor.summary);
    return floor;
  } catch (err) {
    // The floor qualifies the figures; a calibration that failed does not make them wrong.
    log.warn(`measurement floor not measured: ${(err as Error).message}`);
    return null;
  }
}

export async function withFloor(
  report: ScenarioReport,
  floor: MeasurementFloor | null,
  outDir: string,
): Promise<ScenarioReport> {
  const logFile = path.join(outDir, K6_FILES.log);
  const k6Log = existsSync(logFile) ? await readFile(logFile, 'utf8') : '';
  const mismatched = mismatchedRequests(k6Log);
  const ids = mismatched.map((m) => m.requestId);
  const st = report.streaming;
  const clock = st?.serverClock ?? null;
  const serverClock =
    clock === null
      ? clock
      : {
          ...clock,
          ...(clock.breakdown === undefined || floor === null
            ? {}
            : { breakdown: splitByFloor(clock.breakdown, floor) }),
          ...(ids.length === 0 ? {} : { mismatchedRequestIds: ids, mismatched }),
        };
  const rc = report.requestClock;
  const requestClock = rc == null ? rc : withServerLog(rc, { names: serverTimingNames(k6Log), mismatched });
  if (floor === null && serverClock === clock && requestClock === rc) return report;
  return {
    ...report,
    ...(floor === null ? {} : { measurementFloor: floor }),
    ...(st == null ? {} : { streaming: { ...st, serverClock } }),
    ...(requestClock === undefined ? {} : { requestClock }),
    notes: [...report.notes, ...(floor === null ? [] : verdictsInsideFloor(report.verdicts, floor))],
  };
}
