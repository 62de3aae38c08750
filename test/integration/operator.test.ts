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
import { validateK6OperatorTestRun } from '../../src/generated/file-validators.cjs';
import {
  distributionNotes,
  executionSegments,
  manifestsYaml,
  type OperatorManifests,
} from '../../src/core/commands/operator.js';
import { removeDir, ROOT, tempDir, waitForNoLeftovers } from '../support/cli.js';
import { cleanEnv, filesUnder, runScript } from '../support/scripts.js';
import { fileContent, readTar } from '../support/tar.js';

// js-yaml comes with json-schema-to-typescript (a dependency); it ships no types of its own.

/** Every document of a YAML stream, as plain values. */
function loadAll(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS() as unknown);
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  binaryData?: Record<string, string>;
  spec?: { parallelism: number; script: { configMap: { name: string; file: string } }; arguments?: string };
}

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
        ['v1 ConfigMap', 'k6.io/v1alpha1 TestRun'],
      );
      const [configMap, testRun] = docs as [Manifest, Manifest];

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
      assert.match(run.stdout, /kubectl apply -f \S+manifests\.yaml/);
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
      parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()),
      [configMap, testRun],
    );
    assert.match(text, /^# two\n# documents\n---\n/);
    assert.equal(parse(text.split('---\n')[2]!).metadata.name, 'yes');
  });
});
