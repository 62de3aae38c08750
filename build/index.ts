/**
 * The whole build, in order: generated code (only when a schema changed), thresholds files checked,
 * scenarios bundled. Imported lazily by the runner after codegen, because src/node reads the
 * generated validators.
 */
import { generateIfStale } from './codegen.js';

export interface BuildResult {
  scenarios: string[];
  /** Folder of the bundled k6 scripts (dist/k6, or dist/k6-<hash> for another thresholds folder). */
  bundleDir: string;
}

export async function buildAll(opts: { thresholdsDir?: string | null } = {}): Promise<BuildResult> {
  await generateIfStale();
  const { listScenarios, checkAllThresholds } = await import('../src/node/scenarios.js');
  const { bundleScenarios } = await import('./bundle.js');
  const { bundleDirFor } = await import('../src/node/paths.js');
  const thresholdsDir = opts.thresholdsDir ?? null;
  const scenarios = await listScenarios();
  await checkAllThresholds(scenarios, thresholdsDir ?? undefined);
  const bundleDir = bundleDirFor(thresholdsDir);
  await bundleScenarios(scenarios, bundleDir, thresholdsDir);
  return { scenarios, bundleDir };
}
