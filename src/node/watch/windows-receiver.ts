/**
 * The runner's end of k6's remote-write output (the default; not with --samples): an HTTP server on loopback that takes
 * each push k6 makes (snappy + protobuf, src/core/windows/remote-write.ts) and appends it, decoded, as
 * one JSON line to the run folder's windows file, as it comes: a k6 killed mid-run leaves every window
 * it pushed. A body that cannot be read is answered 400 (k6 logs it and goes on) and counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeWriteRequest, snappyDecode } from '../../core/windows/remote-write.js';
import type { WindowPush } from '../../core/windows/windows.js';
import { endLog, openLog } from '../files/keep-files.js';

/** A push holds a few series per phase and endpoint: anything near this is not k6's. */
const MAX_BODY_BYTES = 64 << 20;

export interface WindowsReceiver {
  /** Where k6 pushes (windowsEnv). */
  url: string;
  /** Stop listening and close the file, once k6 has exited (its last push is made as it stops). */
  stop(): Promise<{ pushes: number; rejected: string[] }>;
}

export async function startWindowsReceiver(file: string): Promise<WindowsReceiver> {
  // A failed write (a full disk) is recorded by openLog and named in the run's final error.
  const out = openLog(file);
  let pushes = 0;
  const rejected: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      try {
        if (size > MAX_BODY_BYTES) throw new Error(`a body of ${size} bytes, over ${MAX_BODY_BYTES}`);
        const push: WindowPush = {
          receivedMs: Date.now(),
          series: decodeWriteRequest(snappyDecode(new Uint8Array(Buffer.concat(chunks)))),
        };
        if (!out.destroyed) out.write(`${JSON.stringify(push)}\n`);
        pushes++;
        res.writeHead(204).end();
      } catch (err) {
        rejected.push((err as Error).message);
        res.writeHead(400, { 'content-type': 'text/plain' }).end((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await endLog(out);
      return { pushes, rejected };
    },
  };
}
