import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { summarizeGenerator, type GeneratorSample } from '../../src/core/watch/generator.js';
import { generatorLines } from '../../src/core/report/render-generator.js';
import type { ScenarioReport } from '../../src/core/types.js';
import { GroupMembers, sampleGenerator } from '../../src/node/watch/generator.js';

const MB = 1024 * 1024;

/** One sample a second; cumulative counters grow by the given amount per second from `at` on. */
function samples(
  n: number,
  per: { k6: number; browser: number; wait: number; busy: number },
  from = 0,
): GeneratorSample[] {
  return Array.from({ length: n }, (_, i) => {
    const t = Math.max(0, i - from);
    return {
      tMs: 1000 * i,
      k6: { cpuSec: 0.1 * i + per.k6 * t, memBytes: (50 + i) * MB },
      browser: { cpuSec: 2 * Math.min(i, from) + per.browser * t, memBytes: 300 * MB, processes: 6 },
      waitSec: 0.5 * Math.min(i, from) + per.wait * t,
      machine: { busySec: 2 * Math.min(i, from) + per.busy * t, totalSec: 2 * i },
    };
  });
}

describe("the load generator's own cost", () => {
  it('sums k6 and its browser apart, with their peak memory, over the whole run', () => {
    const g = summarizeGenerator(samples(5, { k6: 0.1, browser: 0.3, wait: 0, busy: 0.5 }), null, 2, 1000)!;
    assert.deepEqual([g.runSec, g.k6.peakMemMb, g.browser?.peakMemMb, g.browser?.processes], [4, 54, 300, 6]);
    assert.ok(Math.abs(g.k6.cpuSec - 0.8) < 1e-9 && Math.abs(g.browser!.cpuSec - 1.2) < 1e-9);
    assert.equal(g.shortOfCpu, false);
    assert.equal(g.warning, null);
    assert.equal(g.machineBusyPct, 25);
  });

  it('warns when its threads waited for a CPU, or the machine had none idle', () => {
    const waited = summarizeGenerator(samples(5, { k6: 0.1, browser: 0.3, wait: 0.3, busy: 1 }), null, 2, 1000)!;
    assert.equal(waited.shortOfCpu, true);
    assert.match(waited.warning!, /short of CPU: its threads waited for a CPU 30 % of the time/);
    const busy = summarizeGenerator(samples(5, { k6: 0.1, browser: 0.3, wait: 0, busy: 1.9 }), null, 2, 1000)!;
    assert.match(busy.warning!, /the machine's 2 core\(s\) were 95 % busy/);
  });

  it("judges a streamed run over its measured window, not over the browser's start", () => {
    // Seconds 0-3: the browser starts, its threads queue for both cores; seconds 3-8: the load, calm.
    const s = samples(9, { k6: 0.05, browser: 0.2, wait: 0, busy: 0.6 }, 3);
    assert.equal(summarizeGenerator(s, null, 2, 1000)!.shortOfCpu, true, 'the whole run includes the start');
    const g = summarizeGenerator(s, { startMs: 3000, endMs: 8000 }, 2, 1000)!;
    assert.deepEqual([g.shortOfCpu, g.loadSec, g.machineBusyPct], [false, 5, 30]);
    assert.ok(Math.abs(g.loadCpuPctOfOneCore! - 35) < 1e-9);
  });

  it('reports but does not judge a load shorter than a second', () => {
    const s = samples(5, { k6: 0.1, browser: 0.3, wait: 1, busy: 2 });
    const g = summarizeGenerator(s, { startMs: 1000, endMs: 1500 }, 2, 1000)!;
    assert.deepEqual(
      [g.loadSec, g.machineBusyPct, g.shortOfCpu],
      [1, 100, true],
      'a second of a saturated machine is judged',
    );
    const short = summarizeGenerator(
      s.map((x) => ({ ...x, tMs: x.tMs / 10 })),
      { startMs: 100, endMs: 150 },
      2,
      100,
    )!;
    assert.deepEqual([short.loadSec, short.shortOfCpu, short.warning], [0.1, false, null]);
  });

  it('needs two samples, and shows in the text report', () => {
    assert.equal(summarizeGenerator(samples(1, { k6: 1, browser: 1, wait: 0, busy: 1 }), null, 2, 1000), null);
    const g = summarizeGenerator(samples(5, { k6: 0.1, browser: 0.3, wait: 0.5, busy: 1 }), null, 2, 1000)!;
    const text = generatorLines({ generator: g } as ScenarioReport).join('\n');
    assert.match(text, /k6 0\.80 s CPU, peak 54\.0 MB; browser \(6 processes\) 1\.20 s CPU/);
    assert.match(text, /SHORT OF CPU/);
  });
});

describe("sampling the generator's process group from /proc", () => {
  it('finds leader and children, names the browser’s processes, seeks new members once per scan period', async () => {
    // A group of its own (detached): a shell that starts a "browser" (sleep under Chromium's name)
    // and a child it waits for, then another child.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-generator-'));
    const browserBin = path.join(dir, 'chromium');
    await copyFile('/bin/sleep', browserBin);
    await chmod(browserBin, 0o755);
    const leader = spawn('sh', ['-c', `${browserBin} 30 & sleep 0.3; sleep 31 & wait`], {
      detached: true,
      stdio: 'ignore',
    });
    try {
      await new Promise((r) => setTimeout(r, 150));
      const members = new GroupMembers(leader.pid!, 60_000);
      const t0 = Date.now();
      const first = members.at(t0);
      assert.ok(first.some((m) => m.pid === leader.pid && !m.browser));
      assert.deepEqual(
        first.map((m) => m.browser).sort(),
        [false, false, true],
        'the shell and the child it waits for are the generator’s; the one named chromium is the browser',
      );
      await new Promise((r) => setTimeout(r, 500));
      const known = members.at(t0 + 1000).map((m) => m.pid);
      assert.equal(known.length, 2, 'the one that ended is dropped');
      assert.ok(
        known.every((pid) => first.some((m) => m.pid === pid)),
        'the child started since is not looked for before the next scan',
      );
      const rescanned = members.at(t0 + 60_000);
      assert.equal(rescanned.filter((m) => !first.some((f) => f.pid === m.pid)).length, 1, 'the next scan finds it');
      const s = sampleGenerator(members, t0 + 60_001)!;
      assert.ok(s.k6.memBytes > 0, 'the peak resident memory the kernel kept');
      assert.equal(s.browser.processes, 1);
      assert.ok(s.browser.memBytes > 0);
    } finally {
      process.kill(-leader.pid!, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(sampleGenerator(new GroupMembers(leader.pid!)), null, 'a leader gone gives no sample');
  });
});
