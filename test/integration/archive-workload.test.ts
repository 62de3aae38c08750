/**
 * A workload carried by a k6 archive (npm run k6:operator, npm run k6:cloud): its lines are made here, counted by
 * a reachable Realizar (--tokenizer-url) while the load's target is a cluster address, and packed into the
 * archive. The runners then read them from the archive alone: the run folder's copy is moved away and k6 runs in
 * another folder, as a runner Pod would. The truth is Realizar's own count of every request's input and output,
 * merged over the runners by merge.yaml's script. The cloud's side is the test-only stand-in of its API.
 */
import assert from 'node:assert/strict';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { K6_FILES, K6_VARS } from '../../src/core/contract.js';
import type { WorkloadPlan } from '../../src/core/types.js';
import { startCloudStandIn, standInEnv } from '../support/cloud-stand-in.js';
import { filesUnder, removeDir, ROOT, tempDir, waitForNoLeftovers } from '../support/cli.js';
import { manifestsOf, runMergeJob, runRunners, startRealizar } from '../support/operator.js';
import { documentedExample, projectWith } from '../support/own-scenario.js';
import { cleanEnv, runScript } from '../support/scripts.js';
import { fileContent, readTar, type TarEntry } from '../support/tar.js';

const CLUSTER_URL = 'http://realizar.loadtest.svc:8080';

/** The archive's WORKLOAD variable, and the lines of the file it names, out of the archive itself. */
function archivedWorkload(entries: TarEntry[]): { plan: WorkloadPlan; lines: string[] } {
  const metadata = JSON.parse(fileContent(entries, 'metadata.json')!.toString()) as { env: Record<string, string> };
  const text = metadata.env[K6_VARS.WORKLOAD.name];
  assert.ok(text, `the archive's variables: ${Object.keys(metadata.env).join(', ')}`);
  const plan = JSON.parse(text) as WorkloadPlan;
  // k6 keeps a file the init opened under file/<its absolute path>.
  const content = fileContent(entries, `file${plan.file}`);
  assert.ok(content, `${plan.file} in the archive: ${entries.map((e) => e.name).join(', ')}`);
  return { plan, lines: content.toString().trim().split('\n') };
}

