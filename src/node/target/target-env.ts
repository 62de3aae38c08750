/**
 * The k6 variables that say which API a target speaks (read by src/k6/lib/env.ts): the same for
 * every command that loads a server, so a sweep sends what a run sends.
 */
import type { ShapeOverride } from '../../core/plan/shape.js';
import type { TargetConfig } from '../config/target.js';

export function targetEnv(
  config: Pick<TargetConfig, 'api' | 'model'> & Partial<Pick<TargetConfig, 'server' | 'serverCmd' | 'manageServer'>>,
): Record<string, string> {
  const env: Record<string, string> = config.api === 'openai' ? { API: 'openai', MODEL: config.model } : {};
  // The make of the server, so that k6 sends the request fields only that server needs
  // (src/k6/lib/server-extras.ts); null when unknown (--server-cmd, --no-server without --server).
  if (config.server != null) env['SERVER'] = config.server;
  return env;
}

/** The run's shape (--concurrency, --requests, --rate, --duration) as k6 variables. */
export function shapeEnv(shape: ShapeOverride | null): Record<string, string> {
  if (shape === null) return {};
  const env: Record<string, string> = {};
  if (shape.clients !== null) env['SHAPE_CLIENTS'] = String(shape.clients);
  if (shape.requests !== null) env['SHAPE_REQUESTS'] = String(shape.requests);
  if (shape.rate !== null) env['SHAPE_RATE'] = String(shape.rate);
  if (shape.durationSec !== null) env['SHAPE_DURATION_SEC'] = String(shape.durationSec);
  return env;
}
