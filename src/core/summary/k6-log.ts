/**
 * What k6 logged as errors, read from its log (k6/<scenario>/k6.log, or a command's output). k6 writes
 * logfmt: `time="…" level=error msg="…" key=value …`, the message quoted like a Go string. An error
 * thrown by a scenario's own code in an iteration carries the k6 scenario it ran in (`scenario=<phase>`):
 * k6 logs it and goes on with the next iteration, exits 0, and says nothing of it in its summary, so a
 * phase whose code threw before it sent anything (a stream phase that could not set up its page, a
 * scenario file's bug) would show only as requests never sent. The report names it from here.
 */

/** One `level=error` line of k6's log: its message and the fields after it. */
export interface K6LogError {
  message: string;
  fields: Readonly<Record<string, string>>;
}

const ERROR_LINE = /level=error msg="((?:[^"\\]|\\.)*)"(.*)$/;
const FIELD = /([A-Za-z_][\w.]*)=("(?:[^"\\]|\\.)*"|\S*)/g;

/** A Go-quoted string's content; as written when it is not one JSON can read. */
function unquote(quoted: string): string {
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return quoted;
  }
}

/** Every `level=error` line of `text`, in order. */
export function k6LogErrors(text: string): K6LogError[] {
  const out: K6LogError[] = [];
  for (const line of text.split('\n')) {
    const m = ERROR_LINE.exec(line);
    if (m === null) continue;
    const fields: Record<string, string> = {};
    for (const f of m[2]!.matchAll(FIELD)) fields[f[1]!] = f[2]!.startsWith('"') ? unquote(f[2]!.slice(1, -1)) : f[2]!;
    out.push({ message: unquote(m[1]!), fields });
  }
  return out;
}

/** The errors a phase's own code threw, as k6 logged them: how many, and the first one's message. */
export interface ScriptErrors {
  phase: string;
  count: number;
  /** The first error's message without its stack (`Uncaught (in promise) Error: …`). */
  first: string;
}

/** What the scenario's code threw, phase by phase, first seen first; the script's own console lines are not errors. */
export function scriptErrors(text: string): ScriptErrors[] {
  const byPhase = new Map<string, ScriptErrors>();
  for (const e of k6LogErrors(text)) {
    const phase = e.fields['scenario'];
    if (phase === undefined || e.fields['source'] === 'console') continue;
    const seen = byPhase.get(phase);
    if (seen !== undefined) seen.count++;
    else
      byPhase.set(phase, {
        phase,
        count: 1,
        first: e.message
          .split('\n\tat ')[0]!
          .trim()
          .replace(/\s*\n\s*/g, ' '),
      });
  }
  return [...byPhase.values()];
}

/** The report's line for one phase's errors; `log` names the file they are in. */
export function scriptErrorsNote(e: ScriptErrors, log: string): string {
  const times = e.count === 1 ? 'an error' : `${e.count} errors`;
  return `The scenario's code threw ${times} in phase ${e.phase} (k6 logged them in ${log}); the first: ${e.first}`;
}
