/**
 * The `Server-Timing` response header (W3C Server Timing, RFC 9110 syntax): a comma-separated list of
 * metrics, each a name and `;`-separated parameters, a parameter's value a token or a quoted string:
 *
 *   Server-Timing: db;dur=53.2;desc="query, cached", app;dur=47.2, miss
 *
 * As the W3C text says: a metric without a name is dropped, only the first `dur` and `desc` of a
 * metric count, parameter names are case-insensitive, and a `dur` that is not a number is 0. A
 * metric without `dur` has no duration (null) and joins nothing.
 *
 * Its durations join a request's other parts by their place in the header (src/k6/lib/stream/server-clock.ts
 * records at most SERVER_TIMING_SLOTS of them, each in its own k6 metric, since k6 takes no new
 * metric once the test runs); the names go to k6.log once per client, and the report reads them back
 * (serverTimingNames). Pure.
 */

export interface ServerTimingEntry {
  name: string;
  /** Milliseconds; null: the metric gave no dur. */
  durMs: number | null;
  desc: string | null;
}

/** How many entries with a duration a request's breakdown takes from the header, in order. */
export const SERVER_TIMING_SLOTS = 4;

/**
 * An HTTP token (RFC 9110), built at first use: a regular expression at a module's top level makes
 * every k6 VU build the RegExp class, about 11 KB each, in runs that never read the header.
 */
let token: RegExp | null = null;
const isToken = (text: string): boolean => (token ??= /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/).test(text);

/** Split on `sep` outside quoted strings (a backslash escapes the next character inside one). */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\' && i + 1 < text.length) {
      cur += c + text[++i]!;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unquote(v: string): string {
  if (v.length < 2 || !v.startsWith('"') || !v.endsWith('"')) return v;
  return v.slice(1, -1).replace(/\\(.)/g, '$1');
}

function entryOf(text: string): ServerTimingEntry | null {
  const [head, ...params] = splitOutsideQuotes(text, ';').map((p) => p.trim());
  if (head === undefined || !isToken(head)) return null;
  const entry: ServerTimingEntry = { name: head, durMs: null, desc: null };
  let sawDur = false;
  let sawDesc = false;
  for (const p of params) {
    const eq = p.indexOf('=');
    const key = (eq === -1 ? p : p.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? '' : unquote(p.slice(eq + 1).trim());
    if (key === 'dur' && !sawDur) {
      sawDur = true;
      const n = value === '' ? NaN : Number(value);
      entry.durMs = Number.isFinite(n) ? n : 0;
    } else if (key === 'desc' && !sawDesc) {
      sawDesc = true;
      entry.desc = value;
    }
  }
  return entry;
}

/** Every well-formed metric of the header, in order; [] for none or an empty header. */
export function parseServerTiming(header: string | null | undefined): ServerTimingEntry[] {
  if (header == null || header.trim() === '') return [];
  return splitOutsideQuotes(header, ',').flatMap((t) => {
    const e = entryOf(t.trim());
    return e === null ? [] : [e];
  });
}

/** The entries whose durations a request's breakdown takes: those with a duration, the first few. */
export function timedEntries(entries: readonly ServerTimingEntry[]): ServerTimingEntry[] {
  return entries.filter((e) => e.durMs !== null).slice(0, SERVER_TIMING_SLOTS);
}

/** How a client names, in k6.log, the Server-Timing metric it records in a slot (from 1). */
export const SERVER_TIMING_LOG = 'realizar-k6: server-timing slot';

export function serverTimingLogLine(slot: number, name: string): string {
  return `${SERVER_TIMING_LOG} ${slot} ${name}`;
}

/** The names seen in each slot (index 0: slot 1), in the order first logged, from k6.log. */
export function serverTimingNames(log: string): string[][] {
  const slots: string[][] = Array.from({ length: SERVER_TIMING_SLOTS }, () => []);
  for (const line of log.split('\n')) {
    const at = line.indexOf(SERVER_TIMING_LOG);
    if (at === -1) continue;
    const [slot, name] = line
      .slice(at + SERVER_TIMING_LOG.length)
      .trim()
      .split(/\s+/);
    const i = Number(slot) - 1;
    // k6 quotes a console line in its log (msg="..."): a name is a token, so it ends at a quote.
    const clean = (name ?? '').replace(/["\\].*$/, '');
    if (!Number.isInteger(i) || i < 0 || i >= SERVER_TIMING_SLOTS || !isToken(clean)) continue;
    if (!slots[i]!.includes(clean)) slots[i]!.push(clean);
  }
  return slots;
}
