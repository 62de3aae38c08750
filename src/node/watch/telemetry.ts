/**
 * The server's own metrics during the load: GET <metricsPath> every --scrape-interval seconds (and,
 * for llama.cpp, GET /slots beside it), each answer read against the server profile into bounded
 * series (src/core/scrape/telemetry.ts). A scrape never overlaps the one before: a slow answer makes
 * the next wait, not pile up. A scrape that fails — no answer, a status other than 200, a timeout,
 * text that is not the Prometheus format — is counted and its reason kept; it never stops the run.
 */
import type { ServerProfile, TelemetryReport } from '../../core/types.js';
import { kvCachePctFromSlots, TelemetryLog } from '../../core/scrape/telemetry.js';
import { parsePrometheusText, type Sample } from '../../core/scrape/prometheus.js';

/** A scrape that has not answered by then has failed. */
export const SCRAPE_TIMEOUT_MS = 5000;

/** Why a request failed, in a few words: the cause's code for a refused connection, not fetch's "fetch failed". */
export function describeFailure(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${SCRAPE_TIMEOUT_MS / 1000} s`;
  if (e.cause?.code !== undefined) return e.cause.code;
  return (e.message ?? String(err)).split('\n')[0]!;
}

async function get(url: string): Promise<Response> {
  const res = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new Error(`GET ${new URL(url).pathname} answered ${res.status}`);
  }
  return res;
}

/** One scrape, read: /metrics's samples, and /slots's KV cache when the profile asks for it. */
export async function scrapeOnce(
  baseUrl: string,
  profile: ServerProfile,
): Promise<{ samples: Sample[]; slotsKvPct: number | null }> {
  const url = `${baseUrl}${profile.metricsPath}`;
  const [samples, slotsKvPct] = await Promise.all([
    get(url).then(async (res) => parsePrometheusText(await res.text(), url)),
    profile.slots === undefined
      ? Promise.resolve(null)
      : get(`${baseUrl}${profile.slots.path}`).then(async (res) => {
          const kv = kvCachePctFromSlots(await res.json());
          if (kv === null) throw new Error(`GET ${profile.slots!.path} answered no list of slots`);
          return kv;
        }),
  ]);
  return { samples, slotsKvPct };
}

export class TelemetryScraper {
  private readonly log: TelemetryLog;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private attempted = 0;
  private failed = 0;
  private lastFailure: string | null = null;
  private okCount = 0;
  private okMsSum = 0;
  private okMsMax = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly profile: ServerProfile,
    private readonly o: { intervalSec: number; originMs: number },
  ) {
    this.log = new TelemetryLog(profile, o.originMs);
  }

  start(): this {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.o.intervalSec * 1000);
    // Scraping must never keep the runner alive on its own.
    this.timer.unref();
    return this;
  }

  /** How many scrapes were started so far. */
  get scrapes(): number {
    return this.attempted;
  }

  private tick(): void {
    if (this.inFlight !== null) return;
    this.inFlight = this.take().finally(() => (this.inFlight = null));
  }

  private async take(): Promise<void> {
    this.attempted++;
    const t0 = Date.now();
    try {
      const { samples, slotsKvPct } = await scrapeOnce(this.baseUrl, this.profile);
      const t1 = Date.now();
      this.okCount++;
      this.okMsSum += t1 - t0;
      this.okMsMax = Math.max(this.okMsMax, t1 - t0);
      // The server answered somewhere between the request and the answer: the middle is the best guess.
      this.log.add({ tMs: (t0 + t1) / 2, samples, slotsKvPct });
    } catch (err) {
      this.failed++;
      this.lastFailure = describeFailure(err);
    }
  }

  /** Stops scraping; a scrape under way is waited for. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** The report's section, with what the scrapes cost the server (src/node/watch/scrape-cost.ts). */
  report(cost: TelemetryReport['cost']): TelemetryReport {
    const ms = (n: number): number => Number(n.toFixed(3));
    return this.log.report({
      intervalSec: this.o.intervalSec,
      scrapes: {
        attempted: this.attempted,
        failed: this.failed,
        meanMs: this.okCount === 0 ? null : ms(this.okMsSum / this.okCount),
        maxMs: this.okCount === 0 ? null : ms(this.okMsMax),
        lastFailure: this.lastFailure,
      },
      cost,
    });
  }
}
