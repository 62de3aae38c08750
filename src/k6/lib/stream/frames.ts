/**
 * Where the engines (src/k6/lib/stream/engine.ts) run: one frame per origin in the page, since the
 * browser tells when it sent a request (Resource Timing's requestStart) only for a same-origin
 * request; and in that frame, a worker started by another worker. k6's browser module attaches to
 * the page and to its workers over the DevTools protocol with the Network domain on, so every
 * request and every chunk becomes events the renderer builds, the browser relays and k6 decodes —
 * measured at more than half of the generator's CPU at 16 and 32 streams. It does not attach to a
 * worker's own workers: the engine reads its streams there without that cost, and off the page's
 * main thread, where k6's commands arrive. Should that worker not start, the engine runs in the
 * frame itself.
 *
 * Each function here is handed to page.evaluate or frame.evaluate as source text: only its
 * argument and the globals typed by its local interfaces.
 */

/** Page: one frame per origin (each loads `probePath` from it); resolves with how many loaded. */
export function createFrames(arg: { origins: string[]; probePath: string; waitMs: number }): Promise<number> {
  interface Frame {
    src: string;
    style: { display: string };
    onload: (() => void) | null;
  }
  interface Globals {
    document: { createElement(tag: 'iframe'): Frame; body: { appendChild(f: Frame): void } };
    setTimeout(f: () => void, ms: number): unknown;
    __realizarK6Frames?: Frame[];
  }
  const g = globalThis as unknown as Globals;
  const frames: Frame[] = [];
  g.__realizarK6Frames = frames;
  return Promise.all(
    arg.origins.map(
      (origin) =>
        new Promise<number>((resolve) => {
          const f = g.document.createElement('iframe');
          f.style.display = 'none';
          f.onload = () => resolve(1);
          g.setTimeout(() => resolve(0), arg.waitMs);
          f.src = origin + arg.probePath;
          frames.push(f);
          g.document.body.appendChild(f);
        }),
    ),
  ).then((loaded) => loaded.reduce((a, b) => a + b, 0));
}

/**
 * Frame: start the engine — in a worker's worker (`inWorker`), else in the frame itself — and wait
 * for the port (message `tag`) that connects it to the page's scheduler.
 */
export function installFrameEngine(arg: { engineSource: string; inWorker: boolean; tag: string }): boolean {
  interface Port {
    postMessage(m: unknown): void;
  }
  interface Globals {
    Worker: new (url: string) => { postMessage(m: unknown, transfer: unknown[]): void };
    Blob: new (parts: string[], o: { type: string }) => unknown;
    URL: { createObjectURL(b: unknown): string };
    addEventListener(type: 'message', f: (e: { data: unknown; ports: Port[] }) => void): void;
  }
  const g = globalThis as unknown as Globals;
  const blob = (source: string): string => g.URL.createObjectURL(new g.Blob([source], { type: 'text/javascript' }));
  if (!arg.inWorker) {
    const createStreamEngine = new Function(`return (${arg.engineSource})`)() as (port: Port) => void;
    g.addEventListener('message', (e) => {
      if (e.data === arg.tag && e.ports[0] !== undefined) createStreamEngine(e.ports[0]);
    });
    return true;
  }
  // The engine's worker waits for its port; the relay, started here, only passes the port on.
  const engine = `const createStreamEngine = (${arg.engineSource});
    onmessage = (e) => { if (e.ports[0] !== undefined) { onmessage = null; createStreamEngine(e.ports[0]); } };`;
  const relay =
    `const engine = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(engine)}], ` +
    `{ type: 'text/javascript' })));
    onmessage = (e) => engine.postMessage(e.data, e.ports);`;
  const worker = new g.Worker(blob(relay));
  g.addEventListener('message', (e) => {
    if (e.data === arg.tag && e.ports[0] !== undefined) worker.postMessage(arg.tag, [e.ports[0]]);
  });
  return true;
}

/** Page: a message channel to each frame's engine, one end to the scheduler, the other to the frame. */
export function connectEngines(tag: string): number {
  interface Port {
    postMessage(m: unknown): void;
    onmessage: ((e: { data: unknown }) => void) | null;
  }
  interface Globals {
    MessageChannel: new () => { port1: Port; port2: Port };
    __realizarK6Frames?: Array<{
      contentWindow: { postMessage(m: unknown, origin: string, transfer: Port[]): void } | null;
    }>;
    __realizarK6Stream?: { addEngine(port: Port): number };
  }
  const g = globalThis as unknown as Globals;
  let connected = 0;
  for (const f of g.__realizarK6Frames ?? []) {
    if (f.contentWindow === null) continue;
    const ch = new g.MessageChannel();
    g.__realizarK6Stream!.addEngine(ch.port1);
    f.contentWindow.postMessage(tag, '*', [ch.port2]);
    connected++;
  }
  return connected;
}
