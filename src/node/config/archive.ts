/**
 * What a k6 archive runs and carries (npm run k6:cloud, npm run k6:operator): the flags that shape a run's load,
 * read as a run reads them (src/node/config/run.ts) — the shape, the requests, the gate and API, the arrivals,
 * the workload — and where the workload's tokens are counted. The archive records them as the k6 variables a run
 * here passes, and packs the files they name (src/node/k6/archive-load.ts).
 */
import type { ApiName } from '../../core/target/routes.js';
import type { FlagValues } from '../flags/declare.js';
import { invalid, url } from '../flags/values.js';
import { arrivalsOf, gateOf, requestsOf, type RunConfig } from './run.js';
import { apiGivenOf, modelOf } from './target.js';
import { workloadOf, type WorkloadFlags } from './workload.js';

export interface ArchiveLoad
  extends
    WorkloadFlags,
    Pick<
      RunConfig,
      'gate' | 'mix' | 'shape' | 'timeoutSec' | 'promptsFile' | 'arrivals' | 'seed' | 'trace' | 'goodput'
    > {
  api: ApiName;
  model: string;
  /** --tokenizer-url, without trailing slashes; null: the command's --base-url. */
  tokenizerUrl: string | null;
}

export function archiveLoadOf(f: FlagValues, cwd: string): ArchiveLoad {
  // The archive does not know the server's make, so it sends no cache field: there is no --prompt-cache.
  const workload = workloadOf(f, cwd, { trace: f.has('--trace'), prompts: f.has('--prompts'), promptCache: false });
  const tokenizerUrl = f.value('--tokenizer-url', (flag, text) => url(flag, text).href.replace(/\/+$/, '')) ?? null;
  if (tokenizerUrl !== null && workload.workload === null)
    invalid('--tokenizer-url', 'a workload option beside it (--input-tokens, --dataset, --turns...)', tokenizerUrl);
  return {
    ...requestsOf(f, cwd),
    gate: gateOf(f),
    ...arrivalsOf(f, cwd),
    ...workload,
    promptCache: false,
    // Without a make, Realizar's API, as k6 takes it without -e API.
    api: apiGivenOf(f) ?? 'realizar',
    model: modelOf(f),
    tokenizerUrl,
  };
}
