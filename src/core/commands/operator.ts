/**
 * Manifests for running one scenario past one machine with the k6-operator: a ConfigMap holding the
 * k6 archive and a TestRun (k6.io/v1alpha1) that runs it on N runner Pods. Pure (no Node, no k6):
 * the archive arrives already base64-encoded, so that every rule about names, sizes and arguments
 * can be checked — and unit-tested — without a cluster.
 */
import type { K6OperatorTestRun } from '../../generated/types.js';
import { K6_FILES, operatorRunArgs } from '../contract.js';
import { describeValue } from '../errors/describe.js';
import { ValidationError, type ValidationProblem } from '../errors/ValidationError.js';
import { stringify } from 'yaml';
import {
  checkResultsInput,
  collectPod,
  mergeManifests,
  RESULTS_MOUNT,
  resultsClaim,
  runnerResults,
  type ResultsInput,
} from './operator-results.js';

export const TESTRUN_API_VERSION = 'k6.io/v1alpha1';
/** ConfigMap key, and so the file name under /test/ in every k6 Pod: the run folder's archive, by its own name. */
export const ARCHIVE_KEY = K6_FILES.archive;
/** The API server refuses an object over 1 MiB (etcd's request limit); the archive is most of it. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/**
 * Client-side `kubectl apply` stores the whole object again in the last-applied-configuration
 * annotation, and all annotations of an object together may hold 256 KiB.
 */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The operator splits `arguments` on single spaces: a token may hold no space and no quote. */
const ARGUMENT_TOKEN = /^[^'"\s]+$/;

export interface OperatorInput {
  scenario: string;
  /** TestRun name; the ConfigMap is named after it. */
  name: string;
  namespace: string | null;
  parallelism: number;
  baseUrl: string;
  /** The k6 archive (k6 archive output), base64. */
  archiveBase64: string;
  /** k6 image for the runners (and the initializer), or null for the operator's default. */
  runnerImage: string | null;
  /** At most one runner per node. */
  separate: boolean;
  /** Let the operator delete Jobs and Pods when the run ends. */
  cleanup: boolean;
  /** The run the runners belong to (RUN_ID in each runner's runner.json). */
  runId: string | null;
  /** The shared volume the runners write their folders to, and the merge; null: none (each runner alone). */
  results: Omit<ResultsInput, 'name' | 'namespace' | 'scenario'> | null;
}

interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
}

export interface ConfigMapManifest {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  binaryData: Record<string, string>;
}

type Manifest = { apiVersion: string; kind: string; metadata: ObjectMeta } & Record<string, unknown>;

export interface OperatorManifests {
  configMap: ConfigMapManifest;
  testRun: K6OperatorTestRun;
  /** The runners' shared results volume, the merge (its ConfigMap and Job) and the Pod to copy from. */
  results?: { claim: Manifest; merge: Manifest[]; collect: Manifest } | null;
}

/**
 * The operator derives <name>-initializer, <name>-starter, <name>-<i> (Jobs) and
 * <name>-service-<i> (Services) from the TestRun's name; each must fit a 63-character label.
 */
export function maxTestRunNameLength(parallelism: number): number {
  return 63 - Math.max('-initializer'.length, '-service-'.length + String(parallelism).length);
}

export function configMapNameFor(testRunName: string): string {
  return `${testRunName}-archive`;
}

/** Bytes held by a base64 text (its padding does not count). */
export function base64Bytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/**
 * The runners' `k6 run` arguments (src/core/contract/invocation.ts): the target again, though the
 * archive carries it; with a results volume, the run's id and the folder each runner writes.
 */
export function runArguments(baseUrl: string, runId: string | null = null, results = false): string[] {
  return operatorRunArgs({ BASE_URL: baseUrl, RUN_ID: runId }, results ? RESULTS_MOUNT : null);
}

/** Names and count, checkable before anything is built: the rules Kubernetes and the operator apply. */
export function checkTestRunNames(name: string, namespace: string | null, parallelism: number): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: string, expected: string, found: unknown): void => {
    problems.push({ path, expected, found: describeValue(found) });
  };
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 2147483647) {
    add('/spec/parallelism', 'a whole number of instances from 1 to 2147483647', parallelism);
  }
  const maxName = maxTestRunNameLength(Math.max(1, Math.trunc(parallelism)));
  if (!DNS1035_LABEL.test(name) || name.length > maxName) {
    add(
      '/metadata/name',
      "a Kubernetes DNS-1035 label (lower-case letters, digits and '-', starting with a letter) " +
        `of at most ${maxName} characters, so that the operator's <name>-service-<i> and <name>-initializer fit in 63`,
      name,
    );
  }
  if (namespace !== null && (!DNS1123_LABEL.test(namespace) || namespace.length > 63)) {
    add(
      '/metadata/namespace',
      "a Kubernetes namespace name (lower-case letters, digits and '-', at most 63 characters)",
      namespace,
    );
  }
  return problems;
}

