/**
 * The test-only fault server's --record-arrivals (test/support/fault-server.ts): a few real requests
 * on 127.0.0.1, each arrival noted on the server's own clock. The server is stopped in `finally`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withFaultServer, type Arrivals } from '../support/with-fault-server.js';

const GAP_MS = 60;

/** A load request as k6 sends it (the server counts what carries k6's user agent as load). */
const load = (base: string): Promise<Response> =>
  fetch(`${base}/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'k6/1.0 (https://k6.io/)' },
    body: JSON.stringify({ prompt: 'hello', max_tokens: 2 }),
  });

describe('the fault server records arrivals', () => {
  it('notes when each load request arrived, in order, on its own clock, and forgets them when asked', async () => {
    await withFaultServer(['--record-arrivals'], async ({ base }) => {
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
    await withFaultServer([], async ({ base }) => {
      await load(base);
      const res = await fetch(`${base}/__arrivals`);
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { error: string }).error, /--record-arrivals/);
    });
  });
});
