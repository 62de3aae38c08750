/**
 * The whole build, in order: generated code (only when a schema changed), thresholds files checked,
 * scenarios bundled. Imported lazily by the runner after codegen, because src/node reads the
 * generated validators.
 */
import { generateIfStale } from './codegen.js';

export async function buildAll(): Promise<{ scenarios: string[]; bundles: string[] }> {
  await generateIfStale();
  const { listScenarios, checkAllThresholds } = await import('../src/node/scenarios.js');
  const { bundleScenarios } = await import('./bundle.js');
  const scenarios = await listScenarios();
  await checkAllThresholds(scenarios);
  const bundles = await bundleScenarios(scenarios);
  return { scenarios, bundles };
}
