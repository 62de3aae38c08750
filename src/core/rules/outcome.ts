/**
 * The run's outcome and exit code, decided from the report alone:
 * 130 interrupted > 2 error (setup, infrastructure, a scenario that did not run) > 1 a gating
 * verdict failed or k6 said a threshold was crossed (its exit code 99) > 0 passed.
 */
import { EXIT, K6_THRESHOLDS_CROSSED } from '../errors/exit-codes.js';
import type { Report, ScenarioReport } from '../types.js';

export function gateFailed(s: ScenarioReport): boolean {
  return s.k6ExitCode === K6_THRESHOLDS_CROSSED || s.verdicts.some((v) => v.gating && !v.pass);
}

export function decideOutcome(input: {
  interrupted: boolean;
  errors: Report['errors'];
  scenarios: readonly ScenarioReport[];
}): {
  outcome: Report['outcome'];
  exitCode: Report['exitCode'];
} {
  if (input.interrupted || input.scenarios.some((s) => s.status === 'interrupted')) {
    return { outcome: 'interrupted', exitCode: EXIT.interrupted };
  }
  if (input.errors.length > 0 || input.scenarios.some((s) => s.status === 'error')) {
    return { outcome: 'error', exitCode: EXIT.error };
  }
  if (input.scenarios.some(gateFailed)) return { outcome: 'failed', exitCode: EXIT.failed };
  return { outcome: 'passed', exitCode: EXIT.passed };
}