describe('a workload in a k6 archive', () => {
  it("operator: runners send the archive's lines in its shape and arrivals, as the server counted", async () => {
    const out = await tempDir('operator-workload');
    const server = await startRealizar();
    try {
      const shape = ['--rate', '20', '--duration', '3', '--concurrency', '8', '--arrivals', 'poisson', '--seed', '5'];
      const workload = ['--input-tokens', '24', '--output-tokens', '4', '--tokenizer-url', server.baseUrl];
      const made = await runScript(
        'operator',
        ['generate', '--parallelism', '2', '--base-url', CLUSTER_URL, '--out-dir', out, ...shape, ...workload],
        { env: cleanEnv() },
      );
      assert.equal(made.code, 0, made.stderr);
      const dir = path.dirname((await filesUnder(out)).find((f) => path.basename(f) === 'manifests.yaml')!);
      const { plan, lines } = archivedWorkload(readTar(await readFile(path.join(dir, 'archive.tar'))));
      assert.equal(plan.input, '24 tokens');
      assert.match(plan.tokenizer, new RegExp(`exact, at ${server.baseUrl}$`), 'counted where it was asked to be');

      // Away from the run folder's copy: a runner Pod has the archive and nothing else.
      await rename(plan.file, `${plan.file}.moved`);
      const volume = path.join(out, 'volume');
      const testRun = (await manifestsOf(dir))[2]!;
      const runners = await runRunners({ dir, testRun, volume, baseUrl: server.baseUrl, cwd: out });
      // A runner judges k6's throughput threshold on its share, about half the rate: it may cross that one alone
      // (k6's 99); the verdict is the merge's (docs/past-one-machine.md).
      for (const r of runners) {
        const log = await readFile(path.join(r.folder, K6_FILES.log), 'utf8');
        const crossed = [...log.matchAll(/thresholds on metrics '([^']+)' have been crossed/g)];
        assert.deepEqual(
          crossed.flatMap((m) => m[1]!.split(', ')),
          r.result.code === 0 ? [] : ['requests_ok'],
          log.slice(-2000),
        );
        assert.ok([0, 99].includes(r.result.code ?? -1), r.result.stderr);
      }
      const merged = await runMergeJob({ dir, volume, job: path.join(out, 'job') });
      assert.equal(merged.result.code, 0, merged.result.stderr);

      const s = merged.report!.scenarios[0]!;
      const planned = s.phases.reduce((a, p) => a + p.plannedRequests, 0);
      assert.equal(planned, 60, 'the shape recorded in the archive: 20 a second for 3 s');
      assert.equal(s.arrivals?.process, 'poisson, seed 5');
      assert.equal(lines.length, planned, 'a line for every request of the plan k6 resolved from the archive');
      assert.equal(s.totals.sent, planned);
      const w = s.workload!;
      assert.equal(w.inputTokens.asked!.samples, planned, 'every request carried a line');
      assert.deepEqual(
        [w.inputTokens.extra!.min, w.inputTokens.extra!.max],
        [0, 0],
        "Realizar's count of what it received is what the line was counted as",
      );
      assert.deepEqual([w.outputTokens.asked!.min, w.outputTokens.asked!.max], [4, 4]);
      assert.deepEqual([w.outputTokens.received!.min, w.outputTokens.received!.max], [4, 4]);
    } finally {
      server.kill();
      await removeDir(out);
    }
    assert.deepEqual(await waitForNoLeftovers(out), []);
  });

  it("cloud upload: a dataset's lines for a scenario file's endpoint go up in the archive", async () => {
    const project = await projectWith('cloud-workload', { 'loadtests/my-chat.ts': documentedExample() });
    const standIn = await startCloudStandIn();
    const server = await startRealizar();
    const out = await tempDir('cloud-workload');
    try {
      const dataset = path.join(ROOT, 'test', 'fixtures', 'workloads', 'sharegpt.json');
      const file = path.join(project, 'loadtests', 'my-chat.ts');
      const args = ['upload', file, '--base-url', CLUSTER_URL, '--out-dir', out];
      const run = await runScript('cloud', [...args, '--dataset', dataset, '--tokenizer-url', server.baseUrl], {
        env: standInEnv(standIn, cleanEnv(), { token: 'dummy-token-5e1f', projectId: '4242', stackId: '77' }),
      });
      assert.equal(run.code, 0, run.stderr);
      const upload = standIn.requests.find((r) => r.path === '/v1/archive-upload')!;
      const sent = readTar(upload.parts!.find((p) => p.name === 'file')!.content);
      const { plan, lines } = archivedWorkload(sent);
      assert.match(plan.source, /^dataset sharegpt\.json \(ShareGPT/);
      assert.ok(lines.length > 0);
      // Without --turns, a conversation's first human turn is the request (docs/workloads.md).
      const first = JSON.parse(lines[0]!) as { prompt?: string; input_tokens?: number };
      assert.equal(first.prompt, 'How do I boil an egg?', "the dataset's own text");
      assert.ok((first.input_tokens ?? 0) > 0, 'each line counted');
      assert.equal(
        await readFile(plan.file, 'utf8'),
        `${lines.join('\n')}\n`,
        'the run folder keeps the lines that went up',
      );
    } finally {
      server.kill();
      await standIn.close();
      await removeDir(out);
      await removeDir(project);
    }
  });

  it("operator --trace: the trace's due times and its requests' lines travel in the archive", async () => {
    const out = await tempDir('operator-trace');
    const server = await startRealizar();
    try {
      const trace = path.join(ROOT, 'test', 'fixtures', 'workloads', 'mooncake.jsonl');
      const made = await runScript(
        'operator',
        ['generate', '--parallelism', '2', '--trace', trace, '--tokenizer-url', server.baseUrl, '--out-dir', out],
        { env: cleanEnv() },
      );
      assert.equal(made.code, 0, made.stderr);
      const dir = path.dirname((await filesUnder(out)).find((f) => path.basename(f) === 'manifests.yaml')!);
      const entries = readTar(await readFile(path.join(dir, 'archive.tar')));
      const { plan, lines } = archivedWorkload(entries);
      assert.match(plan.source, /^trace mooncake\.jsonl \(Mooncake trace, 4 requests\)/);
      assert.equal(lines.length, 4);
      const env = (JSON.parse(fileContent(entries, 'metadata.json')!.toString()) as { env: Record<string, string> })
        .env;
      assert.equal(env[K6_VARS.TRACE_SOURCE.name], 'mooncake.jsonl');
      const offsets = JSON.parse(
        fileContent(entries, `file${env[K6_VARS.ARRIVALS_FILE.name]}`)!.toString(),
      ) as number[];
      assert.equal(offsets.length, 4, "each request's due time");
    } finally {
      server.kill();
      await removeDir(out);
    }
  });

  it('is refused before anything is built: no prompts to send, a lone --tokenizer-url, trace and rate', async () => {
    const out = await tempDir('archive-workload-refused');
    try {
      const health = await runScript(
        'operator',
        ['health', '--parallelism', '2', '--input-tokens', '32', '--out-dir', out],
        { env: cleanEnv() },
      );
      assert.equal(health.code, 2);
      assert.match(health.stderr, /scenario: expected a scenario whose endpoints take prompts .* found health/);
      const alone = await runScript('operator', ['generate', '--parallelism', '2', '--tokenizer-url', CLUSTER_URL], {
        env: cleanEnv(),
      });
      assert.equal(alone.code, 2);
      assert.match(alone.stderr, /--tokenizer-url: expected a workload option beside it/);
      const traced = await runScript(
        'operator',
        ['generate', '--parallelism', '2', '--trace', 'none.jsonl', '--rate', '5', '--out-dir', out],
        { env: cleanEnv() },
      );
      assert.equal(traced.code, 2);
      assert.match(traced.stderr, /--rate: expected no --rate beside --trace/);
      assert.deepEqual(await filesUnder(out), [], 'no run folder, no archive');
    } finally {
      await removeDir(out);
    }
  });
});
