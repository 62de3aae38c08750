/**
 * Finding or building the real tools: k6 (Go, from the Go module proxy) and Realizar (Rust, from
 * crates.io). A tool is taken, in order, from an explicit flag, from PATH when suitable, from the
 * cache, or built into the cache. The cache lives outside the checkout, keyed by version, so every
 * clone on the machine and CI reuse one build. A build goes to a private folder first and is renamed
 * into place only when complete: an interrupted build never leaves a half-built tool behind.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { which } from 'zx';
import { ToolError } from '../errors/ToolError.js';
import { childEnv } from '../process/child-env.js';
import { shellJoin, spawnGroup } from '../process/processes.js';
import {
  ACTIONLINT_MODULE,
  ACTIONLINT_VERSION,
  K6_MIN_MAJOR,
  K6_MODULE,
  K6_VERSION,
  REALIZAR_CRATE,
  REALIZAR_FEATURES,
  REALIZAR_VERSION,
} from './versions.js';
import { log } from '../process/log.js';

export interface ResolvedTool {
  path: string;
  version: string;
  origin: 'flag' | 'path' | 'cache' | 'built';
}

export function toolsDir(cacheDir: string): string {
  return path.join(cacheDir, 'tools');
}

export function k6CachePath(cacheDir: string): string {
  return path.join(toolsDir(cacheDir), `k6-${K6_VERSION}`, 'bin', 'k6');
}

export function realizarCachePath(cacheDir: string): string {
  return path.join(toolsDir(cacheDir), `realizar-${REALIZAR_VERSION}`, 'bin', 'realizar');
}

/** Run a short command, return its output, or null when it cannot run. */
async function probe(file: string, args: string[]): Promise<{ code: number | null; output: string } | null> {
  try {
    const child = spawnGroup(`${path.basename(file)} probe`, shellJoin(file, args), { env: childEnv() });
    let output = '';
    child.onOutput((chunk) => (output += chunk));
    const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 30_000);
    const exit = await child.exited;
    clearTimeout(timer);
    return { code: exit.code, output };
  } catch {
    return null;
  }
}

export async function k6Version(file: string): Promise<string | null> {
  const r = await probe(file, ['version']);
  const m = r?.code === 0 ? /k6 (v\d+\.\d+\.\d+\S*)/.exec(r.output) : null;
  return m?.[1] ?? null;
}

async function realizarVersion(file: string): Promise<string | null> {
  const r = await probe(file, ['--version']);
  const m = r?.code === 0 ? /(\d+\.\d+\.\d+\S*)/.exec(r.output) : null;
  return m?.[1] ?? null;
}

export async function onPath(name: string): Promise<string | null> {
  return (await which(name, { nothrow: true })) ?? null;
}

/** Remove private build folders left by builds whose process is gone. */
export async function sweepPartials(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    const m = /^\.partial-.*-(\d+)$/.exec(entry);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** Build a tool into a private folder, then rename it into `finalDir` (shared with src/node/tools/vegeta.ts). */
export async function buildInto(fields: {
  tool: string;
  finalDir: string;
  binary: string;
  command: (partialDir: string) => { file: string; args: string[]; env: Record<string, string> };
  hint: string;
}): Promise<void> {
  const dir = path.dirname(fields.finalDir);
  await mkdir(dir, { recursive: true });
  await sweepPartials(dir);
  const partial = path.join(dir, `.partial-${path.basename(fields.finalDir)}-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  const { file, args, env } = fields.command(partial);
  const command = shellJoin(file, args);
  const child = spawnGroup(`${fields.tool} build`, command, { env: childEnv(env) });
  let tail = '';
  child.onOutput((chunk) => {
    tail = (tail + chunk).slice(-4000);
    log.progress(chunk);
  });
  const exit = await child.exited;
  try {
    if (exit.code !== 0 || !existsSync(path.join(partial, 'bin', fields.binary))) {
      throw new ToolError({
        tool: fields.tool,
        problem: 'the build failed',
        command,
        commandExitCode: exit.code,
        output: tail,
        hint: fields.hint,
      });
    }
    if (!existsSync(fields.finalDir)) await rename(partial, fields.finalDir);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

export async function resolveK6(opts: { flagPath: string | null; cacheDir: string }): Promise<ResolvedTool> {
  if (opts.flagPath !== null) {
    const version = await k6Version(opts.flagPath);
    if (version === null) {
      throw new ToolError({
        tool: 'k6',
        problem: `--k6 ${opts.flagPath} is not a k6 binary that runs (k6 version failed)`,
        hint: 'give the path of a k6 binary, or leave --k6 out to use the built one',
      });
    }
    return { path: opts.flagPath, version, origin: 'flag' };
  }
  const fromPath = await onPath('k6');
  if (fromPath !== null) {
    const version = await k6Version(fromPath);
    const major = version === null ? -1 : Number(/^v(\d+)/.exec(version)?.[1] ?? -1);
    if (version !== null && major >= K6_MIN_MAJOR) return { path: fromPath, version, origin: 'path' };
    log.info(
      `k6 on PATH (${fromPath}, ${version ?? 'version unknown'}) is older than v${K6_MIN_MAJOR}; ` +
        'using the pinned build instead',
    );
  }
  const cached = k6CachePath(opts.cacheDir);
  // The cache is keyed by version: no need to start k6 (a 70 MB binary) just to ask it.
  if (existsSync(cached)) return { path: cached, version: K6_VERSION, origin: 'cache' };

  const go = await onPath('go');
  if (go === null) {
    throw new ToolError({
      tool: 'k6',
      problem: 'k6 is not installed and Go, needed to build it, is not on PATH',
      hint: `install Go 1.25 or newer (https://go.dev/doc/install), or put k6 ${K6_VERSION} on PATH, or pass --k6 PATH`,
    });
  }
  log.info(
    `building k6 ${K6_VERSION} with ${go} (first run only; a few minutes) into ${path.dirname(path.dirname(cached))}`,
  );
  await buildInto({
    tool: 'k6',
    finalDir: path.dirname(path.dirname(cached)),
    binary: 'k6',
    command: (partial) => ({
      file: go,
      args: ['install', '-v', '-trimpath', `${K6_MODULE}@${K6_VERSION}`],
      env: { GOBIN: path.join(partial, 'bin'), CGO_ENABLED: '0' },
    }),
    hint:
      'check that the Go module proxy is reachable (go env GOPROXY), ' +
      `or install k6 ${K6_VERSION} yourself and pass --k6 PATH`,
  });
  return { path: cached, version: (await k6Version(cached)) ?? K6_VERSION, origin: 'built' };
}

