/**
 * Running the other entry points (scripts/cloud.ts, scripts/operator.ts) from tests, with a
 * complete environment of the test's choosing: a test that checks for secrets must know exactly
 * which K6_CLOUD_* variables the child sees, so nothing is inherited implicitly.
 */
import { runEntry, type CliResult } from './cli.js';

/** process.env without any K6_CLOUD_* or proxy variable: the base every cloud test builds on. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('K6_CLOUD_') && !/^(https?|all|no)_proxy$/i.test(k)),
  );
}

export async function runScript(
  script: 'cloud' | 'operator',
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliResult> {
  return runEntry(script, args, opts.env, opts.timeoutMs);
}

export { filesUnder } from './cli.js';
