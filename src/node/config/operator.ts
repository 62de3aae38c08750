/** npm run k6:operator -- <scenario> --parallelism N [options]. */
import path from 'node:path';
import { OPERATOR } from '../flags/commands-cluster.js';
import { parseFlags, usageText, type FlagValues } from '../flags/declare.js';
import { DEFAULT_MERGE_IMAGE, DEFAULT_RESULTS_SIZE } from '../../core/commands/operator-results.js';
import { file, invalid } from '../flags/values.js';
import { cacheDirFrom } from './cache.js';
import { archiveLoadOf, type ArchiveLoad } from './archive.js';
import { baseUrlOf, scenarioOf } from './cloud.js';

export interface OperatorConfig {
  scenario: string;
  /** A scenario file of one's own (absolute), or null for a built-in scenario. */
  scenarioFile: string | null;
  parallelism: number;
  /** TestRun name; null: realizar-k6-<scenario>. */
  name: string | null;
  namespace: string | null;
  baseUrl: string;
  baseHost: string;
  /** Where run folders go (default reports/operator). */
  outDir: string;
  k6Path: string | null;
  cacheDir: string;
  /** null: grafana/k6 at the version of the k6 that made the archive. */
  runnerImage: string | null;
  separate: boolean;
  cleanup: boolean;
  /** The results volume and the merge; null: --no-merge. */
  results: { storageClass: string | null; size: string; mergeImage: string } | null;
  /** The load the archive runs and what its requests carry (src/node/config/archive.ts). */
  load: ArchiveLoad;
  help: boolean;
}

export const OPERATOR_USAGE = usageText(OPERATOR);

/** The results volume's settings; their Kubernetes rules are checked with the manifests. */
function resultsOf(f: FlagValues): OperatorConfig['results'] {
  const given = {
    storageClass: f.text('--storage-class'),
    size: f.text('--results-size'),
    mergeImage: f.text('--merge-image'),
  };
  if (f.has('--no-merge')) {
    const clash = Object.entries({
      '--storage-class': given.storageClass,
      '--results-size': given.size,
      '--merge-image': given.mergeImage,
    }).find(([, v]) => v !== undefined);
    if (clash !== undefined)
      invalid(clash[0], 'no --no-merge beside it (without a merge there is no results volume)', clash[1]);
    return null;
  }
  return {
    storageClass: given.storageClass ?? null,
    size: given.size ?? DEFAULT_RESULTS_SIZE,
    mergeImage: given.mergeImage ?? DEFAULT_MERGE_IMAGE,
  };
}

export function parseOperatorConfig(
  argv: readonly string[],
  available: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): OperatorConfig {
  const f = parseFlags(OPERATOR, argv);
  const help = f.has('--help');
  let which = { scenario: '', scenarioFile: null as string | null };
  let parallelism = 1;
  const parallelismText = f.text('--parallelism');
  if (!help) {
    which = scenarioOf(f.positionals[0], available, cwd);
    if (parallelismText === undefined)
      invalid('--parallelism', 'the number of k6 runner pods, e.g. --parallelism 4', undefined);
    const n = Number(parallelismText);
    if (!/^\d+$/.test(parallelismText) || !Number.isSafeInteger(n) || n < 1 || n > 2147483647)
      invalid('--parallelism', 'a whole number from 1 to 2147483647', parallelismText);
    parallelism = n;
  }
  const { baseUrl, host } = baseUrlOf('--base-url', f.text('--base-url'));
  const runnerImage = f.text('--runner-image') ?? null;
  if (runnerImage !== null && !/^\S+$/.test(runnerImage))
    invalid('--runner-image', 'a container image reference, e.g. grafana/k6:1.8.1', runnerImage);
  // Kubernetes naming rules are checked with the manifests (src/core/commands/operator.ts), where they live.
  const config: OperatorConfig = {
    ...which,
    parallelism,
    name: f.text('--name') ?? null,
    namespace: f.text('--namespace') ?? null,
    baseUrl,
    baseHost: host,
    outDir: path.resolve(cwd, f.text('--out-dir') ?? path.join('reports', 'operator')),
    k6Path: f.value('--k6', file(cwd)) ?? null,
    cacheDir: cacheDirFrom(env),
    runnerImage,
    separate: f.has('--separate'),
    cleanup: f.has('--cleanup'),
    results: resultsOf(f),
    load: archiveLoadOf(f, cwd),
    help,
  };
  f.done();
  return config;
}
