/**
 * Where a k6-operator run leaves what its merge needs, and the merge itself, as manifests: one
 * volume claim shared by every runner Pod (ReadWriteMany), each runner writing its folder (summary,
 * plan, runner.json, per-request samples, k6's log) under runners/<its Job's name>/ of it, then a
 * Job that runs `npm run report -- --merge` over those folders (the toolkit's merge, bundled into
 * one file that plain Node runs, held gzipped in a ConfigMap), and a Pod from which kubectl copies
 * the folders to this machine to merge here instead. Pure: names, shapes and the kubectl steps.
 */
import { CSV_ENV, K6_FILES } from '../contract.js';
import { describeValue } from '../errors/describe.js';
import type { ValidationProblem } from '../errors/ValidationError.js';

/** Where a runner's own folder is mounted in its Pod (OUT_DIR), and the whole volume in the merge Job's. */
export const RESULTS_MOUNT = '/results';
/** The runners' folders on the volume: runners/<runner Job name>/, one per runner Pod. */
export const RUNNERS_DIR = 'runners';
/** The merged report's folders on the volume: merged/<run-id>/. */
export const MERGED_DIR = 'merged';
/** The bundled merge (build/merge-bundle.ts), gzipped: the ConfigMap's key. */
export const MERGE_SCRIPT_KEY = 'report.mjs.gz';
/** grafana/k6 runs as user k6 (uid and gid 12345): the volume is made writable for that group. */
export const K6_IMAGE_GID = 12345;
/** Debian's Node 20, which has what the merge Job and kubectl cp need (node, sh, gunzip, tar). */
export const DEFAULT_MERGE_IMAGE = 'node:20-bookworm-slim';
export const DEFAULT_RESULTS_SIZE = '1Gi';
/** The runner Pod's variable naming its own folder: its Job's name, which the operator makes <name>-<i>. */
export const RUNNER_ENV = 'RUNNER';

export interface ResultsInput {
  /** The TestRun's name: the claim, the merge Job and the collecting Pod are named after it. */
  name: string;
  namespace: string | null;
  scenario: string;
  /** A storage class offering ReadWriteMany; null: the cluster's default. */
  storageClass: string | null;
  /** The claim's size, a Kubernetes quantity (1Gi). */
  size: string;
  /** The merge Job's and the collecting Pod's image. */
  mergeImage: string;
  /** The bundled merge, gzipped, base64. */
  mergeScriptBase64: string;
}

type Labels = Record<string, string>;
interface Meta {
  name: string;
  namespace?: string;
  labels: Labels;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  [field: string]: unknown;
}

export const resultsClaimName = (name: string): string => `${name}-results`;
export const mergeJobName = (name: string): string => `${name}-merge`;
export const collectPodName = (name: string): string => `${name}-results`;

const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkResultsInput(i: Pick<ResultsInput, 'storageClass' | 'size' | 'mergeImage'>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!QUANTITY.test(i.size))
    problems.push({
      path: '/spec/resources/requests/storage',
      expected: 'a Kubernetes quantity such as 1Gi or 500Mi',
      found: describeValue(i.size),
    });
  if (i.storageClass !== null && (!DNS1123_SUBDOMAIN.test(i.storageClass) || i.storageClass.length > 253))
    problems.push({
      path: '/spec/storageClassName',
      expected: 'a storage class name (lower-case letters, digits, - and .)',
      found: describeValue(i.storageClass),
    });
  if (!/^\S+$/.test(i.mergeImage))
    problems.push({
      path: '/spec/template/spec/containers/0/image',
      expected: 'a container image reference without spaces',
      found: describeValue(i.mergeImage),
    });
  return problems;
}

/**
 * What the TestRun's runner Pods get: their Job's name as RUNNER (the Job controller labels each Pod
 * job-name), the claim mounted at /results from runners/$(RUNNER) of it, CSV timestamps in ms, and
 * fsGroup so that the k6 image's user may write there.
 */
export function runnerResults(name: string) {
  return {
    env: [
      { name: RUNNER_ENV, valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } } },
      ...Object.entries(CSV_ENV).map(([n, value]) => ({ name: n, value })),
    ],
    volumes: [{ name: 'results', persistentVolumeClaim: { claimName: resultsClaimName(name) } }],
    volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT, subPathExpr: `${RUNNERS_DIR}/$(${RUNNER_ENV})` }],
    securityContext: { fsGroup: K6_IMAGE_GID },
  };
}

function meta(i: ResultsInput, name: string, labels: Labels): Meta {
  return i.namespace === null
    ? { name, labels: { ...labels } }
    : { name, namespace: i.namespace, labels: { ...labels } };
}

