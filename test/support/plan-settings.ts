/** The plan settings and endpoint lookup the plan's unit tests start from (Realizar's API, scale 1). */
import type { PlanSettings } from '../../src/core/plan/plan.js';
import type { ClientFeatures } from '../../src/core/plan/client-features.js';

export const info = (e: string) => ({ method: e === 'health' ? ('GET' as const) : ('POST' as const), path: `/${e}` });

export const settings: PlanSettings = {
  baseUrl: 'http://127.0.0.1:8080',
  gate: 'acceptable',
  scale: 1,
  mix: null,
  timeoutSec: null,
  api: 'realizar',
  model: 'default',
  prompts: null,
};

/** What the clients of a run of health checks on Realizar's API carry: no feature, the health endpoint. */
export const HEALTH_RUN: ClientFeatures = {
  workload: false,
  goodput: false,
  schedules: false,
  answers: false,
  api: 'realizar',
  endpoints: ['health'],
};
