/**
 * npm run k6:cloud with the real k6 binary against a local stand-in of the k6 cloud API
 * (test/support/cloud-stand-in.ts; there is no internet here). What k6 sent is asserted from the
 * stand-in's records: the archive (a tar holding the bundled scenario), the test name, the project,
 * the `Authorization: Token ...` header. A refused upload must give exit 2 and say which HTTP status
 * came back and what to check; the dummy token must appear in no output and no file of the run.
 * Any non-loopback HTTP(S) call k6 might try is sent to a dead loopback proxy, so nothing leaves
 * this machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { classifyCloudFailure } from '../../src/node/k6/cloud-failure.js';
import { parseRunConfig } from '../../src/node/config/index.js';
import { createRedactor } from '../../src/node/process/redact.js';
import { resolveRealizar } from '../../src/node/tools/tools.js';
import { standInEnv, startCloudStandIn, type CloudStandIn, type StandInOptions } from '../support/cloud-stand-in.js';
import { freePort, removeDir, ROOT, tempDir, waitForNoLeftovers, type CliResult } from '../support/cli.js';
import { cleanEnv, filesUnder, runScript } from '../support/scripts.js';
import { documentedExample, projectWith } from '../support/own-scenario.js';
import { fileContent, readTar } from '../support/tar.js';

const TOKEN = 'dummy-k6-cloud-token-7c41e9b2d05f';
const PROJECT_ID = '4242';
const STACK_ID = '77';

function envFor(standIn: CloudStandIn, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...standInEnv(standIn, cleanEnv(), { token: TOKEN, projectId: PROJECT_ID, stackId: STACK_ID }), ...extra };
}

/** The token in no terminal output and no file (text or binary) under the out dir. */
async function assertTokenNowhere(run: CliResult, out: string): Promise<string[]> {
  assert.ok(!run.stdout.includes(TOKEN), 'the token is in stdout');
  assert.ok(!run.stderr.includes(TOKEN), 'the token is in stderr');
  const files = await filesUnder(out);
  for (const f of files) assert.ok(!(await readFile(f)).includes(TOKEN), `the token is in ${f}`);
  return files;
}

async function withStandIn(
  options: StandInOptions,
  label: string,
  body: (standIn: CloudStandIn, out: string) => Promise<void>,
): Promise<void> {
  const standIn = await startCloudStandIn(options);
  const out = await tempDir(label);
  try {
    await body(standIn, out);
  } finally {
    await standIn.close();
    await removeDir(out);
  }
  assert.deepEqual(await waitForNoLeftovers(out), [], 'a process of the run is still alive');
}

