/**
 * One k6 run of a streamed scenario against the reference stream server (reference-server.ts, its
 * own process): the server started on a free port, the script run at a concurrency, then what the
 * client measured (k6's summary) and what the server recorded on its own clock (GET /__truth). The
 * measurement floor (floor.ts) and the accuracy benchmark (bench/stream-accuracy.ts) both stand on it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import type { TruthRequest } from '../../core/stream/reference-truth.js';
import { runK6, type K6RunOptions } from '../k6/k6.js';
import { childEnv } from '../process/child-env.js';
import { shellJoin, spawnGroup, stopChild, type Child } from '../process/processes.js';
import { waitForHealth } from '../target/server.js';

export const REFERENCE_SERVER = path.join(import.meta.dirname, 'reference-server.ts');

export interface ReferenceRunOptions {
  k6: string;
  /** A streamed scenario's bundle. */
  script: string;
  /** Where k6 writes (its summary is read from here). */
  outDir: string;
  clients: number;
  requests: number;
  api: 'realizar' | 'openai';
  firstTokenMs: number;
  gapMs: number;
  tokens: number;
  browserArgs?: readonly string[];
  onStart?: (child: Child) => void;
}

export interface ReferenceRun {
  exitCode: number | null;
  /** k6's summary values by metric name. */
  metrics: Record<string, Record<string, number> | undefined>;
  truth: { requests: Array<TruthRequest & { requestId?: string | null }> };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function runAgainstReference(o: ReferenceRunOptions): Promise<ReferenceRun> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = [REFERENCE_SERVER, '--port', String(port), '--first-token-ms', String(o.firstTokenMs)];
  args.push('--gap-ms', String(o.gapMs), '--tokens', String(o.tokens));
  const server = spawnGroup('reference-server', shellJoin(process.execPath, ['--import', 'tsx', ...args]), {
    env: childEnv(),
  });
  try {
    await waitForHealth({ baseUrl, deadlineSec: 30, server: null, hint: 'the reference stream server did not start' });
    await mkdir(o.outDir, { recursive: true });
    const vars: K6RunOptions['vars'] = {
      SHAPE_CLIENTS: o.clients,
      SHAPE_REQUESTS: o.requests,
      ...(o.api === 'openai' ? { API: o.api, MODEL: 'truth' } : {}),
    };
    const exit = await runK6({
      k6: o.k6,
      script: o.script,
      outDir: o.outDir,
      baseUrl,
      gate: 'acceptable',
      scale: 1,
      mix: null,
      timeoutSec: null,
      dashboardFile: null,
      outputs: [],
      // The floor is read from k6's summary and the server's own record: nothing over time.
      samples: false,
      windows: false,
      vars,
      ...(o.browserArgs === undefined ? {} : { browserArgs: o.browserArgs }),
      ...(o.onStart === undefined ? {} : { onStart: o.onStart }),
    });
    const summary = JSON.parse(await readFile(path.join(o.outDir, K6_FILES.summary), 'utf8')) as {
      metrics: Record<string, { values: Record<string, number> }>;
    };
    const metrics = Object.fromEntries(Object.entries(summary.metrics).map(([k, v]) => [k, v.values]));
    const truth = (await (await fetch(`${baseUrl}/__truth`)).json()) as ReferenceRun['truth'];
    return { exitCode: exit.code, metrics, truth };
  } finally {
    await stopChild(server, 5000);
  }
}
