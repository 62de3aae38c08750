/**
 * Bundling: each src/k6/scenarios/<name>.ts becomes dist/k6/<name>.js, one self-contained k6 script
 * with its thresholds file and the response validators inlined — the same file runs under
 * `k6 run`, `k6 archive` and `k6 cloud`, and prints the house report block at its end.
 *
 * The runner's k6 gets a second build of each, in dist/k6-runner/, without that block's code
 * (`__HOUSE_BLOCK__` false): the runner writes the report in Node from the summary the script
 * leaves, and every k6 VU compiles the whole script, so 30 KB of report code cost 8 MB at 50 VUs
 * (measured with GNU time, bench/README.md). Its plan, options and schedules are a file of their own
 * beside the scripts, scenario-init.js, which only k6's first init requires (src/k6/lib/scenario.ts):
 * the other VUs take its result from a SharedArray and never compile that code (docs/performance.md).
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { SCENARIO_DIR } from '../src/node/files/paths.js';
import { METRIC_ENTRIES } from '../src/core/rules/metric-table.js';
import { packMetricKinds } from '../src/core/rules/metric-kinds.js';
import {
  ALL_FEATURES,
  featureDefines,
  featureScriptName,
  type ClientFeatures,
} from '../src/core/plan/client-features.js';

/**
 * What every build of k6 code defines: the metric table's k6 entries as one string
 * (src/k6/lib/metrics.ts), which every VU shares, where the table's objects cost each VU 0.2 MB.
 */
export const K6_DEFINE: Readonly<Record<string, string>> = {
  __K6_METRIC_KINDS__: JSON.stringify(packMetricKinds(METRIC_ENTRIES)),
  // Every feature, unless the runner bundles a scenario for its run (bundleForRun).
  ...featureDefines(ALL_FEATURES),
};

/** The runner's build's init module (src/k6/lib/scenario-init.ts), as the scripts require it. */
const INIT_FILE = 'scenario-init.js';

/** The init file is required by the runner's build from beside the script (imported, it is bundled). */
const initBesideScript: esbuild.Plugin = {
  name: 'init-beside-script',
  setup(build) {
    build.onResolve({ filter: /[\\/]scenario-init\.js$/ }, (args) =>
      args.kind === 'require-call' ? { path: `./${INIT_FILE}`, external: true } : undefined,
    );
  },
};

/**
 * src/core is pure (ARCHITECTURE.md): its modules' top-level code only builds tables. Said so to
 * esbuild, it leaves out a module none of whose exports a script uses, where it would otherwise keep
 * every top-level statement it cannot prove pure (the derived rule tables, the codecs): k6 evaluates
 * them in every VU, whatever the script uses (docs/performance.md).
 */
const coreIsPure: esbuild.Plugin = {
  name: 'core-is-pure',
  setup(build) {
    const core = path.join(SCENARIO_DIR, '..', '..', 'core') + path.sep;
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'core-is-pure') return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'core-is-pure',
      });
      if (r.errors.length > 0 || !r.path.startsWith(core)) return undefined;
      return { path: r.path, sideEffects: false };
    });
  },
};

/** Scenario files import ../../../thresholds/<name>.json; with --thresholds-dir, take it from there. */
function thresholdsFrom(dir: string): esbuild.Plugin {
  return {
    name: 'thresholds-dir',
    setup(build) {
      build.onResolve({ filter: /[\\/]thresholds[\\/][a-z0-9-]+\.json$/ }, (args) => ({
        path: path.join(dir, path.basename(args.path)),
      }));
    },
  };
}

export async function bundleScenarios(
  names: readonly string[],
  outDir: string,
  thresholdsDir: string | null,
  o: { houseBlock: boolean } = { houseBlock: true },
): Promise<string[]> {
  const plugins = [initBesideScript, ...(thresholdsDir === null ? [] : [thresholdsFrom(thresholdsDir)])];
  const scripts = await bundleEntries(
    names.map((n) => path.join(SCENARIO_DIR, `${n}.ts`)),
    outDir,
    { plugins, houseBlock: o.houseBlock, define: { __INIT_ONCE__: String(!o.houseBlock) } },
  );
  if (!o.houseBlock) {
    await esbuild.build({
      ...K6_BUILD,
      entryPoints: [path.join(SCENARIO_DIR, '..', 'lib', 'scenario-init.ts')],
      outfile: path.join(outDir, INIT_FILE),
      plugins,
      define: { ...K6_DEFINE, __HOUSE_BLOCK__: 'false', __INIT_ONCE__: 'true' },
      // Required by k6's CommonJS loader, which hands its exports to the script.
      format: 'cjs',
    });
  }
  return scripts;
}

/**
 * The runner's build of scenario `name` for a run whose plan needs only features `f`
 * (src/core/plan/client-features.ts): the code of each feature the run lacks is left out, which every
 * VU would otherwise build (docs/performance.md). Written beside the runner's build (whose init file
 * it requires), named for its features; with every feature it is the runner's build itself.
 */
export async function bundleForRun(
  name: string,
  outDir: string,
  thresholdsDir: string | null,
  f: ClientFeatures,
): Promise<string> {
  const outfile = path.join(outDir, featureScriptName(name, f));
  if (outfile === path.join(outDir, `${name}.js`)) return outfile;
  const built = await esbuild.build({
    ...K6_BUILD,
    entryPoints: [path.join(SCENARIO_DIR, `${name}.ts`)],
    outfile,
    write: false,
    plugins: [coreIsPure, initBesideScript, ...(thresholdsDir === null ? [] : [thresholdsFrom(thresholdsDir)])],
    define: { ...K6_DEFINE, __HOUSE_BLOCK__: 'false', __INIT_ONCE__: 'true', ...featureDefines(f) },
    format: 'esm',
  });
  // Renamed into place: another run's k6 may be reading the same build of it right now.
  const part = `${outfile}.${process.pid}.part`;
  await writeFile(part, built.outputFiles[0]!.contents);
  await rename(part, outfile);
  return outfile;
}

/** What every k6 build shares. */
const K6_BUILD = {
  bundle: true,
  // k6 runs scripts in its own VM (Sobek), not Node: no Node built-ins, no Node resolution rules.
  platform: 'browser',
  // k6 loads ES modules and resolves k6/* itself; remote modules (jslib) are fetched by k6.
  external: ['k6', 'k6/*', 'https://*'],
  // Sobek implements ES2020 and more; going no higher keeps esbuild from emitting newer syntax.
  target: 'es2020',
  // Readable output: k6 reports errors with line numbers of the bundle, and k6 cloud shows it.
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
} as const satisfies esbuild.BuildOptions;

/** Bundle k6 entry points (scenarios, or the benchmark's) into outDir, one script each. */
export async function bundleEntries(
  entryPoints: readonly string[],
  outDir: string,
  extra: { plugins?: esbuild.Plugin[]; define?: Record<string, string>; houseBlock?: boolean } = {},
): Promise<string[]> {
  await esbuild.build({
    entryPoints: [...entryPoints],
    outdir: outDir,
    plugins: [coreIsPure, ...(extra.plugins ?? [])],
    // A constant, so that esbuild drops the branch it guards and the modules only it imports.
    ...K6_BUILD,
    define: {
      ...K6_DEFINE,
      __HOUSE_BLOCK__: String(extra.houseBlock ?? true),
      __INIT_ONCE__: 'false',
      ...extra.define,
    },
    format: 'esm',
  });
  return entryPoints.map((e) => path.join(outDir, `${path.basename(e, path.extname(e))}.js`));
}