describe('k6 cloud', () => {
  it("reads the HTTP status out of each form of k6's cloud API errors", () => {
    // The forms of k6 v1.8.1 cloudapi.CheckResponse / ResponseError, as logged by k6.
    const cases: Array<[string, number | null, string | null]> = [
      ['time="t" level=error msg="(401/E2) Invalid token"', 401, null],
      ['time="t" level=error msg="(500) Internal error"', 500, null],
      [
        'time="t" level=error msg="unexpected HTTP error from https://api.example/v1/archive-upload: 502 Bad Gateway"',
        502,
        '/v1/archive-upload',
      ],
      ['time="t" level=error msg="failed to authenticate with k6 Cloud"', 401, null],
      ['time="t" level=error msg="not allowed to upload result to k6 Cloud"', 403, null],
      [
        'time="t" level=error msg="Post \\"http://127.0.0.1:1/v1/validate-options\\": ' +
          'dial tcp 127.0.0.1:1: connect: connection refused"',
        null,
        null,
      ],
    ];
    for (const [line, status, endpoint] of cases) {
      const f = classifyCloudFailure(line);
      assert.deepEqual([f.httpStatus, f.endpoint], [status, endpoint], line);
    }
    assert.equal(classifyCloudFailure(cases[5]![0]).unreachable, true);
  });

  it('the output redactor hides a token even when it arrives split across chunks', () => {
    const r = createRedactor([TOKEN]);
    const text = `a ${TOKEN} b ${TOKEN}`;
    const chunks = [text.slice(0, 5), text.slice(5, 20), text.slice(20, 41), text.slice(41)];
    const out = chunks.map((c) => r.push(c)).join('') + r.end();
    assert.equal(out, 'a [redacted] b [redacted]');
  });

  it('upload sends archive, name, project and token header; the token stays out of all output and files', async () => {
    await withStandIn({}, 'cloud-upload', async (standIn, out) => {
      const run = await runScript('cloud', ['upload', 'health', '--out-dir', out], { env: envFor(standIn) });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /cannot reach 127\.0\.0\.1 on this machine/, 'the loopback target is warned about');

      const paths = standIn.requests.map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(paths.slice(0, 2), ['POST /v1/validate-options', 'POST /v1/archive-upload']);
      assert.ok(
        paths.every((p) => !p.startsWith('POST /v1/tests')),
        'an upload starts no test run',
      );
      const upload = standIn.requests.find((r) => r.path === '/v1/archive-upload')!;
      assert.equal(upload.headers.authorization, `Token ${TOKEN}`);
      assert.equal(upload.headers['x-stack-id'], STACK_ID);
      assert.equal(standIn.field(upload, 'name'), 'realizar-k6-health');
      assert.equal(standIn.field(upload, 'upload_only'), 'true');
      assert.equal(standIn.field(upload, 'project_id'), PROJECT_ID);
      const file = upload.parts?.find((p) => p.name === 'file');
      assert.equal(file?.filename, 'archive.tar');

      const script = await readFile(path.join(ROOT, 'dist', 'k6', 'health.js'));
      const sent = readTar(file!.content);
      const sentScript = sent.find((e) => e.name.endsWith('/dist/k6/health.js'));
      assert.ok(sentScript, `the scenario script in the uploaded archive: ${sent.map((e) => e.name).join(', ')}`);
      assert.ok(
        fileContent(sent, sentScript.name)?.equals(script),
        'the uploaded script is the bundled dist/k6/health.js',
      );
      const metadata = JSON.parse(fileContent(sent, 'metadata.json')!.toString()) as { env: Record<string, string> };
      assert.equal(metadata.env['BASE_URL'], 'http://127.0.0.1:8080');

      const files = await assertTokenNowhere(run, out);
      const local = files.find((f) => path.basename(f) === 'archive.tar');
      assert.ok(local, `a local archive.tar in ${files.join(', ')}`);
      const localEntries = readTar(await readFile(local));
      assert.ok(fileContent(localEntries, sentScript.name)?.equals(script), 'the local archive holds the same script');
      const record = JSON.parse(await readFile(path.join(path.dirname(local), 'cloud.json'), 'utf8')) as {
        referenceId: string;
        exitCode: number;
        command: string;
      };
      assert.deepEqual([record.command, record.referenceId, record.exitCode], ['upload', '4711', 0]);
    });
  });

  it('a refused upload (401) exits 2, names the status and what to check, and never shows the token', async () => {
    const refuseUpload = {
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 2, message: 'Invalid token' } }),
    };
    await withStandIn({ refuseUpload }, 'cloud-401', async (standIn, out) => {
      const run = await runScript('cloud', ['upload', 'health', '--out-dir', out], { env: envFor(standIn) });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /k6 cloud upload failed: the cloud API answered HTTP 401 \(Unauthorized\)/);
      assert.match(run.stderr, /what to check: .*K6_CLOUD_TOKEN.*K6_CLOUD_STACK_ID \(77\)/);
      assert.match(run.stderr, /Invalid token/, "the cloud's own message is passed on");
      assert.ok(standIn.requests.some((r) => r.path === '/v1/archive-upload' && r.status === 401));
      await assertTokenNowhere(run, out);
    });
  });

  it('a refused upload (500) exits 2 and names the status and the API path', async () => {
    const refuseUpload = { status: 500, contentType: 'text/plain', body: 'upstream exploded' };
    await withStandIn({ refuseUpload }, 'cloud-500', async (standIn, out) => {
      const run = await runScript('cloud', ['upload', 'health', '--out-dir', out], { env: envFor(standIn) });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /the cloud API answered HTTP 500 \(Internal Server Error\) to \/v1\/archive-upload/);
      assert.match(run.stderr, /what to check: the cloud API failed on its side/);
      await assertTokenNowhere(run, out);
    });
  });

  it('upload takes a scenario file of one’s own: its bundle, under its name', async () => {
    const project = await projectWith('cloud', { 'loadtests/my-chat.ts': documentedExample() });
    try {
      await withStandIn({}, 'cloud-own', async (standIn, out) => {
        const file = path.join(project, 'loadtests', 'my-chat.ts');
        const run = await runScript('cloud', ['upload', file, '--out-dir', out], { env: envFor(standIn) });
        assert.equal(run.code, 0, run.stderr);
        const upload = standIn.requests.find((r) => r.path === '/v1/archive-upload')!;
        assert.equal(standIn.field(upload, 'name'), 'realizar-k6-my-chat');
        const sent = readTar(upload.parts!.find((p) => p.name === 'file')!.content);
        const script = sent.find((e) => e.name.endsWith('/dist/k6/my-chat.js'));
        assert.ok(script, `the file's bundle in the archive: ${sent.map((e) => e.name).join(', ')}`);
        assert.match(fileContent(sent, script.name)!.toString(), /\/v1\/chat\/completions/);
        await assertTokenNowhere(run, out);
      });
    } finally {
      await removeDir(project);
    }
  });

  it('a missing token stops the command before anything is built or sent, exit 2', async () => {
    await withStandIn({}, 'cloud-no-token', async (standIn, out) => {
      const env = envFor(standIn);
      delete env['K6_CLOUD_TOKEN'];
      const run = await runScript('cloud', ['upload', 'health', '--out-dir', out], { env });
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(
          /environment variable K6_CLOUD_TOKEN: expected a Grafana Cloud k6 API token /.source +
            /.* found nothing \(the variable is not set\)/.source,
        ),
      );
      assert.deepEqual(standIn.requests, []);
      assert.deepEqual(await filesUnder(out), []);
    });
  });

  it('run in the cloud exits 0 when the cloud reports a pass and 1 when it reports crossed thresholds', async () => {
    for (const [resultStatus, expected] of [
      [0, 0],
      [1, 1],
    ] as const) {
      await withStandIn({ resultStatus }, 'cloud-run', async (standIn, out) => {
        const run = await runScript(
          'cloud',
          ['run', 'health', '--base-url', 'http://192.0.2.10:8080', '--allow-remote', '--out-dir', out],
          {
            env: envFor(standIn),
          },
        );
        assert.equal(run.code, expected, run.stderr);
        const upload = standIn.requests.find((r) => r.path === '/v1/archive-upload')!;
        assert.equal(standIn.field(upload, 'upload_only'), undefined, 'a run is not upload-only');
        assert.equal(standIn.field(upload, 'name'), 'realizar-k6-health');
        assert.ok(standIn.requests.some((r) => r.path === '/v1/test-progress/4711'));
        await assertTokenNowhere(run, out);
      });
    }
  });

  it('run --local-execution loads a real Realizar here and streams the results to the cloud API', async () => {
    const port = await freePort();
    const { cacheDir } = parseRunConfig(['--help'], []);
    const realizar = await resolveRealizar({ cacheDir });
    const server = spawn(realizar.path, ['serve', '--demo', '--host', '127.0.0.1', '--port', String(port)], {
      detached: true,
      stdio: 'ignore',
    });
    try {
      const deadline = Date.now() + 60_000;
      while (
        !(await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        assert.ok(Date.now() < deadline, 'Realizar did not become healthy');
        await new Promise((r) => setTimeout(r, 100));
      }
      await withStandIn({}, 'cloud-local', async (standIn, out) => {
        const run = await runScript(
          'cloud',
          ['run', 'health', '--local-execution', '--base-url', `http://127.0.0.1:${port}`, '--out-dir', out],
          {
            env: envFor(standIn),
          },
        );
        assert.equal(run.code, 0, run.stderr);
        const created = standIn.requests.find((r) => r.method === 'POST' && r.path === '/v1/tests');
        assert.ok(created, `test run created: ${standIn.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
        assert.equal(created.headers.authorization, `Token ${TOKEN}`);
        assert.equal(standIn.field(created, 'name'), 'realizar-k6-health');
        assert.ok(
          created.parts?.some(
            (p) => p.name === 'file' && readTar(p.content).some((e) => e.name.endsWith('/dist/k6/health.js')),
          ),
          'the archive goes with it',
        );
        assert.ok(
          standIn.requests.some((r) => r.path.startsWith('/v2/metrics/')),
          'metrics were streamed',
        );
        assert.ok(
          standIn.requests.some((r) => r.method === 'POST' && /^\/v1\/tests\/\d+$/.test(r.path)),
          'the test run was marked finished',
        );
        assert.match(run.stdout, /Total requests: 100\n/, "the scenario's own summary block");
        await assertTokenNowhere(run, out);
      });
    } finally {
      try {
        process.kill(-server.pid!, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
  });
});