export async function resolveRealizar(opts: { cacheDir: string }): Promise<ResolvedTool> {
  const fromPath = await onPath('realizar');
  if (fromPath !== null) {
    const version = await realizarVersion(fromPath);
    if (version !== null) return { path: fromPath, version, origin: 'path' };
  }
  const cached = realizarCachePath(opts.cacheDir);
  if (existsSync(cached)) return { path: cached, version: REALIZAR_VERSION, origin: 'cache' };

  const cargo = await onPath('cargo');
  if (cargo === null) {
    throw new ToolError({
      tool: 'realizar',
      problem: 'Realizar is not installed and cargo, needed to build it, is not on PATH',
      hint:
        `install Rust with cargo (https://rustup.rs), or put realizar ${REALIZAR_VERSION} on PATH, ` +
        'or start your own server with --server-cmd / test one with --no-server',
    });
  }
  log.info(
    `building realizar ${REALIZAR_VERSION} with ${cargo} (first run only; 10 minutes or more on two cores) ` +
      `into ${path.dirname(path.dirname(cached))}`,
  );
  await buildInto({
    tool: 'realizar',
    finalDir: path.dirname(path.dirname(cached)),
    binary: 'realizar',
    command: (partial) => ({
      file: cargo,
      args: [
        'install',
        REALIZAR_CRATE,
        '--version',
        `=${REALIZAR_VERSION}`,
        '--locked',
        ...REALIZAR_FEATURES,
        '--root',
        partial,
      ],
      env: {},
    }),
    hint:
      'check that crates.io is reachable and that the Rust toolchain is recent (rustc 1.89+), ' +
      'or install realizar yourself and put it on PATH',
  });
  return { path: cached, version: REALIZAR_VERSION, origin: 'built' };
}

/** actionlint, for the tests that lint ci/github-actions.yml: from PATH, the cache, or built with Go. */
export async function resolveActionlint(opts: { cacheDir: string }): Promise<ResolvedTool> {
  const fromPath = await onPath('actionlint');
  if (fromPath !== null) return { path: fromPath, version: 'unknown', origin: 'path' };
  const cached = path.join(toolsDir(opts.cacheDir), `actionlint-${ACTIONLINT_VERSION}`, 'bin', 'actionlint');
  if (existsSync(cached)) return { path: cached, version: ACTIONLINT_VERSION, origin: 'cache' };
  const go = await onPath('go');
  if (go === null) {
    throw new ToolError({
      tool: 'actionlint',
      problem: 'actionlint is not installed and Go, needed to build it, is not on PATH',
      hint: 'install Go 1.25 or newer, or put actionlint on PATH',
    });
  }
  log.info(`building actionlint ${ACTIONLINT_VERSION} with ${go} (first run only)`);
  await buildInto({
    tool: 'actionlint',
    finalDir: path.dirname(path.dirname(cached)),
    binary: 'actionlint',
    command: (partial) => ({
      file: go,
      args: ['install', '-trimpath', `${ACTIONLINT_MODULE}@${ACTIONLINT_VERSION}`],
      env: { GOBIN: path.join(partial, 'bin'), CGO_ENABLED: '0' },
    }),
    hint: 'check that the Go module proxy is reachable (go env GOPROXY), or put actionlint on PATH',
  });
  return { path: cached, version: ACTIONLINT_VERSION, origin: 'built' };
}
