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
  /** The same scripts as the runner runs them, without the house block's code (build/bundle.ts). */
  runnerBundleDir: string;
}

export async function buildAll(opts: { thresholdsDir?: string | null } = {}): Promise<BuildResult> {
  await generateIfStale();
  const { listScenarios, checkAllThresholds } = await import('../src/node/run/scenarios.js');
  const { bundleScenarios } = await import('./bundle.js');
  const { bundleDirFor, runnerBundleDir } = await import('../src/node/files/paths.js');
  const thresholdsDir = opts.thresholdsDir ?? null;
  const scenarios = await listScenarios();
  await checkAllThresholds(scenarios, thresholdsDir ?? undefined);
  const bundleDir = bundleDirFor(thresholdsDir);
  await bundleScenarios(scenarios, bundleDir, thresholdsDir);
  await bundleScenarios(scenarios, runnerBundleDir(bundleDir), thresholdsDir, { houseBlock: false });
  return { scenarios, bundleDir, runnerBundleDir: runnerBundleDir(bundleDir) };
}
