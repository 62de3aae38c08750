import os from 'node:os';
import path from 'node:path';

/** The tool cache, outside the checkout: $REALIZAR_K6_CACHE, else the user's cache folder. */
export function cacheDirFrom(env: NodeJS.ProcessEnv): string {
  if (env['REALIZAR_K6_CACHE']) return path.resolve(env['REALIZAR_K6_CACHE']);
  const base = env['XDG_CACHE_HOME'] ? env['XDG_CACHE_HOME'] : path.join(env['HOME'] ?? os.homedir(), '.cache');
  return path.join(base, 'realizar-k6');
}
