/**
 * npm run k6:operator -- <scenario> --parallelism N: past one machine with the k6-operator. Bundle
 * the scenario, `k6 archive` it into a run folder (reports/operator/<run-id>/archive.tar) and write
 * next to it manifests.yaml: a ConfigMap holding the archive and a TestRun that runs it on N runner
 * pods, each with 1/N of the load (k6 execution segments). Nothing is applied to a cluster: the
 * output ends with the kubectl commands to do it. Exit codes: 0 written, 2 any failure.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../core/errors/ValidationError.js';
import {
  buildOperatorManifests,
  checkTestRunNames,
  distributionNotes,
  executionSegments,
  kubectlHints,
  manifestsYaml,
  ARCHIVE_KEY,
} from '../../core/commands/operator.js';
import { EXIT } from '../../core/errors/exit-codes.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import { validateK6OperatorTestRun } from '../../generated/file-validators.cjs';
import { createArchive, inspectArchive } from '../k6/archive.js';
import { failWith, onInterrupt } from './exit.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { killAllNow } from '../process/processes.js';
import { isLoopback } from '../../core/target/loopback.js';
import { OPERATOR_USAGE, parseOperatorConfig } from '../config/index.js';
import { createRunDir, writeAtomic } from '../files/report-files.js';
import { bundledScript } from '../run/own-scenario.js';
import { listScenarios } from '../run/scenarios.js';
import { resolveK6 } from '../tools/tools.js';

export const MANIFESTS_FILE = 'manifests.yaml';

/** grafana/k6 at the version that made the archive, so runners run it with the k6 that wrote it. */
export function runnerImageFor(k6Version: string): string | null {
  const m = /^v(\d+\.\d+\.\d+)$/.exec(k6Version);
  return m === null ? null : `grafana/k6:${m[1]!}`;
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

    const script = await bundledScript(config.scenario, config.scenarioFile);
    const k6 = await resolveK6({ flagPath: config.k6Path, cacheDir: config.cacheDir });
    const { dir } = await createRunDir(config.outDir, config.scenario);
    const archive = await createArchive({
      k6: k6.path,
      script,
      dir,
      baseUrl: config.baseUrl,
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
    });
    const file = path.join(dir, MANIFESTS_FILE);
    // Our own schema of the TestRun subset we write (k6-operator's CRD, as documented by it).
    assertValid(
      validateK6OperatorTestRun,
      manifests.testRun,
      'generated TestRun (schemas/k6-operator-testrun.schema.json)',
    );
    const hints = kubectlHints(shown(file), manifests);
    await writeAtomic(
      file,
      manifestsYaml(manifests, [
        `k6-operator manifests for scenario ${config.scenario}, ${config.parallelism} runner(s); ` +
          'written by npm run k6:operator.',
        `ConfigMap ${manifests.configMap.metadata.name} holds ${ARCHIVE_KEY} ` +
          `(k6 ${k6.version} archive, ${archive.bytes} bytes); TestRun ${name} runs it.`,
        `Apply: ${hints[0]!}`,
      ]),
    );

    const segments = executionSegments(config.parallelism);
    const sequence = segments[0]!.sequence;
    const notes = distributionNotes(options, config.parallelism);
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
