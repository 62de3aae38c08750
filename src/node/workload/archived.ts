/**
 * The workload of a k6 archive (k6 cloud, the k6-operator). Its lines are made here, before `k6 archive`, for the
 * plan k6 resolves from the archive (the scenario as defined: these commands take no shape), and written into the
 * run folder, where the script's init opens them, so `k6 archive` packs them: the cloud's load generators and every
 * runner Pod read the same lines, on whatever machine they run. Their tokens are counted by a server this machine
 * reaches (--tokenizer-url, else the --base-url), since the load's target is often not one of them.
 */
import { K6_VARS, type K6VarValues } from '../../core/contract.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { resolvePlan } from '../../core/plan/plan.js';
import type { ScenarioPlan } from '../../core/types.js';
import type { ArchiveWorkload, WorkloadRunConfig } from '../config/workload.js';
import { log } from '../process/log.js';
import { loadOwnScenario } from '../own/own-scenario.js';
import { endpointRoute, scenarioSource } from '../run/plans.js';
import { workloadVars } from './materialise.js';
import { plannedWorkload } from './plan.js';
import { runWorkloadSource } from './source.js';
import { serverTokenizer } from './tokenizer.js';

/** What an archive's workload is made for: the command's scenario, target and workload options. */
export interface ArchiveTarget {
  scenario: string;
  scenarioFile: string | null;
  baseUrl: string;
  k6Path: string | null;
  cacheDir: string;
  workload: ArchiveWorkload;
}

// The archive sends no -e API, MODEL or SERVER: k6 takes their fallbacks, and so does the plan made here.
const API = K6_VARS.API.fallback;

const configs = new WeakMap<ArchiveTarget, WorkloadRunConfig>();

/** The workload as making it reads a command: a server of unknown make at the tokenizer's address. */
function runConfigOf(t: ArchiveTarget): WorkloadRunConfig {
  let config = configs.get(t);
  if (config !== undefined) return config;
  const at = t.workload.tokenizerUrl ?? t.baseUrl;
  const u = new URL(at);
  config = {
    ...t.workload,
    trace: null,
    manageServer: false,
    host: u.hostname,
    port: Number(u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : u.port),
    baseUrl: at,
    server: null,
    modelFile: null,
    serverCmd: null,
    k6Path: t.k6Path,
    cacheDir: t.cacheDir,
    healthTimeoutSec: 0,
    allowRemote: true,
    api: API,
    model: K6_VARS.MODEL.fallback,
    apiKey: null,
  };
  configs.set(t, config);
  return config;
}

/** The plan k6 resolves from the archive: no variable but BASE_URL and the workload's. */
async function archivePlan(t: ArchiveTarget): Promise<ScenarioPlan> {
  const config = runConfigOf(t);
  const own = t.scenarioFile === null ? null : await loadOwnScenario(t.scenarioFile, null);
  const { shape, thresholds, thresholdsSource, routes } = await scenarioSource(t.scenario, own, null);
  const source = await runWorkloadSource(config);
  return resolvePlan(
    { ...shape, thresholds },
    {
      baseUrl: t.baseUrl,
      gate: K6_VARS.GATE.fallback,
      scale: K6_VARS.SCALE.fallback,
      mix: null,
      api: API,
      model: K6_VARS.MODEL.fallback,
      prompts: null,
      timeoutSec: null,
      thresholdsSource,
      workload: source === null ? null : plannedWorkload(config, source),
    },
    endpointRoute(routes, API),
  );
}

/**
 * Refuses, before anything is built, a workload the archive would not send (k6 would only note it in a report
 * made far from here): a scenario none of whose endpoints takes prompts, a dataset's bad line, conversations a
 * scenario cannot hold.
 */
export async function checkArchiveWorkload(t: ArchiveTarget): Promise<void> {
  if (t.workload.workload === null) return;
  const plan = await archivePlan(t);
  if (plan.workload == null)
    throw new ValidationError('scenario', [
      {
        path: '',
        expected:
          'a scenario whose endpoints take prompts beside the workload options (generate, batch-generate, ' +
          "stream, sustained, spike, or a scenario file's endpoint with 'prompted')",
        found: `${t.scenario}, which sends none`,
      },
    ]);
}

/**
 * The k6 variables the archive carries for the workload (WORKLOAD, PROMPT_CACHE), its lines written into `dir`;
 * none without workload options (the scenario's own prompts).
 */
export async function archiveWorkloadVars(t: ArchiveTarget, dir: string): Promise<K6VarValues> {
  if (t.workload.workload === null) return {};
  const config = runConfigOf(t);
  if (t.workload.workload !== null) {
    const tokenizer = await serverTokenizer(config);
    if (tokenizer.count === null)
      log.warn(
        `the prompts' tokens are ${tokenizer.text.split(':')[0]}, not counted by a tokenizer at ${config.baseUrl}: ` +
          'pass --tokenizer-url with a server of the same model that this machine reaches',
      );
  }
  return workloadVars(config, await archivePlan(t), dir);
}
