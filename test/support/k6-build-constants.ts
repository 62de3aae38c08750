/**
 * The constants esbuild puts into every k6 build with every feature (build/bundle.ts K6_DEFINE),
 * made globals for k6-side code imported by a test under Node: imported before that code.
 */
import { ALL_FEATURES, featureDefines } from '../../src/core/plan/client-features.js';

const globals = globalThis as Record<string, unknown>;
for (const [name, value] of Object.entries(featureDefines(ALL_FEATURES))) {
  const [head, key] = name.split('.');
  if (key === undefined) globals[head!] = JSON.parse(value);
  else globals[head!] = { ...(globals[head!] as object | undefined), [key]: JSON.parse(value) };
}
