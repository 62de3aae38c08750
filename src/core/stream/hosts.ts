/**
 * Host names for the streamed-request engine. Chromium opens at most 6 HTTP/1.1 connections per
 * host (per browser profile), so 32 concurrent streams to one origin would queue 26 of them inside
 * the browser and read as a slow server. The engine gives every group of at most 6 concurrent
 * streams a host name of its own under an alias domain that the browser resolves to the server
 * (Chromium's --host-resolver-rules, set in K6_BROWSER_ARGS), and reads each group's streams from a
 * frame of that origin, so that every request is same-origin (src/k6/lib/stream/frames.ts).
 * Pure: the Node side writes the browser arguments, the k6 side reads them back.
 */

/** Chromium's limit of connections per host and profile (HTTP/1.1). */
export const CONNECTIONS_PER_HOST = 6;

/** The alias domain the runner maps to the server; `.test` is reserved and never resolves elsewhere. */
export const STREAM_ALIAS_DOMAIN = 'streams.realizar-k6.test';

/** Scheme, host (IPv6 in brackets) and port of an http(s) URL; no URL class in k6 or the pure zone. */
function partsOf(baseUrl: string): { scheme: string; host: string; port: string } {
  const m = /^(https?):\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?/i.exec(baseUrl);
  if (m === null) throw new Error(`not an http(s) URL: ${baseUrl}`);
  return { scheme: m[1]!.toLowerCase(), host: m[2]!, port: m[3] ?? '' };
}

/** Chromium's rule mapping every name under `domain` to the server's host (the port stays the URL's). */
export function hostResolverRule(baseUrl: string, domain = STREAM_ALIAS_DOMAIN): string {
  return `MAP *.${domain} ${partsOf(baseUrl).host}`;
}

/** The alias domain a K6_BROWSER_ARGS value maps (comma-separated Chromium flags), or null. */
export function aliasDomainFrom(browserArgs: string | undefined): string | null {
  for (const arg of (browserArgs ?? '').split(',')) {
    const m = /^\s*-{0,2}host-resolver-rules=MAP \*\.([a-z0-9.-]+) \S+\s*$/i.exec(arg);
    if (m !== null) return m[1]!.toLowerCase();
  }
  return null;
}

/**
 * The origin each of `slots` concurrent streams sends to: slot i uses host s<floor(i/6)> of the
 * alias domain, so no host ever has more than 6 streams in flight. Without an alias domain every
 * slot uses the server's own origin.
 */
export function slotOrigins(baseUrl: string, slots: number, aliasDomain: string | null): string[] {
  const { scheme, host, port } = partsOf(baseUrl);
  const withPort = (h: string): string => `${scheme}://${h}${port === '' ? '' : `:${port}`}`;
  return Array.from({ length: slots }, (_, i) =>
    withPort(aliasDomain === null ? host : `s${Math.floor(i / CONNECTIONS_PER_HOST)}.${aliasDomain}`),
  );
}

/** Each distinct origin once, with how many clients use it (the connections to open before the window). */
export function originsInUse(origins: readonly string[]): { origins: string[]; perOrigin: number[] } {
  const counts = new Map<string, number>();
  for (const o of origins) counts.set(o, (counts.get(o) ?? 0) + 1);
  return { origins: [...counts.keys()], perOrigin: [...counts.values()] };
}
