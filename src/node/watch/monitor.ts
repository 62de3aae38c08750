/**
 * Watching the server during each scenario: /proc samples of its process (resources.ts), its
 * /metrics counters before and after (cross-checked with k6's counts through a server profile),
 * the series its profile names scraped during the load (telemetry.ts, with their cost to the
 * server measured once, scrape-cost.ts), and SVG plots of memory, CPU and latency over time in the
 * scenario's folder. Every plot has a bounded number of points (latency: one per time window, as
 * percentile bands), so its size does not depend on the number of requests or the run's length.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { readJsonFile } from '../files/json-file.js';
import type { ResourcesReport, ServerProfile, TelemetryReport } from '../../core/types.js';
import { TelemetryLog } from '../../core/scrape/telemetry.js';
import { deltas, parsePrometheusText, type Sample } from '../../core/scrape/prometheus.js';
import { bandChart } from '../../core/charts/band-chart.js';
import { downsample } from '../../core/watch/downsample.js';
import { latencyBands, LatencyWindows } from '../../core/watch/latency-windows.js';
import { summarizeResources } from '../../core/watch/resources.js';
import { lineChart } from '../../core/charts/svg.js';
import { validateServerProfile } from '../../generated/file-validators.cjs';
import { K6_FILES } from '../../core/contract.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { ROOT, shown } from '../files/paths.js';
import { recordWriteFailure } from '../files/keep-files.js';
import { writeAtomic } from '../files/report-files.js';
import { ResourceSampler, type SampleTarget } from './resources.js';
import { measureScrapeCost, scrapeCostReport, type ScrapeCost } from './scrape-cost.js';
import { scrapeOnce, TelemetryScraper } from './telemetry.js';
import { readRequestTimeline } from './timeline.js';
import { addWindowTo } from '../../core/windows/feed.js';
import { scanWindows } from './windows-read.js';

export const SAMPLE_INTERVAL_MS = 250;
/** Most points in a memory or CPU plot, whatever the run's length. */
export const PLOT_POINTS = 300;

/** The leak check ignores the first fifth of the requests: allocators and caches grow once. */
export const LEAK_WARMUP_FRACTION = 0.2;

export async function loadServerProfile(nameOrFile: string): Promise<ServerProfile> {
  const file =
    nameOrFile.includes('/') || nameOrFile.endsWith('.json')
      ? path.resolve(nameOrFile)
      : path.join(ROOT, 'profiles', `${nameOrFile}.json`);
  if (!existsSync(file)) {
    throw new ValidationError('--server-profile', [
      {
        path: '',
        expected: 'a profile name in profiles/ or a profile file',
        found: `'${nameOrFile}' (no ${shown(file)})`,
      },
    ]);
  }
  return readJsonFile(file, validateServerProfile, 'a server profile');
}

export async function scrape(baseUrl: string, profile: ServerProfile): Promise<Sample[] | null> {
  try {
    const res = await fetch(`${baseUrl}${profile.metricsPath}`, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) return null;
    return parsePrometheusText(await res.text(), `${baseUrl}${profile.metricsPath}`);
  } catch {
    return null;
  }
}

export interface ScenarioWatch {
  startMs: number;
  before: Sample[] | null;
  /** The series scraped during the load, when the profile names any and scraping is on. */
  scraper: TelemetryScraper | null;
  /** The server's CPU time when the scenario started (null: its process is not known). */
  cpuSecAtStart: number | null;
}

/** Scraping during the load: every intervalSec (0: off), second 0 being the run's start. */
export interface TelemetryOptions {
  intervalSec: number;
  originMs: number;
}

