/**
 * The test-only fault server's --record-arrivals (test/support/fault-server.ts): a few real requests
 * on 127.0.0.1, each arrival noted on the server's own clock. The server is stopped in `finally`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SERVER = path.join(ROOT, 'test', 'support', 'fault-server.ts');
const GAP_MS = 60;

interface Arrivals {
  timeOriginMs: number;
  arrivalsMs: number[];
  overflow: number;
}

async function withFaultServer(flags: readonly string[], body: (base: string) => Promise<void>): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, '--port', String(port), ...flags], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  try {
    const end = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > end || child.exitCode !== null)
        throw new Error(`the fault server did not start on port ${port}`);
      await sleep(100);
    }
    await body(base);
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** A load request as k6 sends it (the server counts what carries k6's user agent as load). */
const load = (base: string): Promise<Response> =>
  fetch(`${base}/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'k6/1.0 (https://k6.io/)' },
    body: JSON.stringify({ prompt: 'hello', max_tokens: 2 }),
  });

describe('the fault server records arrivals', () => {
  it('notes when each load request arrived, in order, on its own clock, and forgets them when asked', async () => {
    await withFaultServer(['--record-arrivals'], async (base) => {
      const sentAt: number[] = [];
      for (let i = 0; i < 4; i++) {
        if (i > 0) await sleep(GAP_MS);
        sentAt.push(Date.now());
        assert.equal((await load(base)).status, 200);
      }
      await fetch(`${base}/health`); // a probe, not load: not an arrival
      const got = (await (await fetch(`${base}/__arrivals`)).json()) as Arrivals;
      assert.equal(got.arrivalsMs.length, 4);
      assert.equal(got.overflow, 0);
      got.arrivalsMs.forEach((t, i) => {
        if (i === 0) return;
        const gap = t - got.arrivalsMs[i - 1]!;
        // Wide bounds: the gaps are at least the client's pause, less clock granularity.
        assert.ok(gap >= GAP_MS - 10 && gap < 10_000, `gap ${i}: ${gap} ms`);
      });
      const epoch = got.timeOriginMs + got.arrivalsMs[0]!;
      assert.ok(Math.abs(epoch - sentAt[0]!) < 5000, 'timeOriginMs turns the clock into epoch ms');

      assert.equal((await fetch(`${base}/__arrivals`, { method: 'DELETE' })).status, 200);
      assert.deepEqual(((await (await fetch(`${base}/__arrivals`)).json()) as Arrivals).arrivalsMs, []);
      await load(base);
      assert.equal(((await (await fetch(`${base}/__arrivals`)).json()) as Arrivals).arrivalsMs.length, 1);
    });
  });

  it('says it is not recording when started without --record-arrivals', async () => {
    await withFaultServer([], async (base) => {
      await load(base);
      const res = await fetch(`${base}/__arrivals`);
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { error: string }).error, /--record-arrivals/);
    });
  });
});
