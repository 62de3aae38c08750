/**
 * k6 archives: the bundled scenario packed by `k6 archive` into one tar (script, options, the -e
 * variables), the unit that k6 cloud uploads and the k6-operator mounts. k6 runs in a process group
 * of its own and is always stopped. `k6 archive` gets an environment without any K6_CLOUD_*
 * variable, so the cloud token cannot end up inside the archive we write.
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InspectedOptions } from '../../core/commands/operator-notes.js';
import { K6_FILES, k6ArchiveArgv, type K6VarValues } from '../../core/contract.js';
import { childEnv } from '../process/child-env.js';
import { ArchiveError } from '../errors/ArchiveError.js';
import { shown } from '../files/paths.js';
import { shellJoin, spawnGroup, stopChild, type ExitInfo } from '../process/processes.js';
import { envWithoutCloud } from '../config/index.js';

export interface K6CommandResult {
  exit: ExitInfo;
  command: string;
  stdout: string;
  stderr: string;
}

/** A short k6 command (archive, inspect): output collected, the process group always stopped. */
export async function runK6Command(
  k6: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string },
): Promise<K6CommandResult> {
  const command = shellJoin(k6, args);
  const child = spawnGroup('k6', command, opts);
  let stdout = '';
  let stderr = '';
  child.onOutput((chunk, stream) => {
    if (stream === 'stdout') stdout += chunk;
    else stderr += chunk;
  });
  try {
    return { exit: await child.exited, command, stdout, stderr };
  } finally {
    await stopChild(child, 2000);
  }
}

/** Environment of every k6 that must not know the cloud token: no K6_CLOUD_*, no colours. */
export function offlineK6Env(): NodeJS.ProcessEnv {
  return envWithoutCloud(childEnv({ K6_NO_COLOR: 'true' }));
}

/**
 * `k6 archive` of a bundled script into <dir>/archive.tar, with BASE_URL and `vars` recorded in the archive
 * (and the files the script's init opens, a workload's lines among them). Its output goes to <dir>/archive.log.
 */
export async function createArchive(o: {
  k6: string;
  script: string;
  dir: string;
  baseUrl: string;
  vars?: K6VarValues;
}): Promise<{ file: string; bytes: number }> {
  const file = path.join(o.dir, K6_FILES.archive);
  const args = k6ArchiveArgv({ script: o.script, archiveFile: file, vars: { ...o.vars, BASE_URL: o.baseUrl } });
  const r = await runK6Command(o.k6, args, { env: offlineK6Env(), cwd: o.dir });
  const logFile = path.join(o.dir, K6_FILES.archiveLog);
  await writeFile(logFile, `$ ${r.command}\n${r.stdout}${r.stderr}`);
  const size = await stat(file).then(
    (s) => s.size,
    () => null,
  );
  if (r.exit.code !== 0 || size === null) {
    throw new ArchiveError({
      operation: 'k6 archive',
      script: shown(o.script),
      command: r.command,
      k6ExitCode: r.exit.code,
      signal: r.exit.signal,
      logFile: shown(logFile),
      outputTail: r.stdout + r.stderr,
    });
  }
  return { file, bytes: size };
}

/** `k6 inspect <archive>`: the options k6 resolved (scenarios, thresholds). */
export async function inspectArchive(k6: string, archive: string): Promise<InspectedOptions> {
  const r = await runK6Command(k6, ['inspect', archive], { env: offlineK6Env(), cwd: path.dirname(archive) });
  if (r.exit.code !== 0) {
    throw new ArchiveError({
      operation: 'k6 inspect',
      script: shown(archive),
      command: r.command,
      k6ExitCode: r.exit.code,
      signal: r.exit.signal,
      logFile: '(not written: k6 inspect)',
      outputTail: r.stdout + r.stderr,
    });
  }
  try {
    return JSON.parse(r.stdout) as InspectedOptions;
  } catch {
    throw new ArchiveError({
      operation: 'k6 inspect',
      script: shown(archive),
      command: r.command,
      k6ExitCode: r.exit.code,
      signal: null,
      logFile: '(not written: k6 inspect)',
      outputTail: `not JSON:\n${r.stdout.slice(0, 2000)}`,
    });
  }
}
