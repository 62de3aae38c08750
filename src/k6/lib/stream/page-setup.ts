/**
 * The set-up of a streamed phase's page (src/k6/lib/stream/run.ts), before its measured window: the
 * page loads from the server, makes one frame per origin the clients use, and each frame's engine is
 * connected to the page's scheduler (src/k6/lib/stream/frames.ts, scheduler.ts, engine.ts). A server
 * that does not answer the page or a frame (still starting, or restarting when the phase begins) is
 * waited for, up to LOAD_RETRY_MS; then the phase stops with an error that names what did not load.
 */
import type { Frame, Page } from 'k6/browser';
import { createSseParser } from '../../../core/stream/sse.js';
import { streamTimings, type StreamApi } from '../../../core/stream/stream.js';
import { createStreamEngine, type EngineSetup } from './engine.js';
import { connectEngines, createFrames, installFrameEngine } from './frames.js';
import { installStreamScheduler } from './scheduler.js';
import type { StreamScheduler } from './schedule-types.js';

/** How long the frames may take to load, and the engines to answer their set-up. */
export const SETUP_MS = 10_000;
/**
 * How long the set-up tries again to load the page and its frames while the server does not answer
 * them: a server still starting, or restarting (a deploy, a supervisor) when the phase begins. Inside
 * the time a streamed phase allows for the browser outside its own limit (BROWSER_SETUP_SEC).
 */
export const LOAD_RETRY_MS = 30_000;
const LOAD_RETRY_PAUSE_MS = 500;

export type Host = { __realizarK6Stream: StreamScheduler };

/** Where the page and its frames load from, and the phase they serve (named in an error). */
export interface PageSource {
  phaseName: string;
  baseUrl: string;
  /** A GET the server answers: the page's and each frame's own address. */
  probePath: string;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * k6's handle on each origin's frame, once k6 has seen it navigate there. A frame the server did not
 * answer shows Chromium's error page, which no wait will change: said at once.
 */
async function framesOf(page: Page, origins: readonly string[]): Promise<Frame[]> {
  for (let waited = 0; ; waited += 100) {
    const children = page.frames().filter((f) => f.parentFrame() !== null);
    const found = origins.map((o) => children.find((f) => f.url().startsWith(`${o}/`)));
    if (found.every((f) => f !== undefined)) return found as Frame[];
    const failed = children.length >= origins.length && children.some((f) => f.url().startsWith('chrome-error:'));
    if (failed || waited >= SETUP_MS)
      throw new Error(
        `the page's frames did not load from ${origins.filter((_, i) => found[i] === undefined).join(', ')}`,
      );
    await pause(100);
  }
}

/** The page loaded from the server, with a frame of each origin, k6's handle on each. */
async function loadFrames(page: Page, run: PageSource, origins: string[]): Promise<Frame[]> {
  await page.goto(`${run.baseUrl}${run.probePath}`);
  const loaded = await page.evaluate(createFrames, { origins, probePath: run.probePath, waitMs: SETUP_MS });
  if (loaded < origins.length)
    throw new Error(
      `only ${loaded} of ${origins.length} frames loaded GET ${run.probePath} from the server within ${SETUP_MS} ms`,
    );
  return framesOf(page, origins);
}

/** An error's message: k6's browser module throws some that are not Error objects. */
const errorText = (err: unknown): string =>
  typeof err === 'object' && err !== null && typeof (err as Error).message === 'string'
    ? (err as Error).message
    : String(err);

/** loadFrames, tried again while the server does not answer, for LOAD_RETRY_MS; then its last error, said whole. */
export async function loadFramesRetrying(page: Page, run: PageSource, origins: string[]): Promise<Frame[]> {
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadFrames(page, run, origins);
    } catch (err) {
      const spent = Date.now() - start;
      if (spent + LOAD_RETRY_PAUSE_MS >= LOAD_RETRY_MS)
        throw new Error(
          `the streamed phase ${run.phaseName} could not set up its page: ${errorText(err)} ` +
            `(${attempt} attempt(s) over ${(spent / 1000).toFixed(1)} s; the page and its frames load ` +
            `GET ${run.probePath} from ${origins.join(', ')}: is the server up, and do those names reach it?)`,
        );
      await pause(LOAD_RETRY_PAUSE_MS);
    }
  }
}

/** A fresh scheduler, an engine in each frame, all connected and set up; false if they did not answer. */
export async function connect(
  page: Page,
  frames: readonly Frame[],
  engines: EngineSetup[],
  api: StreamApi,
  inWorker: boolean,
): Promise<boolean> {
  const tag = inWorker ? 'realizar-k6-engine-worker' : 'realizar-k6-engine-frame';
  await page.evaluate(installStreamScheduler);
  for (const frame of frames)
    await frame.evaluate(installFrameEngine, { engineSource: createStreamEngine.toString(), inWorker, tag });
  await page.evaluate(connectEngines, tag);
  type SetupArg = Parameters<StreamScheduler['setup']>[0];
  return page.evaluate((a: SetupArg) => (globalThis as unknown as Host).__realizarK6Stream.setup(a), {
    engines,
    api,
    timingsSource: streamTimings.toString(),
    parserSource: createSseParser.toString(),
    waitMs: SETUP_MS,
  });
}
