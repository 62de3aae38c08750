/**
 * The runner's receiver of k6's windows: a push that cannot be read is refused with what was wrong and
 * counted, and nothing of it reaches the windows file.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startWindowsReceiver } from '../../src/node/watch/windows-receiver.js';

describe("the receiver of k6's windows", () => {
  it('listens on loopback only, refuses a body that is not snappy with 400, and counts it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'windows-'));
    const file = path.join(dir, 'windows.jsonl');
    const receiver = await startWindowsReceiver(file);
    let stopped: Awaited<ReturnType<typeof receiver.stop>> | null = null;
    try {
      assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write$/);
      // A declared length of 127 bytes and nothing after it.
      const res = await fetch(receiver.url, { method: 'POST', body: new Uint8Array([0x7f]) });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /remote-write body: at byte \d+: expected/);
      stopped = await receiver.stop();
      assert.deepEqual([stopped.pushes, stopped.rejected.length], [0, 1]);
      assert.equal(await readFile(file, 'utf8'), '');
    } finally {
      if (stopped === null) await receiver.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
