/**
 * The Node side's configuration, one module per command beside this file, each built from
 * its one flag declaration (src/node/flags/commands*.ts). This file only gathers them for callers.
 */
export { cacheDirFrom } from './cache.js';
export {
  envWithoutCloud,
  parseCloudConfig,
  readCloudEnv,
  CLOUD_USAGE,
  type CloudConfig,
  type CloudEnv,
} from './cloud.js';
export { parseOperatorConfig, OPERATOR_USAGE } from './operator.js';
export { parseRunConfig, USAGE, type RunConfig } from './run.js';
export { parseSetupConfig, SETUP_USAGE, type SetupConfig } from './setup.js';
export { parseSlos, parseSweepConfig, SWEEP_USAGE, type SweepConfig } from './sweep.js';
export { type TargetConfig } from './target.js';
