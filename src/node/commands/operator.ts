/**
 * npm run k6:operator -- <scenario> --parallelism N: past one machine with the k6-operator. Bundle
 * the scenario, `k6 archive` it into a run folder (reports/operator/<run-id>/archive.tar) and write
 * next to it manifests.yaml: a ConfigMap holding the archive, a volume claim for the results and a
 * TestRun that runs it on N runner pods, each with 1/N of the load (k6 execution segments) and
 * each writing its folder to the volume; merge.yaml: the Job that merges those folders into one
 * report and one verdict (src/core/commands/operator-results.ts); collect.yaml: a Pod to copy them
 * here from. Nothing is applied to a cluster: the output ends with the kubectl steps to do it.
 * Exit codes: 0 written, 2 any failure.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../core/errors/ValidationError.js';
import {
  buildOperatorManifests,
  checkTestRunNames,
  executionSegments,
  manifestsYaml,
  yamlDocuments,
  ANNOTATIONS_MAX_BYTES,
  ARCHIVE_KEY,
  type OperatorManifests,
} from '../../core/commands/operator.js';
import { distributionNotes, kubectlHints } from '../../core/commands/operator-notes.js';
import {
  clusterSteps,
  MERGED_DIR,
  RESULTS_MOUNT,
  RUNNER_FILES,
  RUNNERS_DIR,
} from '../../core/commands/operator-results.js';
import { EXIT } from '../../core/errors/exit-codes.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import { validateK6OperatorTestRun } from '../../generated/file-validators.cjs';
import { createArchive, inspectArchive } from '../k6/archive.js';
import { failWith, onInterrupt } from './exit.js';
import { typed } from './spelling.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { killAllNow } from '../process/processes.js';
import { isLoopback } from '../../core/target/loopback.js';
import { OPERATOR_USAGE, parseOperatorConfig } from '../config/index.js';
import type { OperatorConfig } from '../config/operator.js';
import { createRunDir, writeAtomic } from '../files/report-files.js';
import { bundledScript } from '../own/own-scenario.js';
import { listScenarios } from '../run/scenarios.js';
import { resolveK6 } from '../tools/tools.js';
import { archiveVars, checkArchivePlan } from '../k6/archive-load.js';

export const MANIFESTS_FILE = 'manifests.yaml';

/** grafana/k6 at the version that made the archive, so runners run it with the k6 that wrote it. */
export function runnerImageFor(k6Version: string): string | null {
  const m = /^v(\d+\.\d+\.\d+)$/.exec(k6Version);
  return m === null ? null : `grafana/k6:${m[1]!}`;
}

export const MERGE_FILE = 'merge.yaml';
export const COLLECT_FILE = 'collect.yaml';

/** The merge bundled into the run folder (report.mjs), gzipped for the merge Job's ConfigMap. */
async function mergeScript(dir: string): Promise<Buffer> {
  const { bundleMergeScript } = await import('../../../build/merge-bundle.js');
  return (await bundleMergeScript(path.join(dir, 'report.mjs'))).gzipped;
}

/** merge.yaml and collect.yaml beside manifests.yaml; the kubectl steps through all three. */
async function writeMergeFiles(dir: string, m: OperatorManifests, config: OperatorConfig): Promise<string[]> {
  const r = m.results!;
  const files = {
    manifests: shown(path.join(dir, MANIFESTS_FILE)),
    merge: shown(path.join(dir, MERGE_FILE)),
    collect: shown(path.join(dir, COLLECT_FILE)),
  };
  const big = (text: string): boolean => text.length + 4096 > ANNOTATIONS_MAX_BYTES;
  const steps = clusterSteps({
    name: m.testRun.metadata.name,
    namespace: config.namespace,
    files,
    copyTo: shown(path.join(dir, 'cluster')),
    serverSide: {
      manifests: big(m.configMap.binaryData[ARCHIVE_KEY] ?? ''),
      merge: big(JSON.stringify(r.merge)),
    },
    mergeHere: (args) => typed('report', args),
  });
  await writeAtomic(
    path.join(dir, MERGE_FILE),
    yamlDocuments(r.merge, [
      `The merge of TestRun ${m.testRun.metadata.name}'s runners: apply once the TestRun has finished.`,
      'npm run report -- --merge over every runner folder on the results volume, bundled into one file for plain ' +
        'Node (gzipped here);',
      "its report is the Job's log and goes to merged/<run-id>/ on the volume; the Job fails when the gate does.",
      `Apply: ${steps[2]!.split('  #')[0]!}`,
    ]),
  );
  await writeAtomic(
    path.join(dir, COLLECT_FILE),
    yamlDocuments(
      [r.collect],
      [
        `A Pod holding TestRun ${m.testRun.metadata.name}'s results volume read-only, for kubectl cp; it ends by ` +
          `itself after an hour.`,
      ],
    ),
  );
  return steps;
}

