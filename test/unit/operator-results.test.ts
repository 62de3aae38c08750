/**
 * The k6-operator manifests that let a cluster's runners be merged (src/core/commands/operator.ts,
 * operator-results.ts): each runner writes its folder to a shared volume, a Job merges them. The
 * TestRun must stay valid against our schema of the operator's CRD; the pieces must name each other
 * (claim, volumes, mounts, the variable a mount path expands); the runners' arguments must survive
 * the operator's own handling of them (split on spaces; the initializer passes the ones `k6 archive`
 * knows to it).
 */
import assert from 'node:assert/strict';
import { typedCommand } from '../../src/core/commands/typed.js';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { validateK6OperatorTestRun } from '../../src/generated/file-validators.cjs';
import { buildOperatorManifests, manifestsYaml, type OperatorInput } from '../../src/core/commands/operator.js';
import {
  checkResultsInput,
  clusterSteps,
  DEFAULT_MERGE_IMAGE,
  MERGE_SCRIPT_KEY,
  RESULTS_MOUNT,
} from '../../src/core/commands/operator-results.js';
import { K6_FILES } from '../../src/core/contract.js';

const INPUT: OperatorInput = {
  scenario: 'spike',
  name: 'realizar-k6-spike',
  namespace: 'loadtest',
  parallelism: 4,
  baseUrl: 'http://realizar.loadtest.svc:8080',
  archiveBase64: Buffer.from('an archive').toString('base64'),
  runnerImage: 'grafana/k6:1.8.1',
  separate: false,
  cleanup: true,
  runId: '2026-12-06T07-44-12Z-spike',
  results: {
    storageClass: 'nfs-client',
    size: '2Gi',
    mergeImage: DEFAULT_MERGE_IMAGE,
    mergeScriptBase64: Buffer.from('gzipped merge').toString('base64'),
  },
};

/**
 * What the k6-operator's initializer keeps of spec.arguments for `k6 archive` (its ParseCLI, in
 * pkg/types/k6cli.go): a flag and the tokens after it that do not start with '-'; --out, -o,
 * --no-usage-report and --log-output* are left out, anything else kept; a token that belongs to no
 * flag is an error.
 */
function archiveArgs(argumentsLine: string): string[] {
  const args = argumentsLine.split(' ');
  const kept: string[] = [];
  for (let i = 0; i < args.length;) {
    const flag = args[i]!;
    assert.ok(flag.startsWith('-'), `a value without its flag: ${flag}`);
    let end = i + 1;
    while (end < args.length && !args[end]!.startsWith('-')) end++;
    const drop =
      flag.startsWith('--log-output') || ['-o', '--out', '--no-usage-report', '-l', '--linger'].includes(flag);
    if (!drop) kept.push(...args.slice(i, end));
    i = end;
  }
  return kept;
}

