/**
 * A k6-operator TestRun run without a cluster: the manifests npm run k6:operator wrote are read back with a real
 * YAML parser, each runner is the real k6 running the ConfigMap's archive with the TestRun's arguments and its own
 * execution segment (as the operator's runner Job does, pkg/resources/jobs/runner.go), each writing its folder of a
 * local "volume", and merge.yaml's script merges them under plain Node. Realizar comes from the tool cache.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { executionSegments } from '../../src/core/commands/operator.js';
import { MERGE_SCRIPT_KEY } from '../../src/core/commands/operator-results.js';
import type { Report } from '../../src/core/types.js';
import { parseRunConfig } from '../../src/node/config/index.js';
import { resolveK6, resolveRealizar } from '../../src/node/tools/tools.js';
import { collect, filesUnder, freePort, type CliResult } from './cli.js';

/** Every document of a YAML stream, as plain values. */
export function loadAll(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS() as unknown);
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  binaryData?: Record<string, string>;
  spec?: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    arguments?: string;
    runner?: { env?: Array<{ name: string; value?: string }> };
  };
}

/** Realizar from the tool cache on a free port, healthy; stop it with kill(). */
export async function startRealizar(): Promise<{ baseUrl: string; kill: () => void }> {
  const { cacheDir } = parseRunConfig(['--help'], []);
  const realizar = await resolveRealizar({ cacheDir });
  const port = await freePort();
  const server = spawn(realizar.path, ['serve', '--demo', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: 'ignore',
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error('Realizar did not become healthy');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, kill: () => server.kill('SIGKILL') };
}

/** The run folder's manifests.yaml, as its documents. */
export async function manifestsOf(dir: string): Promise<Manifest[]> {
  return loadAll(await readFile(path.join(dir, 'manifests.yaml'), 'utf8')) as Manifest[];
}

/**
 * Each runner of the TestRun: the real k6 on archive.tar with the TestRun's arguments (BASE_URL turned to
 * `baseUrl`, /results to its folder under `volume`), started in `cwd` (another folder than the run's).
 */
export async function runRunners(o: {
  dir: string;
  testRun: Manifest;
  volume: string;
  baseUrl: string;
  cwd: string;
}): Promise<Array<{ folder: string; result: CliResult }>> {
  const { cacheDir } = parseRunConfig(['--help'], []);
  const k6 = (await resolveK6({ flagPath: null, cacheDir })).path;
  const { testRun } = o;
  const env = Object.fromEntries(
    (testRun.spec!.runner!.env ?? []).flatMap((e) =>
      'value' in e && e.value !== undefined ? [[e.name, e.value]] : [],
    ),
  );
  const runs = executionSegments(testRun.spec!.parallelism).map(async (seg) => {
    const folder = path.join(o.volume, 'runners', `${testRun.metadata.name}-${seg.instance}`);
    await mkdir(folder, { recursive: true });
    const args = testRun
      .spec!.arguments!.replaceAll('/results', folder)
      .replace(/BASE_URL=\S+/, `BASE_URL=${o.baseUrl}`)
      .split(' ');
    // Full size: an archive keeps the options it was made with, so -e SCALE would change the plan, not k6's run.
    const argv = [
      'run',
      '--quiet',
      `--execution-segment=${seg.segment}`,
      `--execution-segment-sequence=${seg.sequence}`,
      ...args,
      path.join(o.dir, 'archive.tar'),
      '--address=127.0.0.1:0',
      '--tag',
      `instance_id=${seg.instance}`,
      '--tag',
      `testrun_name=${testRun.metadata.name}`,
    ];
    const child = spawn(k6, argv, { cwd: o.cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return { folder, result: await collect(child) };
  });
  return Promise.all(runs);
}

/** merge.yaml's script, out of its ConfigMap, run by plain Node in `job` over the volume's runner folders. */
export async function runMergeJob(o: {
  dir: string;
  volume: string;
  job: string;
}): Promise<{ result: CliResult; report: Report | null }> {
  const merge = loadAll(await readFile(path.join(o.dir, 'merge.yaml'), 'utf8')) as Manifest[];
  const script = gunzipSync(Buffer.from(merge[0]!.binaryData![MERGE_SCRIPT_KEY]!, 'base64'));
  await mkdir(o.job, { recursive: true });
  await writeFile(path.join(o.job, 'report.mjs'), script);
  const result = await collect(
    spawn(
      process.execPath,
      [
        path.join(o.job, 'report.mjs'),
        '--merge',
        path.join(o.volume, 'runners'),
        '--out-dir',
        path.join(o.volume, 'merged'),
      ],
      { cwd: o.job, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  const file = (await filesUnder(path.join(o.volume, 'merged')).catch(() => [] as string[])).find(
    (f) => path.basename(f) === 'report.json',
  );
  return { result, report: file === undefined ? null : (JSON.parse(await readFile(file, 'utf8')) as Report) };
}
