/**
 * What npm run k6:operator tells a person beside the manifests (operator.ts): what splitting this
 * scenario N ways does to its phases and thresholds, and the kubectl commands to type next.
 */
import { K6_METRICS } from '../rules/metric-table.js';
import { ANNOTATIONS_MAX_BYTES, ARCHIVE_KEY, type OperatorManifests } from './operator.js';

const mergeNote = (mergeHere: string): string =>
  "every runner judges k6's thresholds on its own share only: gate the release on the merge (merge.yaml's " +
  `Job, or ${mergeHere} here), which judges the whole from every runner's folder`;

/** The part of `k6 inspect <archive>` output read here. */
export interface InspectedOptions {
  scenarios?: Record<
    string,
    {
      executor?: string;
      vus?: number | null;
      iterations?: number | null;
      maxVUs?: number | null;
      preAllocatedVUs?: number | null;
    }
  > | null;
  thresholds?: Record<string, string[]> | null;
}

/** What a person should know before splitting this scenario N ways; `mergeHere`: the merge as they type it. */
export function distributionNotes(options: InspectedOptions, parallelism: number, mergeHere: string): string[] {
  if (parallelism <= 1) return [];
  const notes: string[] = [];
  for (const [name, s] of Object.entries(options.scenarios ?? {})) {
    const clients = s.vus ?? s.maxVUs ?? s.preAllocatedVUs ?? null;
    if (clients !== null && clients < parallelism) {
      notes.push(
        `phase '${name}' has ${clients} client(s): k6 splits clients and requests in whole units, ` +
          `so ${parallelism - clients} of the ${parallelism} instances get none and sit that phase out`,
      );
    }
  }
  const throughput = Object.entries(options.thresholds ?? {}).filter(
    ([metric, exprs]) => metric.split('{')[0] === K6_METRICS.requestsOk && exprs.some((e) => /^rate\s*>/.test(e)),
  );
  if (throughput.length > 0) {
    const rules = throughput.map(([m, e]) => `${m} ${e.filter((x) => x.startsWith('rate')).join(', ')}`).join('; ');
    notes.push(
      `each instance judges the throughput threshold (${rules}) on its own share of the load, ` +
        `about 1/${parallelism} of it: expect it to fail per instance even when the total passes; ` +
        'the merge judges throughput on the whole',
    );
  }
  notes.push(mergeNote(mergeHere));
  return notes;
}

/** What to type next. */
export function kubectlHints(file: string, m: OperatorManifests): string[] {
  const ns = m.testRun.metadata.namespace === undefined ? '' : ` -n ${m.testRun.metadata.namespace}`;
  const name = m.testRun.metadata.name;
  const apply =
    (m.configMap.binaryData[ARCHIVE_KEY] ?? '').length + 4096 > ANNOTATIONS_MAX_BYTES
      ? // Too big for the last-applied annotation of a client-side apply.
        `kubectl apply --server-side -f ${file}`
      : `kubectl apply -f ${file}`;
  return [
    apply,
    `kubectl get testrun ${name}${ns} -w  # stages: initialization, created, started, finished`,
    `kubectl logs${ns} -l k6_cr=${name},runner=true --prefix --tail=-1  # each runner's summary of its own share`,
    `kubectl delete -f ${file}  # before applying the same name again`,
  ];
}
