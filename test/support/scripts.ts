/**
 * Running the other entry points (scripts/cloud.ts, scripts/operator.ts) from tests, with a
 * complete environment of the test's choosing: a test that checks for secrets must know exactly
 * which K6_CLOUD_* variables the child sees, so nothing is inherited implicitly. Bounded: killed
 * after `timeoutMs`. Files under a folder are listed for the "no secret in any file" checks.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { collect, ROOT, type CliResult } from './cli.js';

/** process.env without any K6_CLOUD_* or proxy variable: the base every cloud test builds on. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('K6_CLOUD_') && !/^(https?|all|no)_proxy$/i.test(k)));
}

export async function runScript(script: 'cloud' | 'operator', args: readonly string[], opts: { env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', `${script}.ts`), ...args], {
    cwd: ROOT,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
  try {
    return await collect(child);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}
