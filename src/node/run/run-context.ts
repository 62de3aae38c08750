/** What a run's report says about itself: the toolkit's version, the machine, the run folder's label. */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../files/paths.js';
import { SEED_ORDER } from './scenarios.js';

export async function toolVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function machineNote(manageServer: boolean, loopback: boolean): { cpus: number; note: string } {
  const cpus = os.availableParallelism();
  const note =
    manageServer || loopback
      ? `k6 and the server share this machine's ${cpus} CPU core(s): load generation takes CPU from the server, ` +
        'so latency and throughput are lower bounds of what the server does alone.'
      : `k6 ran on this machine (${cpus} CPU core(s)); the server is elsewhere.`;
  return { cpus, note };
}

/** Run folder label for several scenarios: 'seed' for the seed's seven, else 'all'. */
export function argvLabel(scenarios: readonly string[]): string {
  return scenarios.length === SEED_ORDER.length && scenarios.every((s, i) => s === SEED_ORDER[i]) ? 'seed' : 'all';
}
