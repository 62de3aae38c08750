/**
 * The k6 variables that say which API a target speaks (read by src/k6/lib/env.ts): the same for
 * every command that loads a server, so a sweep sends what a run sends.
 */
import type { K6VarValues } from '../../core/contract.js';
import type { ShapeOverride } from '../../core/plan/shape.js';
import type { TargetConfig } from '../config/target.js';

export function targetEnv(
  config: Pick<TargetConfig, 'api' | 'model'> & Partial<Pick<TargetConfig, 'server' | 'serverCmd' | 'manageServer'>>,
): K6VarValues {
  return {
    ...(config.api === 'openai' ? { API: config.api, MODEL: config.model } : {}),
    // The make of the server, so that k6 sends the request fields only that server needs
    // (src/k6/lib/server-extras.ts); left out when unknown (--server-cmd, --no-server without --server).
    SERVER: config.server,
  };
}

/** The run's shape (--concurrency, --requests, --rate, --duration, --stages) as k6 variables. */
export function shapeEnv(shape: ShapeOverride | null): K6VarValues {
  if (shape === null) return {};
  return {
    SHAPE_CLIENTS: shape.clients,
    SHAPE_REQUESTS: shape.requests,
    SHAPE_RATE: shape.rate,
    SHAPE_DURATION_SEC: shape.durationSec,
    SHAPE_STAGES: shape.stages ?? null,
  };
}
