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

/**
 * @param opts.scenarios the scenarios a run needs (default: every one). A thresholds folder of one's
 *   own (--thresholds-dir) then needs only their files; the toolkit's own folder is checked whole.
 */
export async function buildAll(
  opts: { thresholdsDir?: string | null; scenarios?: readonly string[] } = {},
): Promise<BuildResult> {
  await generateIfStale();
  const { listScenarios, checkAllThresholds, loadThresholds } = await import('../src/node/run/scenarios.js');
  const { bundleScenarios } = await import('./bundle.js');
  const { bundleDirFor, runnerBundleDir, thresholdsFile } = await import('../src/node/files/paths.js');
  const thresholdsDir = opts.thresholdsDir ?? null;
  const all = await listScenarios();
  const scenarios = opts.scenarios === undefined ? all : all.filter((s) => opts.scenarios!.includes(s));
  if (thresholdsDir === null) await checkAllThresholds(all);
  else for (const s of scenarios) await loadThresholds(s, thresholdsFile(s, thresholdsDir));
  const bundleDir = bundleDirFor(thresholdsDir);
  if (scenarios.length > 0) {
    await bundleScenarios(scenarios, bundleDir, thresholdsDir);
    await bundleScenarios(scenarios, runnerBundleDir(bundleDir), thresholdsDir, { houseBlock: false });
  }
  return { scenarios, bundleDir, runnerBundleDir: runnerBundleDir(bundleDir) };
}
