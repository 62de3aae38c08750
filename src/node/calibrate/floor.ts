/**
 * The measurement floor (--calibrate): just before a streamed scenario, the same k6 script and
 * browser set-up run for a few seconds against the reference stream server at the scenario's
 * concurrency, on this machine, and the client's TTFT and inter-token latency are set against the
 * server's own writes (src/core/stream/reference-truth.ts). What remains is the client's bias: how far
 * off a figure of the run can be before the server has anything to do with it. The report keeps it
 * (measurementFloor), splits each TTFT's time before the prompt by it, and says when a verdict's
 * margin lies inside it; compare never calls a change smaller than it a change.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { FLOOR_GAP, floorOf, floorTokens } from '../../core/stream/floor.js';
import type { MeasurementFloor } from '../../core/types.js';
import { runAgainstReference } from './reference-run.js';

export interface FloorOptions {
  k6: string;
  script: string;
  /** A scratch folder, removed afterwards. */
  workDir: string;
  clients: number;
  api: 'realizar' | 'openai';
  /** The reference server's gap between tokens, and where it came from (floorGap). */
  gapMs: number;
  gapFrom?: string;
}

/** Streams per client: enough for p95 at a few clients, few enough to stay within seconds. */
export const FLOOR_REQUESTS_PER_CLIENT = 3;
export const FLOOR_FIRST_TOKEN_MS = 50;
/** The reference server's default gap between tokens: a small model's pace on a CPU. */
export const FLOOR_GAP_MS = FLOOR_GAP.defaultMs;

/** Null when the calibration measured nothing (k6 failed, no stream completed). */
export async function measureFloor(o: FloorOptions): Promise<MeasurementFloor | null> {
  const outDir = path.join(o.workDir, 'calibrate');
  try {
    const run = await runAgainstReference({
      k6: o.k6,
      script: o.script,
      outDir,
      clients: o.clients,
      requests: Math.max(o.clients * FLOOR_REQUESTS_PER_CLIENT, 10),
      api: o.api,
      firstTokenMs: FLOOR_FIRST_TOKEN_MS,
      gapMs: o.gapMs,
      tokens: floorTokens(o.gapMs),
    });
    const { clients, gapMs, gapFrom } = o;
    return floorOf({
      clients,
      gapMs,
      ...(gapFrom === undefined ? {} : { gapFrom }),
      metrics: run.metrics,
      truth: run.truth.requests,
    });
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
