/**
 * The Node side's configuration, one module per command under src/node/config/, each built from
 * its one flag declaration (src/node/flags/commands.ts). This file only gathers them for callers.
 */
export { cacheDirFrom } from './config/cache.js';
export { envWithoutCloud, parseCloudConfig, readCloudEnv, CLOUD_USAGE, type CloudCommand, type CloudConfig, type CloudEnv } from './config/cloud.js';
export { parseOperatorConfig, OPERATOR_USAGE, type OperatorConfig } from './config/operator.js';
export { parseRunConfig, USAGE, type RunConfig } from './config/run.js';
export { parseSlos, parseSweepConfig, SWEEP_USAGE, type Slo, type SweepConfig, type SweepEndpoint } from './config/sweep.js';
export { type TargetConfig } from './config/target.js';
export { SERVER_KINDS, type ServerKind } from '../core/servers.js';
export { isLoopback } from '../core/loopback.js';
export { childEnv } from './child-env.js';
export { Secret } from './secret.js';
