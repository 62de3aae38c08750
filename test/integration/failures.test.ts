/**
 * Setup and infrastructure failures: each gives exit 2 and a message naming what was wrong, and
 * leaves no process behind. Real runner, real k6 where one runs.
 */
import assert from 'node:assert/strict';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

describe('failures before or around the load', () => {
  it('a server command that fails exits 2 with a message naming the command and its output', async () => {
    const out = await tempDir('server-fails');
    const port = await freePort();
    const command = `sh -c 'echo cannot bind model >&2; exit 3' --port ${port}`;
    try {
      const run = await runCli(['health', '--server-cmd', command, '--port', String(port), '--out-dir', out]);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(`command: ${command}`), run.stderr);
      assert.match(run.stderr, /exit code 3/);
      assert.match(run.stderr, /cannot bind model/);
      const { report } = await latestReport(out);
      assert.equal(report.outcome, 'error');
      assert.equal(report.scenarios.length, 0, 'no load was sent');
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    } finally {
      await removeDir(out);
    }
  });

  it('--no-server with nothing answering exits 2 naming the URL', async () => {
    const out = await tempDir('no-server');
    const port = await freePort();
    try {
      const run = await runCli([
        'health',
        '--no-server',
        '--port',
        String(port),
        '--health-timeout',
        '2',
        '--out-dir',
        out,
      ]);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(`no healthy answer from http://127.0.0.1:${port}/health within 2s`), run.stderr);
      assert.match(run.stderr, /ECONNREFUSED/);
    } finally {
      await removeDir(out);
    }
  });

  it('a port already in use exits 2 naming the port, before anything starts', async () => {
    const out = await tempDir('port');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = await runCli(['health', '--port', String(port), '--out-dir', out]);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(`port ${port} on 127.0.0.1 is already in use`), run.stderr);
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    } finally {
      blocker.close();
      await removeDir(out);
    }
  });

  it('an invalid thresholds file stops the run before anything starts, naming the file and the JSON path', async () => {
    const out = await tempDir('bad-thresholds');
    const dir = await tempDir('thresholds');
    await cp(path.join(ROOT, 'thresholds'), dir, { recursive: true });
    await writeFile(
      path.join(dir, 'tokenize.json'),
      JSON.stringify({
        scenario: 'tokenize',
        rules: [{ id: 'x', metric: 'latency_p95', acceptable: -1, source: 's' }],
      }),
    );
    try {
      const run = await runCli(['tokenize', '--thresholds-dir', dir, '--out-dir', out]);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(
        run.stderr.includes(
          `${path.join(dir, 'tokenize.json')}: at /rules/0/acceptable: expected a value that must be >= 0, found -1`,
        ),
        run.stderr,
      );
      assert.deepEqual(await readdir(out).catch(() => []), [], 'no run folder, no report: nothing ran');
    } finally {
      await removeDir(out);
      await removeDir(dir);
    }
  });

  it('a rule naming a phase the scenario lacks stops the run before it starts, naming the file', async () => {
    const out = await tempDir('bad-phase');
    const dir = await tempDir('thresholds');
    await cp(path.join(ROOT, 'thresholds'), dir, { recursive: true });
    const spike = JSON.parse(await readFile(path.join(dir, 'spike.json'), 'utf8')) as {
      rules: Array<Record<string, unknown>>;
    };
    spike.rules.push({ id: 'ramp', metric: 'error_rate', acceptable: 5, phase: 'rampup', source: 's' });
    await writeFile(path.join(dir, 'spike.json'), JSON.stringify(spike));
    try {
      const run = await runCli([
        'spike',
        '--thresholds-dir',
        dir,
        '--out-dir',
        out,
        '--port',
        String(await freePort()),
      ]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(
          `${path.join(dir, 'spike.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: at /rules/\\d+/phase: ` +
            "expected a phase of scenario spike \\(baseline, spike, recovery\\), found 'rampup'",
        ),
      );
      assert.doesNotMatch(run.stderr, /starting the server|using k6/, 'no tool looked for, no server started');
      assert.deepEqual(await readdir(out).catch(() => []), [], 'no run folder: nothing ran');
    } finally {
      await removeDir(out);
      await removeDir(dir);
    }
  });

  const refused: Array<[string, string[], RegExp]> = [
    [
      'an unknown scenario',
      ['healthz'],
      /invalid input: scenario: expected one of health, tokenize, .*all, or a scenario file \(.*\), found 'healthz'/,
    ],
    ['an unknown flag', ['health', '--concurency', '5'], /invalid input: --concurency: expected a known option/],
    [
      'a shape for the three-phase spike',
      ['spike', '--rate', '10'],
      /invalid input: --rate 10: expected a scenario with one phase \(spike has 3: baseline, spike, recovery/,
    ],
    [
      'a bad --scale',
      ['health', '--scale', '2'],
      /invalid input: --scale: expected a number with 0 < n <= 1, found '2'/,
    ],
    [
      'a target that is not on this machine',
      ['health', '--no-server', '--base-url', 'http://10.1.2.3:8080'],
      /refusing to load 10\.1\.2\.3: it is not a loopback address/,
    ],
  ];
  for (const [name, args, message] of refused) {
    it(`${name} exits 2 with a message naming it`, async () => {
      const out = await tempDir('refused');
      try {
        const run = await runCli([...args, '--out-dir', out]);
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, message);
        assert.deepEqual(await readdir(out).catch(() => []), [], 'nothing ran');
      } finally {
        await removeDir(out);
      }
    });
  }
});
