/**
 * Installing something into the tool cache in several steps (llama.cpp's server: fetch, unpack,
 * configure, build; the tiny model: write): everything happens in a private folder that is renamed
 * into place only when complete, as src/node/tools/tools.ts does for one-command builds, so an
 * interrupted install never leaves a half-made tool or a truncated model behind.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from '../process/child-env.js';
import { ToolError } from '../errors/ToolError.js';
import { log } from '../process/log.js';
import { shellJoin, spawnGroup } from '../process/processes.js';
import { sweepPartials } from './tools.js';

/** Make `finalDir` through `make(partial)`; `product` (relative to the folder) must exist after it. */
export async function installInto(fields: {
  tool: string;
  finalDir: string;
  product: string;
  make: (partial: string) => Promise<void>;
  hint: string;
}): Promise<void> {
  const dir = path.dirname(fields.finalDir);
  await mkdir(dir, { recursive: true });
  await sweepPartials(dir);
  const partial = path.join(dir, `.partial-${path.basename(fields.finalDir)}-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await fields.make(partial);
    if (!existsSync(path.join(partial, fields.product))) {
      throw new ToolError({
        tool: fields.tool,
        problem: `the install finished without making ${fields.product}`,
        hint: fields.hint,
      });
    }
    if (!existsSync(fields.finalDir)) await rename(partial, fields.finalDir);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** One step of an install: shown as it runs, and on failure an error naming the exact command. */
export async function runStep(fields: {
  tool: string;
  file: string;
  args: readonly string[];
  cwd: string;
  env?: Record<string, string>;
  hint: string;
}): Promise<void> {
  const command = shellJoin(fields.file, fields.args);
  log.info(`${fields.tool}: ${command}`);
  const child = spawnGroup(`${fields.tool} step`, command, { env: childEnv(fields.env ?? {}), cwd: fields.cwd });
  let tail = '';
  child.onOutput((chunk) => {
    tail = (tail + chunk).slice(-4000);
    log.progress(chunk);
  });
  const exit = await child.exited;
  if (exit.code !== 0) {
    throw new ToolError({
      tool: fields.tool,
      problem: 'a step of the build failed',
      command,
      commandExitCode: exit.code,
      output: tail,
      hint: fields.hint,
    });
  }
}
