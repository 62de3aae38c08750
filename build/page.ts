/**
 * report.html's script and style: src/browser/main.ts with uPlot, and src/browser/page.css with
 * uPlot's own style, each bundled by esbuild into one text that the page holds inline
 * (src/core/report/page.ts). Built in memory when a page is first written by a process (some 50 ms),
 * so a page can never carry a stale script.
 */
import path from 'node:path';
import * as esbuild from 'esbuild';

const BROWSER_DIR = path.resolve(import.meta.dirname, '..', 'src', 'browser');

export interface PageAssets {
  script: string;
  style: string;
}

let built: Promise<PageAssets> | null = null;

async function bundle(entry: string): Promise<string> {
  const out = await esbuild.build({
    entryPoints: [path.join(BROWSER_DIR, entry)],
    bundle: true,
    write: false,
    minify: true,
    // The page is opened by any current browser, from a file.
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

export function pageAssets(): Promise<PageAssets> {
  built ??= Promise.all([bundle('main.ts'), bundle('page.css')]).then(([script, style]) => ({ script, style }));
  return built;
}
