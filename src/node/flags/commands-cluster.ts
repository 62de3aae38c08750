/**
 * The flags of the commands that run the load elsewhere: k6 Cloud (cloud) and a Kubernetes cluster's
 * k6-operator (operator). Declared like the others (commands.ts).
 */
import { exitLine } from './commands.js';
import type { Command, FlagGroup } from './declare.js';
import {
  API,
  ALLOW_REMOTE,
  ARRIVALS,
  baseUrl,
  GATE,
  HELP,
  k6Binary,
  outDir,
  REQUESTS,
  SHAPE,
  WORKLOAD,
} from './groups.js';

/**
 * What an archive runs (k6 cloud, the k6-operator): the scenario in a shape, its requests, its gate and API,
 * recorded in the archive as the k6 variables a run here passes. Its arrivals are the run's (ARRIVALS).
 */
const ARCHIVE_LOAD: FlagGroup = {
  title: 'load (recorded in the archive; the scenario as defined without them)',
  flags: [...SHAPE, ...REQUESTS, GATE.flags[0]!, ...API.flags],
};

/**
 * The workload an archive carries (k6 cloud, the k6-operator): its lines are made here and packed into the
 * archive, their tokens counted by a server this machine reaches, which the load generators' target may not be.
 */
const ARCHIVE_WORKLOAD: FlagGroup = {
  title: 'workload (its prompts are made here and packed into the archive; docs/workloads.md)',
  flags: [
    // The archive does not know the server's make, so it sends no cache field: the server's default applies.
    ...WORKLOAD.flags.filter((f) => f.name !== '--prompt-cache'),
    {
      name: '--tokenizer-url',
      arg: 'URL',
      help:
        "a server of the same model that counts the prompts' tokens from here (default --base-url;\n" +
        "e.g. kubectl port-forward to the cluster's server); unreachable: 1 token per word, said so",
    },
  ],
};

export const CLOUD: Command = {
  usage: [
    'npm run k6:cloud -- <upload|run> <scenario> [options]',
    'npx realizar-k6 cloud <upload|run> <scenario|./my-scenario.ts> [options]',
  ],
  intro:
    '  upload <scenario>      bundle the scenario, make a k6 archive and upload it to k6 cloud (no run)\n' +
    "  run <scenario>         run it in k6 cloud (load from the cloud's load generators)",
  positionals: { min: 0, max: 2, what: 'one command and one scenario (npm run k6:cloud -- <upload|run> <scenario>)' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--local-execution', help: 'run: run k6 here and stream the results to k6 cloud' },
        baseUrl('server the test loads (default http://127.0.0.1:8080, passed as -e BASE_URL)'),
        {
          name: '--name',
          arg: 'NAME',
          help: 'test name in k6 cloud (default $K6_CLOUD_NAME, else realizar-k6-<scenario>)',
        },
        outDir('reports/cloud'),
        k6Binary(),
        { ...ALLOW_REMOTE, help: 'run: allow loading a target that is not this machine' },
        HELP,
      ],
    },
    ARCHIVE_LOAD,
    ARRIVALS,
    ARCHIVE_WORKLOAD,
  ],
  epilogue:
    'environment:\n' +
    '  K6_CLOUD_TOKEN         Grafana Cloud k6 API token (required; never printed nor written anywhere)\n' +
    "  K6_CLOUD_PROJECT_ID    project to put the test in (optional; default: the stack's default project)\n" +
    '  K6_CLOUD_STACK_ID      Grafana Cloud stack (optional, recommended)\n' +
    "  K6_CLOUD_HOST          cloud API (optional; default k6's own, https://ingest.k6.io)\n\n" +
    exitLine([0, 1, 2, 130], {
      0: 'uploaded / run passed',
      1: 'run: a threshold was crossed',
      2: 'any failure',
      130: 'interrupted',
    }),
};

export const OPERATOR: Command = {
  usage: [
    'npm run k6:operator -- <scenario> --parallelism N [options]',
    'npx realizar-k6 operator <scenario|./my-scenario.ts> --parallelism N [options]',
  ],
  intro:
    "Writes a ConfigMap (the scenario's k6 archive), a results volume and a k6-operator TestRun running it\n" +
    "on N pods, each writing its folder to the volume (manifests.yaml); a Job merging the runners' folders\n" +
    'into one report and one verdict (merge.yaml); a Pod to copy them here from (collect.yaml).',
  positionals: { min: 0, max: 1, what: 'one scenario name' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--parallelism', arg: 'N', help: 'number of k6 runner pods; each runs 1/N of the load (required)' },
        baseUrl('server the runners load, as seen from the cluster (default http://127.0.0.1:8080)'),
        {
          name: '--name',
          arg: 'NAME',
          help: 'TestRun name (default realizar-k6-<scenario>); the ConfigMap is NAME-archive',
        },
        { name: '--namespace', arg: 'NS', help: "namespace of every object written (default: kubectl's current one)" },
        {
          name: '--runner-image',
          arg: 'IMAGE',
          help: "k6 image of the runners (default grafana/k6 at the archive's k6 version)",
        },
        { name: '--separate', help: 'at most one runner per node' },
        { name: '--cleanup', help: 'delete the runner pods when the run ends (their logs go with them)' },
        {
          name: '--storage-class',
          arg: 'NAME',
          help:
            'storage class of the results volume, one offering ReadWriteMany (NFS, CephFS, EFS,\nFilestore, ' +
            "Azure Files); default: the cluster's default class",
        },
        { name: '--results-size', arg: 'SIZE', help: 'size of the results volume (default 1Gi)' },
        {
          name: '--merge-image',
          arg: 'IMAGE',
          help: 'Node 20 image of the merge Job and the copying Pod (default node:20-bookworm-slim)',
        },
        {
          name: '--no-merge',
          help: "no results volume and no merge: each runner judges its own share alone (k6's way)",
        },
        outDir('reports/operator'),
        k6Binary('k6 binary that makes the archive'),
        HELP,
      ],
    },
    ARCHIVE_LOAD,
    ARRIVALS,
    ARCHIVE_WORKLOAD,
  ],
  epilogue: exitLine([0, 2], { 0: 'manifests written', 2: 'any failure' }),
};
