/**
 * The server's own metrics over time: each scrape taken during the load (src/node/watch/telemetry.ts)
 * is read against the server profile — its gauges as they are, its rates as a counter's growth per
 * second since the scrape before, llama.cpp's KV cache from its slot monitor — into bounded series
 * (src/core/scrape/bounded-series.ts), and then into the report's telemetry section. Pure.
 */
import type { ServerProfile, ServerSeries, TelemetryReport, TelemetrySeries } from '../types.js';
import { BoundedSeries } from './bounded-series.js';
import { metricValue, type Sample } from './prometheus.js';

/** Most points a series keeps, whatever the run's length. */
export const TELEMETRY_POINTS = 300;

/** The KV-cache series read from llama.cpp's slot monitor, named after where it comes from. */
export const SLOTS_SERIES_NAME = 'slots:kv_cache_usage';

/** One scrape: when it was taken, what /metrics said, and the KV cache /slots gave (when asked). */
export interface Reading {
  tMs: number;
  samples: readonly Sample[];
  /** % of the context held by busy slots; null when /slots was not read or not understood. */
  slotsKvPct?: number | null;
}

type Kind = TelemetrySeries['kind'];

interface Track {
  spec: ServerSeries;
  kind: Kind;
  series: BoundedSeries;
  /** A rate's counter at the scrape before. */
  previous: { tMs: number; value: number } | null;
}

/**
 * llama.cpp's GET /slots → the % of the context the slots processing a request hold: each slot's
 * `n_prompt_tokens` (its cached sequence, prompt and tokens generated so far) over every slot's
 * `n_ctx`. An idle slot's cached prompt is not counted: it is reused or dropped at the next request.
 * Null when the body is not a list of slots.
 */
export function kvCachePctFromSlots(body: unknown): number | null {
  if (!Array.isArray(body) || body.length === 0) return null;
  let used = 0;
  let total = 0;
  for (const slot of body as unknown[]) {
    if (typeof slot !== 'object' || slot === null) return null;
    const s = slot as Record<string, unknown>;
    if (typeof s['n_ctx'] !== 'number') return null;
    total += s['n_ctx'];
    if (s['is_processing'] === true && typeof s['n_prompt_tokens'] === 'number') used += s['n_prompt_tokens'];
  }
  return total > 0 ? (used / total) * 100 : null;
}

const round = (n: number, digits = 6): number => Number(n.toPrecision(digits));

export class TelemetryLog {
  private readonly tracks: Track[];
  private readonly slots: Track | null;
  private read = 0;

  /** @param originMs second 0 of the series: the run's start, as for the report's timeline. */
  constructor(
    private readonly profile: ServerProfile,
    private readonly originMs: number,
    maxPoints = TELEMETRY_POINTS,
  ) {
    const track = (spec: ServerSeries, kind: Kind): Track => ({
      spec,
      kind,
      series: new BoundedSeries(maxPoints),
      previous: null,
    });
    this.tracks = [
      ...(profile.gauges ?? []).map((s) => track(s, 'gauge')),
      ...(profile.rates ?? []).map((s) => track(s, 'rate')),
    ];
    this.slots =
      profile.slots === undefined
        ? null
        : track(
            {
              name: SLOTS_SERIES_NAME,
              label: 'KV cache in use',
              unit: '%',
              role: 'kv-cache',
              ...(profile.slots.note === undefined ? {} : { note: profile.slots.note }),
            },
            'slots',
          );
  }

  /** Whether the profile names any series to follow. */
  static follows(profile: ServerProfile): boolean {
    return (profile.gauges?.length ?? 0) + (profile.rates?.length ?? 0) > 0 || profile.slots !== undefined;
  }

  add(r: Reading): void {
    this.read++;
    const tSec = (r.tMs - this.originMs) / 1000;
    for (const t of this.tracks) {
      const raw = metricValue(r.samples, t.spec.name);
      if (raw === null) continue;
      const value = raw * (t.spec.scale ?? 1);
      if (t.kind === 'gauge') {
        t.series.add(tSec, value);
        continue;
      }
      const before = t.previous;
      t.previous = { tMs: r.tMs, value };
      // A counter that went down was reset (the server restarted): no rate across the reset.
      if (before === null || value < before.value || r.tMs <= before.tMs) continue;
      t.series.add(tSec, ((value - before.value) * 1000) / (r.tMs - before.tMs));
    }
    if (this.slots !== null && r.slotsKvPct != null) this.slots.series.add(tSec, r.slotsKvPct);
  }

  report(o: Pick<TelemetryReport, 'intervalSec' | 'scrapes' | 'cost'>): TelemetryReport {
    const all = this.slots === null ? this.tracks : [...this.tracks, this.slots];
    // A rate needs two readings: one scrape that found its counter is no sign it is missing.
    const seen = (t: Track): boolean => t.series.count > 0 || t.previous !== null;
    const series: TelemetrySeries[] = all
      .filter((t) => t.series.count > 0)
      .map((t) => ({
        name: t.spec.name,
        label: t.spec.label,
        unit: t.spec.unit,
        kind: t.kind,
        role: t.spec.role ?? null,
        ...(t.spec.note === undefined ? {} : { note: t.spec.note }),
        samples: t.series.count,
        min: round(t.series.min),
        max: round(t.series.max),
        mean: t.series.mean === null ? null : round(t.series.mean),
        points: t.series.points().map((p) => ({
          tSec: round(p.tSec, 7),
          value: round(p.value),
          min: round(p.min),
          max: round(p.max),
        })),
      }));
    return {
      profile: this.profile.name,
      intervalSec: o.intervalSec,
      originAt: new Date(this.originMs).toISOString(),
      scrapes: o.scrapes,
      cost: o.cost,
      series,
      notExported: this.read === 0 ? [] : all.filter((t) => !seen(t)).map((t) => t.spec.name),
    };
  }
}

/** The highest value any series of `role` reached (a rule's figure); null when none was read. */
export function roleMax(telemetry: TelemetryReport | null | undefined, role: 'queue' | 'kv-cache'): number | null {
  const maxes = (telemetry?.series ?? []).filter((s) => s.role === role && s.max !== null).map((s) => s.max!);
  return maxes.length === 0 ? null : Math.max(...maxes);
}
