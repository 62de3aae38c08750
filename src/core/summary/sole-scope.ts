/**
 * With one phase, a metric's phase sub-metric (`request_failed{scenario:<phase>}`) holds exactly the
 * samples of the whole metric; with one endpoint, so does its endpoint sub-metric. k6 reports a
 * sub-metric only when a threshold names it, and keeping one costs it a second copy of every sample
 * (every latency stored and sorted again), so the script asks for none of these
 * (observerThresholds) and the summary gets them here, as copies of the whole metric, before
 * anything reads it. A sub-metric k6 did report (a rule named it) is left as k6 gave it. Pure.
 */
import type { K6Summary, ScenarioPlan } from '../types.js';
import { selector, type Scope } from '../rules/thresholds.js';

export function withSoleScopes(plan: Pick<ScenarioPlan, 'phases' | 'mix'>, summary: K6Summary): K6Summary {
  const scopes: Scope[] = [];
  if (plan.phases.length === 1) scopes.push({ phase: plan.phases[0]!.name });
  if (plan.mix.length === 1) scopes.push({ endpoint: plan.mix[0]!.endpoint });
  if (scopes.length === 0) return summary;
  const metrics = { ...summary.metrics };
  for (const [key, m] of Object.entries(summary.metrics)) {
    if (m === undefined || key.includes('{')) continue;
    for (const scope of scopes) {
      const scoped = selector(key, scope);
      // The whole metric's threshold results are not the sub-metric's: left out of the copy.
      if (!(scoped in metrics))
        metrics[scoped] = {
          type: m.type,
          ...(m.contains === undefined ? {} : { contains: m.contains }),
          values: m.values,
        };
    }
  }
  return { ...summary, metrics };
}
