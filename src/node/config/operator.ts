/** npm run k6:operator -- <scenario> --parallelism N [options]. */
import path from 'node:path';
import { OPERATOR } from '../flags/commands.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { file, invalid } from '../flags/values.js';
import { cacheDirFrom } from './cache.js';
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
  help: boolean;
}

export const OPERATOR_USAGE = usageText(OPERATOR);

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
    help,
  };
  f.done();
  return config;
}
