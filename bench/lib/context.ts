/**
 * What every experiment of the benchmark shares: the pinned tools (k6, Realizar, and vegeta when
 * an experiment asks for it), a private work folder, a Realizar demo server on a free port started
 * and stopped by the experiment that needs it, and the settings of this run.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from '../../src/node/process/child-env.js';
import { cacheDirFrom } from '../../src/node/config/cache.js';
import { spawnGroup, stopChild, type Child } from '../../src/node/process/processes.js';
import { waitForHealth } from '../../src/node/target/server.js';
import { realizarCommand } from '../../src/node/target/target.js';
import { resolveK6, resolveRealizar, type ResolvedTool } from '../../src/node/tools/tools.js';
import { resolveVegeta } from '../../src/node/tools/vegeta.js';
import { freePort } from '../../test/support/free-port.js';
import type { GeneratorName } from './generators.js';

export interface DistortionSettings {
  /** Offered rates, requests per second. */
  rates: number[];
  durationSec: number;
  /** Most requests in flight (k6 clients, vegeta workers). */
  clients: number;
  endpoints: ('generate' | 'health')[];
  /** The load generators compared, in the order of the first round. */
  generators: GeneratorName[];
}

export interface Settings {
  quick: boolean;
  rounds: number;
  distortion: DistortionSettings;
}

export interface Server {
  baseUrl: string;
  port: number;
  /** The process group of the server (its pid): the runner's --server-pid. */
  pid: number;
  stop: () => Promise<void>;
}

export interface BenchContext {
  settings: Settings;
  k6: ResolvedTool;
  realizar: ResolvedTool;
  vegeta: () => Promise<ResolvedTool>;
  /** A fresh folder under the run's work folder. */
  dir: (label: string) => Promise<string>;
  /** A Realizar demo server on a free port, optionally pinned to a core. */
  server: (pin?: string | null) => Promise<Server>;
  /** A JSONL prompt set of `n` distinct prompts (every request differs, so every body is parsed). */
  promptSet: (n: number) => Promise<string>;
  log: (message: string) => void;
}

export async function createContext(settings: Settings, work: string, log: (m: string) => void): Promise<BenchContext> {
  const cacheDir = cacheDirFrom(process.env);
  const k6 = await resolveK6({ flagPath: null, cacheDir });
  const realizar = await resolveRealizar({ cacheDir });
  let vegeta: ResolvedTool | null = null;
  let seq = 0;
  return {
    settings,
    k6,
    realizar,
    vegeta: async () => (vegeta ??= await resolveVegeta({ cacheDir })),
    dir: async (label) => {
      const d = path.join(work, `${String(++seq).padStart(4, '0')}-${label}`);
      await mkdir(d, { recursive: true });
      return d;
    },
    server: async (pin = null) => {
      const port = await freePort();
      const cmd = realizarCommand(realizar.path, '127.0.0.1', port);
      const child: Child = spawnGroup('server', pin === null ? cmd : `taskset -c ${pin} ${cmd}`, { env: childEnv() });
      const baseUrl = `http://127.0.0.1:${port}`;
      log(`realizar ${realizar.version} on port ${port}${pin === null ? '' : `, pinned to core ${pin}`}`);
      await waitForHealth({ baseUrl, deadlineSec: 60, server: null, hint: 'see the realizar output' });
      return { baseUrl, port, pid: child.pid, stop: async () => void (await stopChild(child)) };
    },
    promptSet: async (n) => {
      const file = path.join(work, `prompts-${n}.jsonl`);
      if (!existsSync(file))
        await writeFile(
          file,
          Array.from({ length: n }, (_, i) => `${JSON.stringify({ prompt: `Hello ${i + 1}` })}\n`).join(''),
        );
      return file;
    },
    log,
  };
}
