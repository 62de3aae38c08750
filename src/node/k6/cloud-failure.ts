/**
 * Why a `k6 cloud` command failed, read from its (already redacted) output: the HTTP status and API
 * path k6 reports, mapped to what the user should check. Kept apart from the command itself
 * (src/node/commands/cloud.ts) so each can be read, and tested, on its own.
 */
import { STATUS_CODES } from 'node:http';
import type { CloudEnv } from '../config/index.js';
import type { ExitInfo } from '../process/processes.js';
import { k6LogErrors } from '../../core/summary/k6-log.js';

/** What k6 reported when a `k6 cloud` command failed, read from its (already redacted) output. */
export interface CloudFailure {
  httpStatus: number | null;
  /** API path, when k6 named the URL. */
  endpoint: string | null;
  /** k6's error message(s). */
  message: string | null;
  unreachable: boolean;
  /** The cloud ran the test and reports it failed (not a threshold). */
  testFailed: boolean;
}

/** Go's network errors as k6 passes them on: the cloud API was never reached. */
const UNREACHABLE = new RegExp(
  [
    'connection refused',
    'no such host',
    'dial tcp',
    'i/o timeout',
    'deadline exceeded',
    'Client\\.Timeout',
    'TLS handshake',
    'network is unreachable',
  ].join('|'),
);

/**
 * Read the failure out of k6's output. The forms come from k6 v1.8.1's cloudapi: a JSON error body
 * gives "(401/E2) message" or "(500) message"; another body gives "unexpected HTTP error from <url>:
 * 500 Internal Server Error", or for 401/403 "failed to authenticate with k6 Cloud" / "not allowed
 * to upload result to k6 Cloud".
 */
export function classifyCloudFailure(output: string): CloudFailure {
  const messages = k6LogErrors(output).map((e) => e.message);
  const text = messages.length > 0 ? messages.join('\n') : output;
  let httpStatus: number | null = null;
  let endpoint: string | null = null;
  const unexpected = /unexpected HTTP error from (\S+): (\d{3})/.exec(text);
  const coded = /\((\d{3})(?:\/E\d+)?\)/.exec(text);
  if (unexpected) {
    httpStatus = Number(unexpected[2]);
    try {
      endpoint = new URL(unexpected[1]!).pathname;
    } catch {
      endpoint = null;
    }
  } else if (coded) {
    httpStatus = Number(coded[1]);
  } else if (/failed to authenticate with k6 Cloud|must first authenticate/.test(text)) {
    httpStatus = 401;
  } else if (/not allowed to upload result to k6 Cloud/.test(text)) {
    httpStatus = 403;
  }
  return {
    httpStatus,
    endpoint,
    message: messages.length > 0 ? messages.join(' | ') : null,
    unreachable: httpStatus === null && UNREACHABLE.test(text),
    testFailed: /The test has failed/.test(text),
  };
}

function describeSetting(name: string, value: number | string | null, unset: string): string {
  return value === null ? `${name} (not set: ${unset})` : `${name} (${value})`;
}

/** What a person should check for a given failure: the settings involved, never their secret. */
export function hintFor(f: CloudFailure, env: CloudEnv, logFile: string | null): string {
  const stack = describeSetting('K6_CLOUD_STACK_ID', env.stackId, 'set it to your Grafana Cloud stack id');
  const project = describeSetting('K6_CLOUD_PROJECT_ID', env.projectId, "the stack's default project is used");
  const host = describeSetting('K6_CLOUD_HOST', env.host, "k6's default, https://ingest.k6.io");
  const s = f.httpStatus;
  if (s === 401)
    return (
      'the cloud did not accept the token: check that K6_CLOUD_TOKEN is a current Grafana Cloud k6 API token ' +
      `(not revoked, not expired) of the stack in ${stack}, and that ${host} is that stack's API`
    );
  if (s === 403)
    return (
      'the token is valid but may not do this: ' +
      `check that it has access to ${project} and that the stack's plan allows it (${stack})`
    );
  if (s === 404)
    return `nothing answered at that path: check ${host} (the API base, without /v1) and that ${project} exists`;
  if (s === 429) return 'the cloud API is rate-limiting this token: wait and try again';
  if (s !== null && s >= 500)
    return (
      'the cloud API failed on its side (k6 already retried): ' +
      `try again later, check Grafana Cloud's status page and ${host}`
    );
  if (s !== null)
    return (
      `the cloud refused the test's options or archive (HTTP ${s}): ` +
      `read k6's message above${logFile === null ? '' : ` and ${logFile}`}`
    );
  if (f.unreachable)
    return `the cloud API could not be reached: check ${host}, the network and any proxy (HTTPS_PROXY)`;
  if (f.testFailed)
    return (
      'the test was started but the cloud reports it failed (aborted by the system, a limit or a script error): ' +
      "open the run's page in Grafana Cloud k6"
    );
  return `read k6's output${logFile === null ? '' : ` in ${logFile}`}`;
}

export function problemOf(f: CloudFailure, exit: ExitInfo): string {
  if (f.httpStatus !== null) {
    return (
      `the cloud API answered HTTP ${f.httpStatus} (${STATUS_CODES[f.httpStatus] ?? 'unknown status'})` +
      (f.endpoint === null ? '' : ` to ${f.endpoint}`)
    );
  }
  if (f.unreachable) return 'the cloud API could not be reached';
  if (f.testFailed) return 'the cloud test run failed';
  return exit.code !== null ? `k6 exited with code ${exit.code}` : `k6 was stopped by ${exit.signal ?? 'a signal'}`;
}