export class ServerMonitor {
  readonly sampler: ResourceSampler | null;
  /** What one scrape costs the server, measured before the first scenario's load. */
  private scrapeCost: Promise<ScrapeCost | null> | null = null;
  /** The scenario's scraper, stopped by stop() should the scenario end without afterScenario. */
  private scraping: TelemetryScraper | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly target: SampleTarget | null,
    private readonly profile: ServerProfile | null,
    private readonly telemetry: TelemetryOptions | null = null,
  ) {
    this.sampler = target === null ? null : new ResourceSampler(target, SAMPLE_INTERVAL_MS).start();
  }

  async beforeScenario(): Promise<ScenarioWatch> {
    const follow =
      this.telemetry !== null &&
      this.telemetry.intervalSec > 0 &&
      this.profile !== null &&
      TelemetryLog.follows(this.profile);
    if (follow && this.target !== null) {
      const [target, profile] = [this.target, this.profile!];
      this.scrapeCost ??= measureScrapeCost(target, () =>
        scrapeOnce(this.baseUrl, profile).then(
          () => true,
          () => false,
        ),
      );
      await this.scrapeCost;
    }
    const cpuSecAtStart = this.sampler?.take().cpuSec ?? null;
    const before = this.profile === null ? null : await scrape(this.baseUrl, this.profile);
    const scraper = follow ? new TelemetryScraper(this.baseUrl, this.profile!, this.telemetry!).start() : null;
    this.scraping = scraper;
    return { startMs: Date.now(), before, scraper, cpuSecAtStart };
  }

  /** The scenario's telemetry section, its scrapes' cost set against the server's CPU time meanwhile. */
  private async telemetryOf(watch: ScenarioWatch, cpuSecAtEnd: number | null): Promise<TelemetryReport | null> {
    if (watch.scraper === null) return null;
    const serverCpuSec =
      watch.cpuSecAtStart === null || cpuSecAtEnd === null ? null : Math.max(0, cpuSecAtEnd - watch.cpuSecAtStart);
    const why =
      this.target === null
        ? "the server's process is not known (--no-server without --server-pid), so what the scrapes cost it was " +
          'not measured'
        : "a scrape before the load failed, or /proc gave no schedstat for the server's threads, so what the " +
          'scrapes cost it was not measured';
    const cost = this.scrapeCost === null ? null : await this.scrapeCost;
    return watch.scraper.report(scrapeCostReport(cost, watch.scraper.scrapes, serverCpuSec, why));
  }

  /** Everything measured for the scenario that just ended, plots written into its folder. */
  async afterScenario(
    watch: ScenarioWatch,
    outDir: string,
    runDir: string,
    read: {
      /** Where k6 wrote its samples or windows (default outDir; a split run's runners each have one). */
      k6Dirs?: readonly string[];
      /** The time the timeline, drift and leak follow: the plan's (a stream's end-to-end time). */
      latencyMetric?: string;
    } = {},
  ): Promise<{
    resources: ResourcesReport | null;
    prometheus: { profile: ServerProfile; deltas: Record<string, number | null> } | null;
    telemetry: TelemetryReport | null;
    /** When the scenario's load started (second 0 of the resource series), ms since the epoch. */
    startMs: number;
    plots: string[];
    /** From the first request's start to the last one's end, in seconds (null: no request seen). */
    loadSec: number | null;
    /** The same span in ms since the epoch (the load generator's CPU is judged over it). */
    loadWindow: { startMs: number; endMs: number } | null;
  }> {
    const endMs = Date.now();
    await watch.scraper?.stop();
    const cpuSecAtEnd = this.sampler?.take().cpuSec ?? null;
    const telemetry = await this.telemetryOf(watch, cpuSecAtEnd);
    const after = this.profile === null ? null : await scrape(this.baseUrl, this.profile);
    // Streamed into bounded windows: memory does not grow with the number of requests.
    const latencyMetric = read.latencyMetric ?? K6_METRICS.latency;
    let timeline: LatencyWindows | null = null;
    for (const dir of read.k6Dirs ?? [outDir]) {
      const samples = path.join(dir, K6_FILES.samples);
      timeline = (await readRequestTimeline(samples, latencyMetric, timeline ?? undefined)) ?? timeline;
      // Without --samples: the windows k6 aggregated itself.
      if (existsSync(samples)) continue;
      const into = timeline ?? new LatencyWindows();
      const seen = await scanWindows(path.join(dir, K6_FILES.windows), (w) => addWindowTo(into, w), latencyMetric);
      if (seen !== null && seen > 0) timeline = into;
    }

    const resources =
      this.sampler === null || this.target === null
        ? null
        : summarizeResources({
            target: this.target.kind === 'group' ? `process group ${this.target.pgid}` : `pid ${this.target.pid}`,
            intervalMs: SAMPLE_INTERVAL_MS,
            cores: os.availableParallelism(),
            samples: this.sampler.samples,
            window: { startMs: watch.startMs, endMs },
            timeline,
            warmupFraction: LEAK_WARMUP_FRACTION,
          });
    const prometheus =
      this.profile === null || watch.before === null || after === null
        ? null
        : {
            profile: this.profile,
            deltas: deltas(
              watch.before,
              after,
              this.profile.counters.map((c) => c.name),
            ),
          };

    const plots: string[] = [];
    const plot = async (file: string, svg: string): Promise<void> => {
      try {
        await writeAtomic(path.join(outDir, file), svg);
        plots.push(path.relative(runDir, path.join(outDir, file)));
      } catch (err) {
        // A full or vanished disk costs the plot, never the scenario's figures; the run's final
        // error lists it.
        recordWriteFailure(path.join(outDir, file), err);
      }
    };
    if (resources !== null && resources.series.length > 1) {
      // A sample every 250 ms is 14,400 points an hour: plots keep at most PLOT_POINTS.
      const rss = downsample(
        resources.series.map((s) => ({ x: s.tSec, y: s.rssMb })),
        PLOT_POINTS,
        'max',
      );
      await plot(
        'memory.svg',
        lineChart({
          title: 'Server resident memory',
          xLabel: 'seconds since the load started',
          yLabel: 'RSS (MB)',
          series: [{ name: 'RSS (peak per point)', points: rss }],
        }),
      );
      const cpu = downsample(
        resources.series.filter((s) => s.cpuPctOfOneCore !== null).map((s) => ({ x: s.tSec, y: s.cpuPctOfOneCore! })),
        PLOT_POINTS,
        'mean',
      );
      if (cpu.length > 1)
        await plot(
          'cpu.svg',
          lineChart({
            title: 'Server CPU',
            xLabel: 'seconds since the load started',
            yLabel: '% of one core',
            series: [{ name: 'CPU', points: cpu }],
          }),
        );
    }
    if (timeline !== null && timeline.total > 1) {
      const series = latencyBands(timeline, watch.startMs);
      const points = Math.max(...series.map((s) => s.points.length));
      const title = `Request latency: percentiles in ${points} time windows (${timeline.total} requests)`;
      await plot(
        'latency.svg',
        bandChart({ title, xLabel: 'seconds since the load started', yLabel: 'latency (ms)', series }),
      );
    }
    const loadSec =
      timeline === null || timeline.total === 0 ? null : (timeline.lastEndMs - timeline.firstStartMs) / 1000;
    const loadWindow =
      timeline === null || timeline.total === 0 ? null : { startMs: timeline.firstStartMs, endMs: timeline.lastEndMs };
    return { resources, prometheus, telemetry, startMs: watch.startMs, plots, loadSec, loadWindow };
  }

  stop(): void {
    this.sampler?.stop();
    void this.scraping?.stop();
  }
}
