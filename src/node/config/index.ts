/**
 * The Node side's configuration, one module per command under src/node/config/index/, each built from
 * its one flag declaration (src/node/flags/commands.ts). This file only gathers them for callers.
 */
export { cacheDirFrom } from './cache.js';
export { envWithoutCloud, parseCloudConfig, readCloudEnv, CLOUD_USAGE, type CloudCommand, type CloudConfig, type CloudEnv } from './cloud.js';
export { parseOperatorConfig, OPERATOR_USAGE, type OperatorConfig } from './operator.js';
export { parseRunConfig, USAGE, type RunConfig } from './run.js';
export { parseSlos, parseSweepConfig, SWEEP_USAGE, type Slo, type SweepConfig, type SweepEndpoint } from './sweep.js';
export { type TargetConfig } from './target.js';
export { isLoopback } from '../../core/target/loopback.js';
export { childEnv } from '../process/child-env.js';
export { Secret } from '../process/secret.js';
