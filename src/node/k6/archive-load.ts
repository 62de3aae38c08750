/**
 * The load a k6 archive runs (k6 cloud, the k6-operator), as k6 variables, and the files they name. A workload's
 * lines are made here, before `k6 archive`, for the plan k6 resolves from the archive, and written into the run
 * folder, where the script's init opens them, so `k6 archive` packs them: the cloud's load generators and every
 * runner Pod read the same lines, on whatever machine they run. Their tokens are counted by a server this machine
 * reaches (--tokenizer-url, else the --base-url), since the load's target is often not one of them.
 */
import type { K6VarValues } from '../../core/contract.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { WORKLOAD_ENDPOINTS } from '../../core/plan/workload.js';
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import type { ScenarioPlan } from '../../core/types.js';
import type { ArchiveLoad } from '../config/archive.js';
import type { PlanConfig } from '../config/run.js';
import { log } from '../process/log.js';
import { arrivalVars } from '../run/arrivals.js';
import { resolveRunPlans } from '../run/plans.js';
import { shapeEnv, targetEnv } from '../target/target-env.js';
import { workloadVars } from '../workload/materialise.js';
import { serverTokenizer } from '../workload/tokenizer.js';

/** What an archive is made for: the command's scenario, target, and the load it runs. */
export interface ArchiveTarget {
  scenario: string;
  scenarioFile: string | null;
  baseUrl: string;
  k6Path: string | null;
  cacheDir: string;
  load: ArchiveLoad;
}

/** The built-in scenarios that send prompts: those with a generating endpoint in their mix. */
const PROMPTED_SCENARIOS = Object.entries(SCENARIO_SHAPES)
  .filter(([, shape]) => shape.mix.some((m) => WORKLOAD_ENDPOINTS.includes(m.endpoint)))
  .map(([name]) => name);

const configs = new WeakMap<ArchiveTarget, PlanConfig>();

/**
 * The archive's load as a run's plan reads it: one scenario, at the target's address, of unknown make (the
 * archive sends no SERVER), with the default thresholds (bundled into the script) and no scale.
 */
function planConfigOf(t: ArchiveTarget): PlanConfig {
  let config = configs.get(t);
  if (config !== undefined) return config;
  const { tokenizerUrl, ...load } = t.load;
  const u = new URL(t.baseUrl);
  config = {
    ...load,
    ...(tokenizerUrl === null ? {} : { tokenizerUrl }),
    scenarios: [t.scenario],
    scenarioFile: t.scenarioFile,
    thresholdsDir: null,
    scale: 1,
    manageServer: false,
    host: u.hostname,
    port: Number(u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : u.port),
    baseUrl: t.baseUrl,
    server: null,
    modelFile: null,
    serverCmd: null,
    k6Path: t.k6Path,
    cacheDir: t.cacheDir,
    healthTimeoutSec: 0,
    allowRemote: true,
    apiKey: null,
  };
  configs.set(t, config);
  return config;
}

/**
 * The plan k6 will resolve from the archive, resolved and checked before anything is built: a shape the scenario
 * cannot take, a mix its API cannot serve, a dataset's bad line, conversations it cannot hold are refused here, as
 * a run refuses them, and so is a workload the scenario would not send (k6 would only note it, in a report made
 * far from here).
 */
export async function checkArchivePlan(t: ArchiveTarget): Promise<ScenarioPlan> {
  const plan = (await resolveRunPlans(planConfigOf(t)))[0]!;
  if (t.load.workload !== null && plan.workload == null)
    throw new ValidationError('scenario', [
      {
        path: '',
        expected:
          `a scenario whose endpoints take prompts beside the workload options (${PROMPTED_SCENARIOS.join(', ')}, ` +
          "or a scenario file's endpoint with 'prompted')",
        found: `${t.scenario}, which sends none`,
      },
    ]);
  return plan;
}

/**
 * The k6 variables the archive records for `plan` (checkArchivePlan's): the load's (shape, gate, API, mix, timeout,
 * arrivals, a prompt set) and the workload's, whose lines, like a trace's offsets, are written into `dir` for the
 * script's init to open.
 */
export async function archiveVars(t: ArchiveTarget, plan: ScenarioPlan, dir: string): Promise<K6VarValues> {
  const config = planConfigOf(t);
  if (t.load.workload !== null) {
    const tokenizer = await serverTokenizer(config);
    if (tokenizer.count === null)
      log.warn(
        `the prompts' tokens are ${tokenizer.text.split(':')[0]}, not counted by a tokenizer at ` +
          `${config.tokenizerUrl ?? config.baseUrl}: pass --tokenizer-url with a server of the same model that ` +
          'this machine reaches',
      );
  }
  return {
    GATE: config.gate,
    MIX: config.mix,
    TIMEOUT_SEC: config.timeoutSec,
    ...targetEnv(config),
    ...shapeEnv(config.shape),
    PROMPTS_FILE: config.promptsFile,
    ...(await arrivalVars(config, dir)),
    ...(await workloadVars(config, plan, dir)),
  };
}
