/**
 * Headless Chromium for the tests (Debian's `chromium`): `chromium()` runs it once with flags
 * (--dump-dom, --screenshot), and `openPage()` drives it over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: no port, no WebSocket) to load a page, wait until it has drawn itself,
 * collect every console error, uncaught exception and failed or outgoing request, evaluate a
 * script in it and take a screenshot of the whole page. Every browser is killed by its deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** This machine's closed network and a test's private profile. */
function baseFlags(userDataDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${userDataDir}`,
  ];
}

/** One run of Chromium with these flags; its stdout. */
export async function chromium(args: string[], userDataDir: string): Promise<string> {
  const child = spawn(
    CHROMIUM!,
    [
      ...baseFlags(userDataDir),
      // Let the page's scripts run (a report draws itself from data embedded in the file).
      '--virtual-time-budget=5000',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    await new Promise((resolve) => child.on('close', resolve));
    return out;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** The DevTools protocol over Chromium's pipe: fd 3 to it, fd 4 from it, messages ended by NUL. */
class Cdp {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly listeners: Array<(m: Message) => void> = [];
  private buffer = '';

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.on('data', (b: Buffer) => {
      this.buffer += b.toString('utf8');
      for (let end = this.buffer.indexOf('\0'); end !== -1; end = this.buffer.indexOf('\0')) {
        const msg = JSON.parse(this.buffer.slice(0, end)) as Message;
        this.buffer = this.buffer.slice(end + 1);
        const w = msg.id === undefined ? undefined : this.waiting.get(msg.id);
        if (w !== undefined) {
          this.waiting.delete(msg.id!);
          if (msg.error !== undefined) w.reject(new Error(msg.error.message));
          else w.resolve(msg);
        } else for (const l of this.listeners) l(msg);
      }
    });
  }

  on(listener: (m: Message) => void): void {
    this.listeners.push(listener);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.next++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
    });
  }
}

export interface PageProblems {
  /** console.error and console.assert messages, uncaught exceptions and error log entries. */
  errors: string[];
  /** Requests that failed to load. */
  failedLoads: string[];
  /** Every URL the page asked for other than itself: a self-contained page asks for none. */
  requests: string[];
}

export interface OpenPage {
  problems: PageProblems;
  /** Evaluates an expression in the page; its value, as JSON allows. */
  evaluate<T>(expression: string): Promise<T>;
  /**
   * A PNG of the whole page, or of the part from the top of the element `from` selects to the
   * bottom of the one `to` selects, written to `file`; its size in bytes.
   */
  screenshot(file: string, part?: { from: string; to: string }): Promise<number>;
  /** Milliseconds from navigation to the page saying it had drawn itself. */
  readyMs: number;
  close(): Promise<void>;
}

/**
 * Opens `url` in a fresh headless Chromium at `width` pixels and waits until the page sets
 * `document.body.dataset.ready` (or `deadlineMs` passes).
 */
export async function openPage(
  url: string,
  userDataDir: string,
  o: { width?: number; deadlineMs?: number } = {},
): Promise<OpenPage> {
  const child: ChildProcess = spawn(CHROMIUM!, [...baseFlags(userDataDir), '--remote-debugging-pipe', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const cdp = new Cdp(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const problems: PageProblems = { errors: [], failedLoads: [], requests: [] };
  let loaded: () => void = () => undefined;
  const load = new Promise<void>((resolve) => (loaded = resolve));
  cdp.on((m) => {
    const p = m.params ?? {};
    if (m.method === 'Runtime.consoleAPICalled' && ['error', 'assert'].includes(String(p['type'])))
      problems.errors.push(JSON.stringify(p['args']));
    if (m.method === 'Runtime.exceptionThrown') problems.errors.push(JSON.stringify(p['exceptionDetails']));
    if (m.method === 'Log.entryAdded' && (p['entry'] as { level?: string })?.level === 'error')
      problems.errors.push(JSON.stringify(p['entry']));
    if (m.method === 'Network.loadingFailed') problems.failedLoads.push(JSON.stringify(p));
    if (m.method === 'Network.requestWillBeSent') {
      const u = (p['request'] as { url: string }).url;
      if (u !== url && !u.startsWith('data:')) problems.requests.push(u);
    }
    if (m.method === 'Page.loadEventFired') loaded();
  });
  const close = async (): Promise<void> => {
    await cdp.send('Browser.close').catch(() => undefined);
    await new Promise((resolve) => (child.exitCode === null ? child.on('close', resolve) : resolve(null)));
    clearTimeout(kill);
  };
  try {
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    const send = (method: string, params: Record<string, unknown> = {}) => cdp.send(method, params, sessionId);
    const width = o.width ?? 1280;
    await send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await send(`${domain}.enable`);
    const t0 = performance.now();
    await send('Page.navigate', { url });
    await load;
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
        result: { value: T };
        exceptionDetails?: unknown;
      };
      if (r.exceptionDetails !== undefined) throw new Error(`evaluate: ${JSON.stringify(r.exceptionDetails)}`);
      return r.result.value;
    };
    const deadline = Date.now() + (o.deadlineMs ?? 30_000);
    while ((await evaluate<string | undefined>('document.body.dataset.ready')) === undefined && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const readyMs = performance.now() - t0;
    return {
      problems,
      evaluate,
      readyMs,
      screenshot: async (file, part) => {
        const height = await evaluate<number>('Math.ceil(document.documentElement.scrollHeight)');
        await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
        const clip =
          part === undefined
            ? undefined
            : await evaluate<{ x: number; y: number; width: number; height: number; scale: number }>(
                `(() => {
                  const a = document.querySelector(${JSON.stringify(part.from)}).getBoundingClientRect();
                  const b = document.querySelector(${JSON.stringify(part.to)}).getBoundingClientRect();
                  const y = a.top + window.scrollY - 8;
                  return { x: 0, y, width: ${width}, height: b.bottom + window.scrollY + 8 - y, scale: 1 };
                })()`,
              );
        const { data } = (await send('Page.captureScreenshot', {
          format: 'png',
          captureBeyondViewport: true,
          ...(clip === undefined ? {} : { clip }),
        })) as { data: string };
        const png = Buffer.from(data, 'base64');
        await writeFile(file, png);
        return png.length;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