describe('k6-operator manifests with a results volume', () => {
  const m = buildOperatorManifests(INPUT);
  const runner = m.testRun.spec.runner!;

  it('keep the TestRun valid against the schema of the CRD', () => {
    assert.ok(validateK6OperatorTestRun(m.testRun), JSON.stringify(validateK6OperatorTestRun.errors));
  });

  it("mount each runner's own folder of the shared claim where its k6 writes, named after its Job", () => {
    const claim = m.results!.claim as unknown as { metadata: { name: string }; spec: Record<string, unknown> };
    assert.equal(claim.metadata.name, 'realizar-k6-spike-results');
    assert.deepEqual(claim.spec, {
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '2Gi' } },
      storageClassName: 'nfs-client',
    });
    assert.deepEqual(runner.volumes, [{ name: 'results', persistentVolumeClaim: { claimName: claim.metadata.name } }]);
    const mount = runner.volumeMounts![0]!;
    assert.equal(mount.name, 'results');
    assert.equal(mount.mountPath, RESULTS_MOUNT);
    const variable = /\$\((\w+)\)/.exec(mount.subPathExpr!)![1]!;
    const env = runner.env!.find((e) => e.name === variable);
    assert.deepEqual(env, { name: variable, valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } } });
    assert.ok(runner.env!.some((e) => e.name === 'K6_CSV_TIME_FORMAT' && 'value' in e && e.value === 'unix_milli'));
    assert.deepEqual(runner.securityContext, { fsGroup: 12345 });
  });

  it('have every runner write its summary, plan, runner.json, samples and log into that folder', () => {
    const args = m.testRun.spec.arguments!;
    for (const part of [
      `-e OUT_DIR=${RESULTS_MOUNT}`,
      `-e RUN_ID=${INPUT.runId}`,
      `--out csv=${RESULTS_MOUNT}/${K6_FILES.samples}`,
      `--log-output=file=${RESULTS_MOUNT}/${K6_FILES.log}`,
      `-e BASE_URL=${INPUT.baseUrl}`,
    ])
      assert.ok(args.includes(part), `${part} in ${args}`);
  });

  it("leave k6 archive only arguments it takes, through the operator's initializer", () => {
    const kept = archiveArgs(m.testRun.spec.arguments!);
    assert.ok(
      !kept.some((a) => a.startsWith('--out') || a.startsWith('csv=') || a.startsWith('--log-output')),
      kept.join(' '),
    );
    assert.ok(kept.includes('--system-tags'));
    assert.ok(kept.includes(`OUT_DIR=${RESULTS_MOUNT}`));
  });

  it('merge in a Job reading the whole claim with the bundled merge, its exit code the gate', () => {
    const [configMap, job] = m.results!.merge as unknown as [
      { binaryData: Record<string, string>; metadata: { name: string } },
      { spec: { backoffLimit: number; template: { spec: Record<string, never> } } },
    ];
    assert.equal(configMap.binaryData[MERGE_SCRIPT_KEY], INPUT.results!.mergeScriptBase64);
    assert.equal(job.spec.backoffLimit, 0);
    const pod = job.spec.template.spec as unknown as {
      restartPolicy: string;
      containers: Array<{ image: string; command: string[]; volumeMounts: Array<{ name: string; mountPath: string }> }>;
      volumes: Array<{ name: string; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }>;
    };
    assert.equal(pod.restartPolicy, 'Never');
    const c = pod.containers[0]!;
    assert.equal(c.image, DEFAULT_MERGE_IMAGE);
    assert.match(
      c.command.join(' '),
      new RegExp(
        String.raw`gunzip -c \/merge\/report\.mjs\.gz > \/tmp\/report\.mjs && exec node \/tmp\/report\.mjs ` +
          String.raw`--merge \/results\/runners --out-dir \/results\/merged$`,
      ),
    );
    for (const mount of c.volumeMounts)
      assert.ok(
        pod.volumes.some((v) => v.name === mount.name),
        mount.name,
      );
    assert.equal(pod.volumes.find((v) => v.name === 'merge')!.configMap!.name, configMap.metadata.name);
    assert.equal(
      pod.volumes.find((v) => v.name === 'results')!.persistentVolumeClaim!.claimName,
      'realizar-k6-spike-results',
    );
  });

  it('give a Pod holding the claim read-only, to copy the folders here', () => {
    const pod = m.results!.collect as unknown as {
      spec: { volumes: Array<{ persistentVolumeClaim: { readOnly?: boolean } }> };
    };
    assert.equal(pod.spec.volumes[0]!.persistentVolumeClaim.readOnly, true);
  });

  it('write the archive, the claim and the TestRun as one YAML stream, in that order', () => {
    const docs = parseAllDocuments(manifestsYaml(m, ['x'])).map((d) => d.toJS() as { kind: string });
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ConfigMap', 'PersistentVolumeClaim', 'TestRun'],
    );
  });

  it('say the kubectl steps: apply, wait for the TestRun, merge, read the verdict, copy, merge here, delete', () => {
    const steps = clusterSteps({
      name: 'realizar-k6-spike',
      namespace: 'loadtest',
      files: { manifests: 'm.yaml', merge: 'merge.yaml', collect: 'collect.yaml' },
      copyTo: 'reports/operator/r/cluster',
      serverSide: { manifests: true, merge: false },
      mergeHere: (args) => typedCommand('npm', 'report', args),
    });
    assert.match(steps[0]!, /^kubectl apply --server-side -f m\.yaml/);
    assert.match(
      steps[1]!,
      /kubectl wait -n loadtest testrun\/realizar-k6-spike --for=jsonpath='\{\.status\.stage\}'=finished/,
    );
    assert.match(steps[2]!, /^kubectl apply -f merge\.yaml/);
    assert.match(steps[3]!, /kubectl logs -n loadtest job\/realizar-k6-spike-merge/);
    assert.match(steps[5]!, /^kubectl cp loadtest\/realizar-k6-spike-results:\/results reports\/operator\/r\/cluster/);
    assert.match(steps[6]!, /^npm run report -- --merge reports\/operator\/r\/cluster\/runners/);
    assert.equal(typedCommand('npx', 'report', '--merge x'), 'npx realizar-k6 report --merge x', 'in a project');
  });

  it('without a merge (--no-merge) are the runners alone, as before', () => {
    const alone = buildOperatorManifests({ ...INPUT, results: null, runId: null });
    assert.equal(alone.results, null);
    assert.deepEqual(alone.testRun.spec.runner, { image: 'grafana/k6:1.8.1' });
    assert.equal(alone.testRun.spec.arguments, `-e BASE_URL=${INPUT.baseUrl} --no-usage-report`);
    assert.ok(validateK6OperatorTestRun(alone.testRun));
  });

  it('refuse a size, a storage class or an image Kubernetes would refuse', () => {
    assert.deepEqual(
      checkResultsInput({ size: 'lots', storageClass: 'Fast_SSD', mergeImage: 'node 20' }).map((p) => p.path),
      ['/spec/resources/requests/storage', '/spec/storageClassName', '/spec/template/spec/containers/0/image'],
    );
    assert.throws(
      () => buildOperatorManifests({ ...INPUT, results: { ...INPUT.results!, size: '1 GB' } }),
      /a Kubernetes quantity/,
    );
  });
});
