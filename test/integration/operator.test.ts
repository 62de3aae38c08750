/**
 * npm run k6:operator with the real k6 binary (k6 archive, k6 inspect): the TestRun it writes must
 * validate against our schema (schemas/k6-operator-testrun.schema.json, compiled here with ajv),
 * the ConfigMap must hold the bundled scenario as a tar, and the two must name each other. The YAML
 * is read back with a real YAML parser (the yaml package), never with our own writer's assumptions.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { K6_FILES } from '../../src/core/contract.js';
import type { RunnerRecord } from '../../src/core/types.js';
import { pct, samplesTruth } from '../support/split-truth.js';
import { validateK6OperatorTestRun } from '../../src/generated/file-validators.cjs';
import { executionSegments, manifestsYaml, type OperatorManifests } from '../../src/core/commands/operator.js';
import { distributionNotes } from '../../src/core/commands/operator-notes.js';
import { removeDir, ROOT, tempDir, waitForNoLeftovers } from '../support/cli.js';
import { loadAll, manifestsOf, runMergeJob, runRunners, startRealizar, type Manifest } from '../support/operator.js';
import { cleanEnv, filesUnder, runScript } from '../support/scripts.js';
import { fileContent, readTar } from '../support/tar.js';

async function testRunValidator(): Promise<{ validate: (data: unknown) => boolean; errors: () => string }> {
  // The validator generated from schemas/k6-operator-testrun.schema.json (build/codegen.ts).
  return {
    validate: (d) => validateK6OperatorTestRun(d),
    errors: () => JSON.stringify(validateK6OperatorTestRun.errors),
  };
}

describe('k6-operator manifests', () => {
  it('health --parallelism 4: a valid TestRun of 4 runners, a ConfigMap holding the bundled script', async () => {
    const out = await tempDir('operator');
    try {
      const baseUrl = 'http://realizar.loadtest.svc:8080';
      const run = await runScript(
        'operator',
        ['health', '--parallelism', '4', '--namespace', 'loadtest', '--base-url', baseUrl, '--out-dir', out],
        {
          env: cleanEnv(),
        },
      );
      assert.equal(run.code, 0, run.stderr);
      const files = await filesUnder(out);
      const manifestsFile = files.find((f) => path.basename(f) === 'manifests.yaml');
      assert.ok(manifestsFile, `manifests.yaml in ${files.join(', ')}`);
      const docs = loadAll(await readFile(manifestsFile, 'utf8')) as Manifest[];
      assert.deepEqual(
        docs.map((d) => `${d.apiVersion} ${d.kind}`),
        ['v1 ConfigMap', 'v1 PersistentVolumeClaim', 'k6.io/v1alpha1 TestRun'],
      );
      const [configMap, , testRun] = docs as [Manifest, Manifest, Manifest];

      const { validate, errors } = await testRunValidator();
      assert.ok(validate(testRun), `TestRun against schemas/k6-operator-testrun.schema.json: ${errors()}`);
      assert.equal(testRun.spec?.parallelism, 4);
      assert.ok(testRun.spec?.arguments?.includes(`-e BASE_URL=${baseUrl}`), testRun.spec?.arguments);

      const ref = testRun.spec!.script.configMap;
      assert.equal(ref.name, configMap.metadata.name, 'the TestRun names the ConfigMap');
      assert.equal(configMap.metadata.namespace, 'loadtest');
      assert.equal(testRun.metadata.namespace, 'loadtest', 'a TestRun reads ConfigMaps of its own namespace only');
      const encoded = configMap.binaryData?.[ref.file];
      assert.ok(encoded, `binaryData holds the key the TestRun runs (${ref.file})`);

      const archive = Buffer.from(encoded, 'base64');
      assert.ok(
        archive.equals(await readFile(path.join(path.dirname(manifestsFile), 'archive.tar'))),
        'the ConfigMap holds the run folder archive.tar',
      );
      const entries = readTar(archive);
      const script = entries.find((e) => e.name.endsWith('/dist/k6/health.js'));
      assert.ok(script, `the scenario script in the archive: ${entries.map((e) => e.name).join(', ')}`);
      assert.ok(
        fileContent(entries, script.name)?.equals(await readFile(path.join(ROOT, 'dist', 'k6', 'health.js'))),
        'the archived script is the bundled dist/k6/health.js',
      );

      for (const s of ['0:1/4', '1/4:2/4', '2/4:3/4', '3/4:1'])
        assert.ok(run.stdout.includes(`--execution-segment=${s}`), `segment ${s} in:\n${run.stdout}`);
      assert.match(run.stdout, /kubectl apply (--server-side )?-f \S+manifests\.yaml/);
    } finally {
      await removeDir(out);
    }
    assert.deepEqual(await waitForNoLeftovers(out), []);
  });

  it('a TestRun name Kubernetes would refuse stops the command before anything is built, exit 2', async () => {
    const out = await tempDir('operator-bad-name');
    try {
      const run = await runScript(
        'operator',
        ['health', '--parallelism', '4', '--name', 'Load_Test', '--out-dir', out],
        { env: cleanEnv() },
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /at \/metadata\/name: expected a Kubernetes DNS-1035 label .*, found 'Load_Test'/);
      assert.deepEqual(await filesUnder(out), []);
    } finally {
      await removeDir(out);
    }
  });

  it('execution segments are equal slices of one shared sequence, as the operator passes them', () => {
    assert.deepEqual(executionSegments(4), [
      { instance: 1, segment: '0:1/4', sequence: '0,1/4,2/4,3/4,1' },
      { instance: 2, segment: '1/4:2/4', sequence: '0,1/4,2/4,3/4,1' },
      { instance: 3, segment: '2/4:3/4', sequence: '0,1/4,2/4,3/4,1' },
      { instance: 4, segment: '3/4:1', sequence: '0,1/4,2/4,3/4,1' },
    ]);
    assert.deepEqual(executionSegments(1), [{ instance: 1, segment: '0:1', sequence: '0,1' }]);
  });

  it('a phase with fewer clients than runners, and a throughput threshold, are pointed out before applying', () => {
    const notes = distributionNotes(
      {
        scenarios: {
          baseline: { executor: 'constant-arrival-rate', preAllocatedVUs: 2, maxVUs: 2 },
          health: { executor: 'shared-iterations', vus: 10, iterations: 100 },
        },
        thresholds: { requests_ok: ['rate>100'], 'request_failed{scenario:baseline}': ['rate<0.05'] },
      },
      4,
      'npm run report -- --merge',
    );
    assert.ok(
      notes.some(
        (n) => n.startsWith("phase 'baseline' has 2 client(s)") && n.includes('2 of the 4 instances get none'),
      ),
      notes.join('\n'),
    );
    assert.ok(!notes.some((n) => n.startsWith("phase 'health'")), 'a phase with enough clients is not flagged');
    assert.ok(
      notes.some((n) => n.includes('throughput threshold (requests_ok rate>100)')),
      notes.join('\n'),
    );
  });
});

describe('the merge in a cluster, without one', () => {
  it("runners run with the TestRun's arguments and leave folders merge.yaml's Job merges into one report", async () => {
    const out = await tempDir('operator-merge');
    const server = await startRealizar();
    try {
      const made = await runScript(
        'operator',
        ['spike', '--parallelism', '3', '--base-url', 'http://realizar.loadtest.svc:8080', '--out-dir', out],
        { env: cleanEnv() },
      );
      assert.equal(made.code, 0, made.stderr);
      const files = await filesUnder(out);
      const dir = path.dirname(files.find((f) => path.basename(f) === 'manifests.yaml')!);
      const docs = await manifestsOf(dir);
      assert.deepEqual(
        docs.map((d) => d.kind),
        ['ConfigMap', 'PersistentVolumeClaim', 'TestRun'],
      );
      const testRun = docs[2]!;
      assert.ok(validateK6OperatorTestRun(testRun), JSON.stringify(validateK6OperatorTestRun.errors));

      // The shared volume: what each runner Pod sees at /results is runners/<its Job's name>/ of it.
      const volume = path.join(out, 'volume');
      const runners = await runRunners({ dir, testRun, volume, baseUrl: server.baseUrl, cwd: ROOT });
      for (const r of runners) assert.equal(r.result.code, 0, r.result.stderr);
      for (const r of runners) {
        for (const f of [K6_FILES.summary, K6_FILES.plan, K6_FILES.runner, K6_FILES.samples, K6_FILES.log])
          assert.ok((await filesUnder(r.folder)).includes(path.join(r.folder, f)), `${r.folder}/${f}`);
      }
      const record = JSON.parse(await readFile(path.join(runners[1]!.folder, K6_FILES.runner), 'utf8')) as RunnerRecord;
      assert.equal(record.executionSegment, '1/3:2/3', "k6 wrote the segment the operator's flags gave it");
      assert.equal(record.runId, path.basename(dir), "the run is the k6:operator command's");

      // The merge Job's script, out of merge.yaml, run by plain Node away from the checkout.
      const merged = await runMergeJob({ dir, volume, job: path.join(out, 'job') });
      assert.equal(merged.result.code, 0, merged.result.stderr);
      const s = merged.report!.scenarios[0]!;
      const truth = await samplesTruth(runners.map((r) => r.folder));
      assert.equal(
        s.totals.requests,
        s.phases.reduce((a, p) => a + p.plannedRequests, 0),
      );
      assert.equal(s.totals.sent, s.totals.requests);
      assert.equal(s.totals.sent, truth.sent);
      assert.equal(s.latencyMs!.p95, pct(truth.latencies, 95));
      assert.equal(s.notes.filter((n) => n.startsWith('Runner ')).length, 3);
      assert.match(merged.result.stdout, /=== Outcome: PASSED \(exit 0\) ===/);
    } finally {
      server.kill();
      await removeDir(out);
    }
  });
});

describe('the manifests YAML', () => {
  it('reads back, in a YAML 1.2 parser and as YAML 1.1 (kubectl), as exactly the values written', () => {
    const awkward = [
      'yes',
      'No',
      'on',
      'null',
      '~',
      '',
      ' lead',
      '123',
      '0x1F',
      '1e3',
      '2024-01-01',
      '-e BASE_URL=http://x:1',
      'a: b',
      '# not a comment',
      'multi\nline',
      'ünïcode ✓',
    ];
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'n', labels: Object.fromEntries(awkward.map((w, i) => [`k${i}`, w])) },
    };
    const testRun = {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name: 'yes' },
      spec: { parallelism: 2, arguments: awkward.join(' ') },
    };
    const text = manifestsYaml({ configMap, testRun } as unknown as OperatorManifests, ['two\ndocuments']);
    assert.deepEqual(loadAll(text), [configMap, testRun]);
    assert.deepEqual(
      parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as unknown),
      [configMap, testRun],
    );
    assert.match(text, /^# two\n# documents\n---\n/);
    assert.equal(parse(text.split('---\n')[2]!).metadata.name, 'yes');
  });
});