export function checkOperatorInput(input: OperatorInput): ValidationProblem[] {
  const problems = checkTestRunNames(input.name, input.namespace, input.parallelism);
  const add = (path: string, expected: string, found: unknown): void => {
    problems.push({ path, expected, found: describeValue(found) });
  };
  if (input.results !== null) problems.push(...checkResultsInput(input.results));
  for (const token of runArguments(input.baseUrl, input.runId, input.results !== null)) {
    if (!ARGUMENT_TOKEN.test(token)) {
      add(
        '/spec/arguments',
        'a base URL without spaces or quotes (the operator splits spec.arguments on spaces)',
        input.baseUrl,
      );
      break;
    }
  }
  if (input.runnerImage !== null && !/^\S+$/.test(input.runnerImage))
    add('/spec/runner/image', 'a container image reference without spaces', input.runnerImage);
  if (
    !/^[A-Za-z0-9+/]*={0,2}$/.test(input.archiveBase64) ||
    input.archiveBase64.length % 4 !== 0 ||
    input.archiveBase64 === ''
  ) {
    problems.push({
      path: `/binaryData/${ARCHIVE_KEY}`,
      expected: 'the k6 archive as standard base64',
      found: `${input.archiveBase64.length} characters that are not`,
    });
  } else if (base64Bytes(input.archiveBase64) + 4096 > CONFIGMAP_MAX_BYTES) {
    // 4 KiB for the rest of the object; the API server would refuse it anyway, later and less clearly.
    problems.push({
      path: `/binaryData/${ARCHIVE_KEY}`,
      expected:
        `an archive of at most ${CONFIGMAP_MAX_BYTES - 4096} bytes (a ConfigMap holds 1 MiB); ` +
        'put a larger one on a volume (spec.script.volumeClaim)',
      found: `${base64Bytes(input.archiveBase64)} bytes`,
    });
  }
  return problems;
}

/** ConfigMap + TestRun; throws a ValidationError naming every field that would be refused. */
export function buildOperatorManifests(input: OperatorInput): OperatorManifests {
  const problems = checkOperatorInput(input);
  if (problems.length > 0)
    throw new ValidationError(`k6-operator manifests for scenario '${input.scenario}'`, problems);

  const labels = { 'app.kubernetes.io/managed-by': 'realizar-k6', 'realizar-k6/scenario': input.scenario };
  const meta = (name: string): ObjectMeta =>
    input.namespace === null
      ? { name, labels: { ...labels } }
      : { name, namespace: input.namespace, labels: { ...labels } };
  const configMapName = configMapNameFor(input.name);

  const configMap: ConfigMapManifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(configMapName),
    // binaryData, not data: an archive is a tar file, and data must be UTF-8 text.
    binaryData: { [ARCHIVE_KEY]: input.archiveBase64 },
  };
  const runner = {
    ...(input.runnerImage === null ? {} : { image: input.runnerImage }),
    ...(input.results === null ? {} : runnerResults(input.name)),
  };
  const testRun: K6OperatorTestRun = {
    apiVersion: TESTRUN_API_VERSION,
    kind: 'TestRun',
    metadata: meta(input.name),
    spec: {
      parallelism: input.parallelism,
      script: { configMap: { name: configMapName, file: ARCHIVE_KEY } },
      arguments: runArguments(input.baseUrl, input.runId, input.results !== null).join(' '),
      ...(input.separate ? { separate: true } : {}),
      ...(input.cleanup ? { cleanup: 'post' as const } : {}),
      ...(Object.keys(runner).length === 0 ? {} : { runner }),
    },
  };
  if (input.results === null) return { configMap, testRun, results: null };
  const r: ResultsInput = { ...input.results, name: input.name, namespace: input.namespace, scenario: input.scenario };
  return {
    configMap,
    testRun,
    results: { claim: resultsClaim(r, labels), merge: mergeManifests(r, labels), collect: collectPod(r, labels) },
  };
}

/**
 * The multi-document YAML to `kubectl apply`: the ConfigMap first, since the TestRun reads it.
 * Written by the `yaml` package as YAML 1.1, which quotes every string that kubectl's go-yaml (a
 * YAML 1.1 reader) would take for a boolean, null, number or date (yes, on, 0x1F, 2024-01-01).
 */
export function manifestsYaml(m: OperatorManifests, comments: readonly string[]): string {
  return yamlDocuments([m.configMap, ...(m.results == null ? [] : [m.results.claim]), m.testRun], comments);
}

/** Documents as one YAML stream, after comment lines, written as manifestsYaml says. */
export function yamlDocuments(docs: readonly unknown[], comments: readonly string[]): string {
  const head = comments
    .flatMap((c) => c.split('\n'))
    .map((c) => `# ${c}`.trimEnd())
    .join('\n');
  const body = docs.map((doc) => `---\n${stringify(doc, { version: '1.1', lineWidth: 0 })}`).join('');
  return head === '' ? body : `${head}\n${body}`;
}

export interface ExecutionSegment {
  instance: number;
  segment: string;
  sequence: string;
}

/**
 * What the operator passes to runner i of N (`--execution-segment`, `--execution-segment-sequence`):
 * equal slices of [0, 1] in a shared sequence, so that k6 stripes VUs and iterations consistently.
 */
export function executionSegments(parallelism: number): ExecutionSegment[] {
  const point = (i: number): string => (i === 0 ? '0' : i === parallelism ? '1' : `${i}/${parallelism}`);
  const sequence = Array.from({ length: parallelism + 1 }, (_, i) => point(i)).join(',');
  return Array.from({ length: parallelism }, (_, i) => ({
    instance: i + 1,
    segment: `${point(i)}:${point(i + 1)}`,
    sequence,
  }));
}
