/**
 * Exit codes, defined once: ours (what every entry point returns) and k6's (what a k6 child may
 * return, explained wherever one is shown). k6's table follows its errext/exitcodes package; a code
 * k6 adds later is shown as "unknown k6 exit code N" rather than guessed.
 */

/** What every entry point of this toolkit exits with. */
export const EXIT = { passed: 0, failed: 1, error: 2, inconclusive: 3, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The meaning of our own codes, for usage texts and the README. */
export const EXIT_MEANING: Record<ExitCode, string> = {
  0: 'every gate passed (or the command did what it was asked)',
  1: 'a threshold was crossed (the build may not be released)',
  2: 'setup, input or infrastructure failure: nothing trustworthy was measured',
  3: 'inconclusive (npm run compare): the noise is larger than the change it would take to decide',
  130: 'interrupted (Ctrl-C or SIGTERM)',
};

/** k6's exit codes (k6 v1.x, errext/exitcodes): name and what it means for a run. */
export const K6_EXIT: Record<number, { name: string; meaning: string }> = {
  97: { name: 'CloudTestRunFailed', meaning: 'the cloud test run failed' },
  98: { name: 'CloudFailedToGetProgress', meaning: "k6 could not get the cloud test run's progress" },
  99: { name: 'ThresholdsHaveFailed', meaning: 'thresholds crossed' },
  100: { name: 'SetupTimeout', meaning: 'setup() timed out' },
  101: { name: 'TeardownTimeout', meaning: 'teardown() timed out' },
  102: { name: 'GenericTimeout', meaning: 'a timeout' },
  103: { name: 'ScriptStoppedFromRESTAPI', meaning: "stopped through k6's REST API" },
  104: { name: 'InvalidConfig', meaning: 'invalid configuration (options)' },
  105: { name: 'ExternalAbort', meaning: 'aborted by a signal' },
  106: { name: 'CannotStartRESTAPI', meaning: "k6's REST API could not start (its address is taken)" },
  107: { name: 'ScriptException', meaning: 'exception in the script' },
  108: { name: 'ScriptAborted', meaning: 'aborted by the script (test.abort)' },
  109: { name: 'GoPanic', meaning: 'k6 itself crashed (a Go panic)' },
  110: { name: 'MarkedAsFailed', meaning: 'the test was marked as failed (execution.test.fail)' },
};

/** k6's exit code when thresholds were crossed (also with abortOnFail). */
export const K6_THRESHOLDS_CROSSED = 99;

/** "code 107 (ScriptException: exception in the script)", or the bare code when k6 did not say. */
export function describeK6Exit(code: number | null, signal: string | null = null): string {
  if (code === null) return `signal ${signal ?? 'unknown'}`;
  const known = K6_EXIT[code];
  if (known !== undefined) return `code ${code} (${known.name}: ${known.meaning})`;
  return code >= 97 && code <= 127 ? `code ${code} (unknown k6 exit code)` : `code ${code}`;
}
