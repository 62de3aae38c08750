/**
 * A target that is not on this machine: refused without --allow-remote (nothing is sent), loaded
 * with it and a warning naming the host. The "remote" host is the test's own: a network namespace
 * made by this test, joined to this machine by a veth pair with private /30 addresses, running the
 * test-only fault server. No traffic leaves the machine. Needs root and iproute2 (CI has both);
 * elsewhere the test is skipped and says why.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir } from '../support/cli.js';

interface TestHost {
  address: string;
  teardown: () => void;
}

function makeTestHost(): TestHost | string {
  if (process.getuid?.() !== 0) return 'needs root to make a network namespace';
  const id = String(process.pid % 100000);
  const ns = `rk6-${id}`;
  const [host, peer] = [`rk6h${id}`, `rk6p${id}`];
  const octet = 1 + (process.pid % 250);
  const ip = (...args: string[]): string =>
    execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const teardown = (): void => {
    for (const cmd of [
      ['link', 'delete', host],
      ['netns', 'delete', ns],
    ]) {
      try {
        ip(...cmd);
      } catch {
        // Already gone.
      }
    }
  };
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', ns);
    ip('addr', 'add', `10.211.${octet}.1/30`, 'dev', host);
    ip('link', 'set', host, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `10.211.${octet}.2/30`, 'dev', peer);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up');
  } catch (err) {
    teardown();
    return `could not make a test network namespace: ${(err as Error).message.split('\n')[0]}`;
  }
  return { address: `10.211.${octet}.2`, teardown: () => teardown() };
}

async function counts(url: string): Promise<{ received: number }> {
  return (await (await fetch(`${url}/__counts`)).json()) as { received: number };
}

describe('a target that is not on this machine', () => {
  it('is refused without --allow-remote and loaded, with a warning naming it, with it', async (t) => {
    const testHost = makeTestHost();
    if (typeof testHost === 'string') {
      t.skip(testHost);
      return;
    }
    const ns = `rk6-${process.pid % 100000}`;
    const port = await freePort();
    const url = `http://${testHost.address}:${port}`;
    const out = await tempDir('remote');
    let server: ChildProcess | null = null;
    try {
      server = spawn(
        'ip',
        [
          'netns',
          'exec',
          ns,
          process.execPath,
          '--import',
          'tsx',
          path.join(ROOT, 'test/support/fault-server.ts'),
          '--host',
          testHost.address,
          '--port',
          String(port),
        ],
        { cwd: ROOT, stdio: 'ignore' },
      );
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await counts(url);
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }

      const before = (await counts(url)).received;
      const refused = await runCli(['health', '--no-server', '--base-url', url, '--out-dir', out]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.ok(
        refused.stderr.includes(`refusing to load ${testHost.address}: it is not a loopback address`),
        refused.stderr,
      );
      assert.equal((await counts(url)).received, before, 'nothing was sent to the refused host');

      const allowed = await runCli([
        'health',
        '--no-server',
        '--base-url',
        url,
        '--allow-remote',
        '--scale',
        '0.1',
        '--server-profile',
        'none',
        '--out-dir',
        out,
      ]);
      const { report } = await latestReport(out);
      assert.equal(allowed.code, report.exitCode, allowed.stderr);
      assert.ok(
        allowed.stderr.includes(`warning: loading ${testHost.address}, which is not on this machine (--allow-remote)`),
        allowed.stderr,
      );
      assert.equal(report.scenarios[0]?.totals.sent, 10);
      assert.match(report.machine.note, /the server is elsewhere/);
    } finally {
      server?.kill('SIGTERM');
      if (server !== null && server.exitCode === null) await new Promise((r) => server!.once('exit', r));
      testHost.teardown();
      await removeDir(out);
    }
  });
});
