/**
 * A scenario file of one's own, bundled by esbuild twice:
 *
 * - for the runner's reading of its declaration, before anything starts: one script Node runs in a
 *   context of its own (src/node/own/own-scenario.ts), with `__PLAN_ONLY__` true, so defineScenario
 *   hands over what it was given and nothing else happens, and with k6's modules replaced by inert
 *   stand-ins (the file's init code may create metrics or import k6/http, all of it unused here);
 * - for k6, like a built-in scenario (build/bundle.ts): dist/k6/<name>.js and the runner's
 *   dist/k6-runner/<name>.js, with its name, its checked thresholds and its endpoints' compiled
 *   validators bundled in.
 *
 * Either way `realizar-k6/k6` is this toolkit's own code, wherever the file lives.
 */
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { ThresholdsFile } from '../src/core/types.js';
import { ROOT } from '../src/node/files/paths.js';
import { bundleEntries, K6_DEFINE } from './bundle.js';

/** The modules a scenario file imports from this package (package.json "exports"). */
const API_MODULES: Readonly<Record<string, string>> = {
  'realizar-k6/k6': path.join(ROOT, 'src', 'k6', 'index.ts'),
  'realizar-k6/k6/stream': path.join(ROOT, 'src', 'k6', 'stream.ts'),
};

/** Validators compiled from the endpoints' schemas: CommonJS code, and each endpoint's export in it. */
export interface OwnValidators {
  code: string;
  exports: Readonly<Record<string, string>>;
}

function toolkitApi(): esbuild.Plugin {
  return {
    name: 'realizar-k6-api',
    setup(build) {
      build.onResolve({ filter: /^realizar-k6\/k6(\/stream)?$/ }, (args) => ({ path: API_MODULES[args.path]! }));
    },
  };
}

const VALIDATORS = 'realizar-k6:own-validators';

/** `realizar-k6:own-validators` (src/k6/api/own-validators.d.ts): endpoint name → validator. */
function ownValidators(validators: OwnValidators | null): esbuild.Plugin {
  const entries = Object.entries(validators?.exports ?? {}).map(([name, id]) => `${JSON.stringify(name)}: v.${id}`);
  const byName =
    entries.length === 0
      ? 'export default {};'
      : `import * as v from '${VALIDATORS}-compiled';\nexport default { ${entries.join(', ')} };`;
  return {
    name: 'own-validators',
    setup(build) {
      build.onResolve({ filter: /^realizar-k6:own-validators(-compiled)?$/ }, (args) => ({
        path: args.path,
        namespace: 'own-validators',
      }));
      build.onLoad({ filter: /.*/, namespace: 'own-validators' }, (args) =>
        // The compiled code requires ajv's runtime helpers, found in this package's node_modules.
        args.path === VALIDATORS
          ? { contents: byName, loader: 'js', resolveDir: ROOT }
          : { contents: validators?.code ?? '', loader: 'js', resolveDir: ROOT },
      );
    },
  };
}

/**
 * k6's modules (and remote jslib modules) for the declaration's reading: every export, every
 * property and every call is the same inert function. Named imports reach it through the prototype
 * of the module object (esbuild reads them off a CommonJS module's exports).
 */
const K6_STAND_IN = `
const inert = new Proxy(function () {}, {
  get: (_, key) => (key === 'then' || typeof key === 'symbol' ? undefined : inert),
  apply: () => inert,
  construct: () => inert,
});
const none = (key) => key === '__esModule' || key === 'then' || typeof key === 'symbol';
module.exports = Object.create(new Proxy({}, { get: (_, key) => (none(key) ? undefined : inert) }));`;

function k6StandIn(): esbuild.Plugin {
  return {
    name: 'k6-stand-in',
    setup(build) {
      build.onResolve({ filter: /^(k6(\/.*)?|https?:\/\/.*)$/ }, (args) => ({
        path: args.path,
        namespace: 'k6-stand-in',
      }));
      build.onLoad({ filter: /.*/, namespace: 'k6-stand-in' }, () => ({ contents: K6_STAND_IN, loader: 'js' }));
    },
  };
}

/** One script that, run, hands the file's declaration to the hook src/k6/api/define.ts names. */
export async function bundleForDeclaration(file: string): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2020',
    define: { ...K6_DEFINE, __PLAN_ONLY__: 'true', __HOUSE_BLOCK__: 'false' },
    plugins: [toolkitApi(), ownValidators(null), k6StandIn()],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** The k6 script of a scenario file into outDir (<name>.js, the file's base name); returns its path. */
export async function bundleOwnScenario(o: {
  file: string;
  name: string;
  thresholds: ThresholdsFile;
  validators: OwnValidators | null;
  outDir: string;
  houseBlock: boolean;
}): Promise<string> {
  const [script] = await bundleEntries([o.file], o.outDir, {
    plugins: [toolkitApi(), ownValidators(o.validators)],
    define: { __PLAN_ONLY__: 'false', __OWN_SCENARIO__: JSON.stringify({ name: o.name, thresholds: o.thresholds }) },
    houseBlock: o.houseBlock,
  });
  return script!;
}
