/**
 * vegeta (Go, open-model HTTP load generator), for the benchmark only: the reference the toolkit's
 * latency figures are compared with (bench/experiments/distortion.ts). Built like k6: `go install`
 * of a pinned version from the Go module proxy into the shared tool cache, by the same build step
 * (src/node/tools/tools.ts), so an interrupted build leaves nothing half-built.
 *
 * Only the pinned build is used, never a vegeta found on PATH: the benchmark compares generators,
 * so the generator must be the same on every machine. `go install` sets no version string
 * (`vegeta -version` prints an empty one), so the cache folder's name is what pins it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../errors/ToolError.js';
import { log } from '../process/log.js';
import { buildInto, onPath, toolsDir, type ResolvedTool } from './tools.js';

export const VEGETA_MODULE = 'github.com/tsenart/vegeta/v12';
export const VEGETA_VERSION = 'v12.13.0';

export function vegetaCachePath(cacheDir: string): string {
  return path.join(toolsDir(cacheDir), `vegeta-${VEGETA_VERSION}`, 'bin', 'vegeta');
}

export async function resolveVegeta(opts: { cacheDir: string }): Promise<ResolvedTool> {
  const cached = vegetaCachePath(opts.cacheDir);
  if (existsSync(cached)) return { path: cached, version: VEGETA_VERSION, origin: 'cache' };
  const go = await onPath('go');
  if (go === null) {
    throw new ToolError({
      tool: 'vegeta',
      problem: 'vegeta is not built yet and Go, needed to build it, is not on PATH',
      hint: 'install Go 1.22 or newer (https://go.dev/doc/install)',
    });
  }
  log.info(
    `building vegeta ${VEGETA_VERSION} with ${go} (first run only; about a minute) ` +
      `into ${path.dirname(path.dirname(cached))}`,
  );
  await buildInto({
    tool: 'vegeta',
    finalDir: path.dirname(path.dirname(cached)),
    binary: 'vegeta',
    command: (partial) => ({
      file: go,
      args: ['install', '-trimpath', `${VEGETA_MODULE}@${VEGETA_VERSION}`],
      env: { GOBIN: path.join(partial, 'bin'), CGO_ENABLED: '0' },
    }),
    hint: 'check that the Go module proxy is reachable (go env GOPROXY)',
  });
  return { path: cached, version: VEGETA_VERSION, origin: 'built' };
}
