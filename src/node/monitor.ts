/**
 * Watching the server during each scenario: /proc samples of its process (resources.ts), its
 * /metrics counters before and after (cross-checked with k6's counts through a server profile),
 * and SVG plots of memory, CPU and latency over time in the scenario's folder.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../core/errors/ValidationError.js';
import { readJsonFile } from './json-file.js';
import type { ResourcesReport, ServerProfile } from '../core/model.js';
import { deltas, parsePrometheusText, type Sample } from '../core/prometheus.js';
import { summarizeResources, type RequestPoint } from '../core/resources.js';
import { lineChart } from '../core/svg.js';
import { validateServerProfile } from '../generated/file-validators.cjs';
import { SAMPLES_FILE } from './k6.js';
import { ROOT, shown } from './paths.js';
import { writeAtomic } from './report-files.js';
import { ResourceSampler, type SampleTarget } from './resources.js';
import { readRequestTimeline } from './timeline.js';

export const SAMPLE_INTERVAL_MS = 250;
/** The leak check ignores the first fifth of the requests: allocators and caches grow once. */
export const LEAK_WARMUP_FRACTION = 0.2;

export async function loadServerProfile(nameOrFile: string): Promise<ServerProfile> {
  const file = nameOrFile.includes('/') || nameOrFile.endsWith('.json') ? path.resolve(nameOrFile) : path.join(ROOT, 'profiles', `${nameOrFile}.json`);
  if (!existsSync(file)) {
    throw new ValidationError('--server-profile', [{ path: '', expected: 'a profile name in profiles/ or a profile file', found: `'${nameOrFile}' (no ${shown(file)})` }]);
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
}

export class ServerMonitor {
  readonly sampler: ResourceSampler | null;

  constructor(
    private readonly baseUrl: string,
    private readonly target: SampleTarget | null,
    private readonly profile: ServerProfile | null,
  ) {
    this.sampler = target === null ? null : new ResourceSampler(target, SAMPLE_INTERVAL_MS).start();
  }

  async beforeScenario(): Promise<ScenarioWatch> {
    this.sampler?.take();
    const before = this.profile === null ? null : await scrape(this.baseUrl, this.profile);
    return { startMs: Date.now(), before };
  }

  /** Everything measured for the scenario that just ended, plots written into its folder. */
  async afterScenario(
    watch: ScenarioWatch,
    outDir: string,
    runDir: string,
  ): Promise<{ resources: ResourcesReport | null; prometheus: { profile: ServerProfile; deltas: Record<string, number | null> } | null; plots: string[] }> {
    const endMs = Date.now();
    this.sampler?.take();
    const after = this.profile === null ? null : await scrape(this.baseUrl, this.profile);
    const timeline = await readRequestTimeline(path.join(outDir, SAMPLES_FILE));
    const requests: RequestPoint[] | null = timeline?.map((e) => ({ tMs: e.tMs, latencyMs: e.latencyMs })) ?? null;

    const resources =
      this.sampler === null || this.target === null
        ? null
        : summarizeResources({
            target: this.target.kind === 'group' ? `process group ${this.target.pgid}` : `pid ${this.target.pid}`,
            intervalMs: SAMPLE_INTERVAL_MS,
            cores: os.availableParallelism(),
            samples: this.sampler.samples,
            window: { startMs: watch.startMs, endMs },
            requests,
            warmupFraction: LEAK_WARMUP_FRACTION,
          });
    const prometheus =
      this.profile === null || watch.before === null || after === null
        ? null
        : { profile: this.profile, deltas: deltas(watch.before, after, this.profile.counters.map((c) => c.name)) };

    const plots: string[] = [];
    const plot = async (file: string, svg: string): Promise<void> => {
      await writeAtomic(path.join(outDir, file), svg);
      plots.push(path.relative(runDir, path.join(outDir, file)));
    };
    if (resources !== null && resources.series.length > 1) {
      await plot('memory.svg', lineChart({ title: 'Server resident memory', xLabel: 'seconds since the load started', yLabel: 'RSS (MB)', series: [{ name: 'RSS', points: resources.series.map((s) => ({ x: s.tSec, y: s.rssMb })) }] }));
      const cpu = resources.series.filter((s) => s.cpuPctOfOneCore !== null).map((s) => ({ x: s.tSec, y: s.cpuPctOfOneCore! }));
      if (cpu.length > 1) await plot('cpu.svg', lineChart({ title: 'Server CPU', xLabel: 'seconds since the load started', yLabel: '% of one core', series: [{ name: 'CPU', points: cpu }] }));
    }
    if (timeline !== null && timeline.length > 1) {
      const byEndpoint = new Map<string, { x: number; y: number }[]>();
      for (const e of timeline) {
        const key = e.endpoint ?? 'requests';
        const points = byEndpoint.get(key) ?? [];
        points.push({ x: (e.tMs - watch.startMs) / 1000, y: e.latencyMs });
        byEndpoint.set(key, points);
      }
      await plot(
        'latency.svg',
        lineChart({ title: 'Request latency', xLabel: 'seconds since the load started', yLabel: 'latency (ms)', series: [...byEndpoint].map(([name, points]) => ({ name, points })) }),
      );
    }
    return { resources, prometheus, plots };
  }

  stop(): void {
    this.sampler?.stop();
  }
}