export async function main(argv: readonly string[]): Promise<number> {
  // Only `k6 archive` and `k6 inspect` run here, briefly; on Ctrl-C they are killed and we stop.
  const stopHandling = onInterrupt((signal) => {
    log.warn(`${signal}: stopping`);
    killAllNow();
    process.exit(EXIT.interrupted);
  });
  try {
    const available = await listScenarios();
    const config = parseOperatorConfig(argv, available);
    if (config.help) {
      process.stdout.write(
        `${OPERATOR_USAGE}\n\nscenarios: ${available.join(', ')}, ` +
          `or a scenario file of your own (./loadtests/my-chat.ts)\n`,
      );
      return EXIT.passed;
    }
    const name = config.name ?? `realizar-k6-${config.scenario}`;
    // Names first: a bad one is known before a bundle or an archive is made.
    const nameProblems = checkTestRunNames(name, config.namespace, config.parallelism);
    if (nameProblems.length > 0)
      throw new ValidationError(config.name === null ? 'TestRun name' : '--name / --namespace', nameProblems);
    if (isLoopback(config.baseHost)) {
      log.warn(
        `the runners will load ${config.baseUrl}: inside a pod that is the pod itself, not this machine; ` +
          'pass --base-url with an address the cluster can reach (e.g. http://realizar.<namespace>.svc:8080)',
      );
    }

    const plan = await checkArchivePlan(config);

    const script = await bundledScript(config.scenario, config.scenarioFile);
    const k6 = await resolveK6({ flagPath: config.k6Path, cacheDir: config.cacheDir });
    const { runId, dir } = await createRunDir(config.outDir, config.scenario);
    const archive = await createArchive({
      k6: k6.path,
      script,
      dir,
      baseUrl: config.baseUrl,
      vars: await archiveVars(config, plan, dir),
    });
    const options = await inspectArchive(k6.path, archive.file);

    const runnerImage = config.runnerImage ?? runnerImageFor(k6.version);
    if (runnerImage === null)
      log.warn(
        `k6 ${k6.version} is not a release with a grafana/k6 image; ` +
          "the runners use the operator's default image unless you pass --runner-image",
      );
    const manifests = buildOperatorManifests({
      scenario: config.scenario,
      name,
      namespace: config.namespace,
      parallelism: config.parallelism,
      baseUrl: config.baseUrl,
      archiveBase64: (await readFile(archive.file)).toString('base64'),
      runnerImage,
      separate: config.separate,
      cleanup: config.cleanup,
      runId,
      results:
        config.results === null
          ? null
          : { ...config.results, mergeScriptBase64: (await mergeScript(dir)).toString('base64') },
    });
    const file = path.join(dir, MANIFESTS_FILE);
    // Our own schema of the TestRun subset we write (k6-operator's CRD, as documented by it).
    assertValid(
      validateK6OperatorTestRun,
      manifests.testRun,
      'generated TestRun (schemas/k6-operator-testrun.schema.json)',
    );
    const hints =
      manifests.results == null ? kubectlHints(shown(file), manifests) : await writeMergeFiles(dir, manifests, config);
    await writeAtomic(
      file,
      manifestsYaml(manifests, [
        `k6-operator manifests for scenario ${config.scenario}, ${config.parallelism} runner(s); written by npm ` +
          `run k6:operator.`,
        `ConfigMap ${manifests.configMap.metadata.name} holds ${ARCHIVE_KEY} (k6 ${k6.version} archive, ` +
          `${archive.bytes} bytes); TestRun ${name} runs it.`,
        ...(manifests.results == null
          ? []
          : [
              `Each runner writes ${RUNNER_FILES.join(', ')} to ${RUNNERS_DIR}/<its Job>/ of PersistentVolumeClaim ` +
                `${manifests.results.claim.metadata.name}; merge.yaml merges them.`,
            ]),
        `Apply: ${hints[0]!}`,
      ]),
    );

    const segments = executionSegments(config.parallelism);
    const sequence = segments[0]!.sequence;
    const notes = distributionNotes(options, config.parallelism, typed('report', '--merge'));
    const out = [
      `k6-operator manifests for ${config.scenario}: ${shown(file)}`,
      `  ConfigMap ${manifests.configMap.metadata.name}: ${ARCHIVE_KEY} (${archive.bytes} bytes, base64 in binaryData)`,
      `  TestRun   ${name}: parallelism ${config.parallelism}, arguments "${manifests.testRun.spec.arguments ?? ''}"` +
        (runnerImage === null ? '' : `, runner image ${runnerImage}`),
      '',
      'How the load is split: runner i runs k6 with its own execution segment of the same sequence',
      ...segments.slice(0, 8).map((s) => `  runner ${s.instance}: --execution-segment=${s.segment}`),
      ...(segments.length > 8 ? [`  ... (${segments.length} runners)`] : []),
      `  --execution-segment-sequence=${sequence.length > 120 ? `${sequence.slice(0, 117)}...` : sequence}`,
      ...(manifests.results == null
        ? []
        : [
            '',
            `Where the results go: each runner writes its folder (${RUNNER_FILES.join(', ')}) to ` +
              `${RUNNERS_DIR}/<runner Job>/ of`,
            `  PersistentVolumeClaim ${manifests.results.claim.metadata.name} (ReadWriteMany); merge.yaml's Job ` +
              `merges them into one report and one verdict`,
            `  (${RESULTS_MOUNT}/${MERGED_DIR}/<run-id>/ on the volume; its exit code is the gate's), collect.yaml ` +
              `lets kubectl copy them here.`,
          ]),
      ...(notes.length === 0 ? [] : ['', 'Before you apply:', ...notes.map((n) => `  - ${n}`)]),
      '',
      'Next:',
      ...hints.map((h) => `  ${h}`),
      '',
    ];
    process.stdout.write(out.join('\n'));
    return EXIT.passed;
  } catch (err) {
    return failWith(err);
  } finally {
    stopHandling();
  }
}
