/**
 * TEST-ONLY STAND-IN for the Grafana Cloud k6 API. Never used by a real run: `npm run k6:cloud`
 * always talks to the real cloud. It exists because tests have no internet here (and a real upload
 * would need a real account and token), yet must prove what the real k6 binary sends. k6 is pointed
 * at it with K6_CLOUD_HOST=http://127.0.0.1:<port>; it listens on loopback only.
 *
 * It answers only what k6 v1.8.1 calls (cloudapi/api.go, cloudapi/client.go, internal/cmd/cloud.go,
 * internal/cmd/outputs_cloud.go, output/cloud/expv2):
 *   POST /v1/validate-options      JSON {options}                                  → 200 {}
 *   POST /v1/archive-upload        multipart: name, [upload_only=true], [project_id], file archive.tar
 *                                  → 200 CreateTestRunResponse {reference_id, logs}
 *   GET  /v1/test-progress/<id>    → TestProgressResponse {run_status, run_status_text, result_status,
 *                                    progress} (upload only: 10 Archived; a run: 3 Finished,
 *                                    result_status as asked)
 *   POST /v1/tests                 (--local-execution) multipart: name, project_id, vus, duration,
 *                                    file → {reference_id}
 *   POST /v2/metrics/<id>          (--local-execution) metric batches → 200
 *   POST /v1/tests/<id>            (--local-execution) test finished → 200 {}
 *   POST /v1/tests/<id>/stop       → 200 {}, the run then reported aborted by the user (or, with
 *                                    stopHangs, no answer)
 * Anything else gets 404 and is recorded, so a test can assert that nothing unexpected was asked.
 * Every request is recorded with its headers and, for multipart bodies, its fields and files.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPart {
  name: string;
  filename: string | null;
  content: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Multipart form parts, or null when the body was not multipart. */
  parts: RecordedPart[] | null;
  status: number;
}

export interface StandInOptions {
  /** Answer POST /v1/archive-upload with this instead of accepting it (a refused upload). */
  refuseUpload?: { status: number; body: string; contentType: string };
  /** result_status that test-progress reports for a started run: 0 passed, 1 failed. */
  resultStatus?: 0 | 1;
  /**
   * A started run never finishes: test-progress reports it running (k6 cloud run then polls on)
   * until it is stopped.
   */
  running?: boolean;
  /** POST /v1/tests/<id>/stop is recorded and never answered (a cloud that does not take the stop). */
  stopHangs?: boolean;
}

export interface CloudStandIn {
  url: string;
  requests: RecordedRequest[];
  /** The value of a multipart field of a recorded request. */
  field(request: RecordedRequest, name: string): string | undefined;
  close(): Promise<void>;
}

/**
 * The environment of a k6:cloud command pointed at the stand-in: the token, project and stack, no log tailing
 * or traces, and any non-loopback HTTP(S) call k6 might try sent to a dead loopback proxy (Go never proxies
 * loopback), so nothing leaves this machine.
 */
export function standInEnv(
  standIn: CloudStandIn,
  base: NodeJS.ProcessEnv,
  ids: { token: string; projectId: string; stackId: string },
): NodeJS.ProcessEnv {
  return {
    ...base,
    K6_CLOUD_TOKEN: ids.token,
    K6_CLOUD_HOST: standIn.url,
    K6_CLOUD_PROJECT_ID: ids.projectId,
    K6_CLOUD_STACK_ID: ids.stackId,
    K6_SHOW_CLOUD_LOGS: 'false',
    K6_CLOUD_TRACES_ENABLED: 'false',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
  };
}

