/**
 * The merge as one file: `npm run report` (src/node/commands/report.ts) bundled by esbuild into a
 * single ES module that plain Node 20 runs with nothing installed, for the k6-operator's merge Job
 * (src/core/commands/operator-results.ts), which reads the runners' folders on their shared volume.
 *
 * The report command runs no child process, so the process module (which spawns and watches
 * children through zx and a lifeline) is replaced by one that has none: it would otherwise pull zx
 * in, and the lifeline watcher's entry point, which takes a bundle for itself and runs. The
 * toolkit's version is not known there (no package.json): the report says 'unknown'.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { ROOT } from '../src/node/files/paths.js';

const ENTRY = `import { main } from ${JSON.stringify(path.join(ROOT, 'src', 'node', 'commands', 'report.ts'))};
process.exitCode = await main(process.argv.slice(2));
`;

const NO_CHILDREN = `export function killAllNow() {}
export function liveChildren() { return []; }
`;

const noChildren: Plugin = {
  name: 'no-children',
  setup(b) {
    b.onResolve({ filter: /\/process\/processes\.js$/ }, () => ({ path: 'processes', namespace: 'no-children' }));
    b.onLoad({ filter: /.*/, namespace: 'no-children' }, () => ({ contents: NO_CHILDREN, loader: 'js' }));
  },
};

/**
 * report.html's script and style, made now: in the cluster the Job has no esbuild and no uPlot to
 * bundle them with, so the page's assets go into the merge script as they are.
 */
async function pageAssetsNow(): Promise<Plugin> {
  const { pageAssets } = await import('./page.js');
  const assets = await pageAssets();
  return {
    name: 'page-assets',
    setup(b) {
      b.onResolve({ filter: /\/build\/page\.js$/ }, () => ({ path: 'page', namespace: 'page-assets' }));
      b.onLoad({ filter: /.*/, namespace: 'page-assets' }, () => ({
        contents: `export async function pageAssets() { return ${JSON.stringify(assets)}; }`,
        loader: 'js',
      }));
    },
  };
}

/** Bundle the merge into `outFile`; returns it and its gzipped bytes (what the ConfigMap holds). */
export async function bundleMergeScript(outFile: string): Promise<{ file: string; gzipped: Buffer }> {
  await mkdir(path.dirname(outFile), { recursive: true });
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'merge-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS modules in the bundle (the generated validators) call require.
    banner: {
      js:
        "import { createRequire as __createRequire } from 'node:module'; const require = " +
        '__createRequire(import.meta.url);',
    },
    plugins: [noChildren, await pageAssetsNow()],
    // No checkout around the bundle: paths in messages stay as given rather than relative to one.
    define: { 'import.meta.dirname': JSON.stringify('/realizar-k6-merge/src/node/files') },
  });
  const code = result.outputFiles[0]!.contents;
  await writeFile(outFile, code);
  return { file: outFile, gzipped: gzipSync(code, { level: 9 }) };
}