/** The claim every runner writes to and the merge reads: the runners may sit on different nodes, so ReadWriteMany. */
export function resultsClaim(i: ResultsInput, labels: Labels): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(i, resultsClaimName(i.name), labels),
    spec: {
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: i.size } },
      ...(i.storageClass === null ? {} : { storageClassName: i.storageClass }),
    },
  };
}

const resultsVolume = (i: ResultsInput, readOnly: boolean) => ({
  name: 'results',
  persistentVolumeClaim: { claimName: resultsClaimName(i.name), ...(readOnly ? { readOnly: true } : {}) },
});

/** The merge's command in its Job: the bundled `npm run report -- --merge`, its exit code the gate's. */
export function mergeCommand(): string[] {
  const script = '/tmp/report.mjs';
  return [
    'sh',
    '-c',
    `gunzip -c /merge/${MERGE_SCRIPT_KEY} > ${script} && exec node ${script} --merge ` +
      `${RESULTS_MOUNT}/${RUNNERS_DIR} --out-dir ${RESULTS_MOUNT}/${MERGED_DIR}`,
  ];
}

/** The ConfigMap holding the merge and the Job running it once, after the TestRun finished. */
export function mergeManifests(i: ResultsInput, labels: Labels): Manifest[] {
  const configMap: Manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(i, mergeJobName(i.name), labels),
    binaryData: { [MERGE_SCRIPT_KEY]: i.mergeScriptBase64 },
  };
  const job: Manifest = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(i, mergeJobName(i.name), labels),
    spec: {
      // A failed gate is a failed Job, not one to retry.
      backoffLimit: 0,
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          restartPolicy: 'Never',
          securityContext: { fsGroup: K6_IMAGE_GID },
          containers: [
            {
              name: 'merge',
              image: i.mergeImage,
              command: mergeCommand(),
              volumeMounts: [
                { name: 'results', mountPath: RESULTS_MOUNT },
                { name: 'merge', mountPath: '/merge', readOnly: true },
              ],
            },
          ],
          volumes: [resultsVolume(i, false), { name: 'merge', configMap: { name: mergeJobName(i.name) } }],
        },
      },
    },
  };
  return [configMap, job];
}

/** A Pod that only holds the volume, read-only, for `kubectl cp` (which needs tar in it). */
export function collectPod(i: ResultsInput, labels: Labels): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(i, collectPodName(i.name), labels),
    spec: {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'results',
          image: i.mergeImage,
          command: ['sleep', '3600'],
          volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT, readOnly: true }],
        },
      ],
      volumes: [resultsVolume(i, true)],
    },
  };
}

/** The files the command writes, and what to type: run, merge in the cluster, or copy and merge here. */
export function clusterSteps(o: {
  name: string;
  namespace: string | null;
  files: { manifests: string; merge: string; collect: string };
  /** Where the copied folders go on this machine. */
  copyTo: string;
  /** Apply the manifests server-side (too big for client-side apply's annotation). */
  serverSide: { manifests: boolean; merge: boolean };
  /** The merge here, as its user types it (src/core/commands/typed.ts). */
  mergeHere: (args: string) => string;
}): string[] {
  const ns = o.namespace === null ? '' : ` -n ${o.namespace}`;
  const nsPrefix = o.namespace === null ? '' : `${o.namespace}/`;
  const apply = (file: string, big: boolean): string => `kubectl apply${big ? ' --server-side' : ''} -f ${file}`;
  return [
    `${apply(o.files.manifests, o.serverSide.manifests)}  # the archive, the results volume, the TestRun`,
    `kubectl wait${ns} testrun/${o.name} --for=jsonpath='{.status.stage}'=finished --timeout=24h`,
    `${apply(o.files.merge, o.serverSide.merge)}  # the merge Job: one report and one verdict from every runner`,
    `kubectl wait${ns} job/${mergeJobName(o.name)} --for=condition=complete --timeout=1h; kubectl logs${ns} ` +
      `job/${mergeJobName(o.name)}  # the report; the Job fails when the gate does`,
    `${apply(o.files.collect, false)} && kubectl wait${ns} pod/${collectPodName(o.name)} --for=condition=Ready`,
    `kubectl cp ${nsPrefix}${collectPodName(o.name)}:${RESULTS_MOUNT} ${o.copyTo}  # every runner's folder, and ` +
      `the merged report`,
    `${o.mergeHere(`--merge ${o.copyTo}/${RUNNERS_DIR}`)}  # the same merge, here`,
    `kubectl delete -f ${o.files.collect} -f ${o.files.merge} -f ${o.files.manifests}  # before applying the same ` +
      `name again`,
  ];
}

/** What each runner's folder holds, for the docs and the command's output. */
export const RUNNER_FILES = [K6_FILES.summary, K6_FILES.plan, K6_FILES.runner, K6_FILES.samples, K6_FILES.log];