/** Split a multipart/form-data body into its parts (enough for what Go's mime/multipart writes). */
export function parseMultipart(body: Buffer, contentType: string): RecordedPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (m === null) throw new Error(`multipart body without a boundary (content-type ${contentType})`);
  const boundary = Buffer.from(`--${m[1] ?? m[2]!}`);
  const parts: RecordedPart[] = [];
  let pos = body.indexOf(boundary);
  while (pos !== -1) {
    const afterBoundary = pos + boundary.length;
    if (body.subarray(afterBoundary, afterBoundary + 2).toString() === '--') break;
    const start = afterBoundary + 2; // CRLF after the boundary line
    const next = body.indexOf(boundary, start);
    if (next === -1) throw new Error('multipart body: a part without a closing boundary');
    const part = body.subarray(start, next - 2); // the CRLF before the next boundary belongs to it
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString();
    parts.push({
      name: /;\s*name="([^"]*)"/.exec(headers)?.[1] ?? '',
      filename: /;\s*filename="([^"]*)"/.exec(headers)?.[1] ?? null,
      content: Buffer.from(part.subarray(headerEnd + 4)),
    });
    pos = next;
  }
  return parts;
}

export async function startCloudStandIn(options: StandInOptions = {}): Promise<CloudStandIn> {
  const requests: RecordedRequest[] = [];
  /** reference id → true when the archive was uploaded with upload_only. */
  const uploads = new Map<string, boolean>();
  /** Test runs asked to stop: test-progress reports them aborted by the user. */
  const stopped = new Set<string>();
  let nextId = 4711;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0]!;
      const contentType = req.headers['content-type'] ?? '';
      const parts = contentType.startsWith('multipart/form-data') ? parseMultipart(body, contentType) : null;
      const record: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body, parts, status: 0 };
      requests.push(record);
      const reply = (status: number, payload: string, type = 'application/json'): void => {
        record.status = status;
        res.writeHead(status, { 'content-type': type });
        res.end(payload);
      };
      const field = (name: string): string | undefined =>
        parts?.find((p) => p.name === name && p.filename === null)?.content.toString();

      if (req.method === 'POST' && path === '/v1/validate-options') return reply(200, '{}');
      if (req.method === 'POST' && path === '/v1/archive-upload') {
        if (options.refuseUpload)
          return reply(options.refuseUpload.status, options.refuseUpload.body, options.refuseUpload.contentType);
        const id = String(nextId++);
        uploads.set(id, field('upload_only') === 'true');
        return reply(200, JSON.stringify({ reference_id: id, logs: [] }));
      }
      const progress = /^\/v1\/test-progress\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && progress) {
        const uploadOnly = uploads.get(progress[1]!);
        if (uploadOnly === undefined)
          return reply(404, JSON.stringify({ error: { message: `no test run ${progress[1]!}` } }));
        return reply(
          200,
          JSON.stringify(
            uploadOnly
              ? { run_status: 10, run_status_text: 'Archived', result_status: 0, progress: 1 }
              : stopped.has(progress[1]!)
                ? { run_status: 5, run_status_text: 'Aborted (by user)', result_status: 1, progress: 1 }
                : options.running
                  ? { run_status: 2, run_status_text: 'Running', result_status: 0, progress: 0.5 }
                  : {
                      run_status: 3,
                      run_status_text: 'Finished',
                      result_status: options.resultStatus ?? 0,
                      progress: 1,
                    },
          ),
        );
      }
      if (req.method === 'POST' && path === '/v1/tests') {
        const id = String(nextId++);
        uploads.set(id, false);
        return reply(200, JSON.stringify({ reference_id: id, logs: [] }));
      }
      if (req.method === 'POST' && /^\/v2\/metrics\/[^/]+$/.test(path)) return reply(200, '', 'text/plain');
      const stop = /^\/v1\/tests\/([^/]+)\/stop$/.exec(path);
      if (req.method === 'POST' && stop) {
        if (options.stopHangs) return;
        stopped.add(stop[1]!);
        return reply(200, '{}');
      }
      if (req.method === 'POST' && /^\/v1\/tests\/[^/]+(\/stop)?$/.test(path)) return reply(200, '{}');
      return reply(
        404,
        JSON.stringify({ error: { message: `the stand-in does not implement ${req.method ?? ''} ${path}` } }),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    field: (request, name) => request.parts?.find((p) => p.name === name && p.filename === null)?.content.toString(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
