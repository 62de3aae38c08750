/**
 * A streamed scenario's measurement floor, taken just before its load (--calibrate, the default;
 * src/node/calibrate/floor.ts), and what the scenario's report gains from it afterwards: the floor
 * itself, each TTFT's time before the prompt split by it, a note for each verdict whose margin lies
 * inside it — and, floor or not, the request ids of the streams whose token counts differ, from k6.log.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { verdictsInsideFloor } from '../../core/stream/floor.js';
import { mismatchedRequestIds } from '../../core/stream/server-clock.js';
import { splitByFloor } from '../../core/stream/server-clock-breakdown.js';
import type { MeasurementFloor, ScenarioPlan, ScenarioReport } from '../../core/types.js';
import { FLOOR_GAP_MS, measureFloor } from '../calibrate/floor.js';
import type { RunConfig } from '../config/index.js';
import { log } from '../process/log.js';
import type { RunControl } from './run.js';

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
  try {
    const floor = await measureFloor({
      k6: o.k6,
      script: o.script,
      workDir: o.outDir,
      clients,
      api: stream.api,
      gapMs: FLOOR_GAP_MS,
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
  const ids = existsSync(logFile) ? mismatchedRequestIds(await readFile(logFile, 'utf8')) : [];
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
          ...(ids.length === 0 ? {} : { mismatchedRequestIds: ids }),
        };
  if (floor === null && serverClock === clock) return report;
  return {
    ...report,
    ...(floor === null ? {} : { measurementFloor: floor }),
    ...(st == null ? {} : { streaming: { ...st, serverClock } }),
    notes: [...report.notes, ...(floor === null ? [] : verdictsInsideFloor(report.verdicts, floor))],
  };
}
