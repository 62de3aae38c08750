/**
 * The plan, said before the first request. k6 writes its summary and plan.json only at the end
 * (handleSummary); a k6 killed before then would leave no plan, and its per-request samples could
 * not be read against phases, planned counts and thresholds. So the scenario script logs the plan
 * once at init (VU 0, the init k6 runs to read the options) as one console line; k6 writes it to
 * its output, which the runner keeps in k6/<scenario>/k6.log and leaves off the terminal. (k6's
 * --console-output would not do: it takes effect only after that first init.) Pure: the k6 side
 * writes the line, the Node side reads it back.
 */
export const PLAN_LINE_PREFIX = 'realizar-k6 plan: ';

/** The whole line as k6 prints it, to leave it off the terminal. */
export const PLAN_LINE_PATTERN = /^time="[^"\n]*" level=info msg="realizar-k6 plan: [^\n]*\n/gm;

export function planLine(plan: unknown): string {
  return `${PLAN_LINE_PREFIX}${JSON.stringify(plan)}`;
}

/**
 * The plan from k6's console output: k6 writes each console line as logfmt, the message quoted
 * (`msg="realizar-k6 plan: {\"scenario\":...}"`). Returns the parsed JSON, or null when no line
 * carries it (an older bundle, or k6 stopped during init).
 */
export function findPlanLine(consoleText: string): unknown {
  for (const line of consoleText.split('\n')) {
    const at = line.indexOf('msg="');
    if (at === -1) continue;
    // The quoted message ends at the first unescaped quote.
    let end = at + 5;
    while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
    let msg: string;
    try {
      msg = JSON.parse(line.slice(at + 4, end + 1)) as string;
    } catch {
      continue;
    }
    if (!msg.startsWith(PLAN_LINE_PREFIX)) continue;
    try {
      return JSON.parse(msg.slice(PLAN_LINE_PREFIX.length)) as unknown;
    } catch {
      return null;
    }
  }
  return null;
}
