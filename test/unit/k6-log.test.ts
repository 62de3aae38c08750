/**
 * What k6 logged as errors, read from lines as k6 v1.8.1 writes them: an error a scenario's code threw
 * (in an iteration, or a promise of it) carries its k6 scenario; the script's own console lines and
 * k6's errors outside a scenario are not the code's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { k6LogErrors, scriptErrors, scriptErrorsNote } from '../../src/core/summary/k6-log.js';

// Written by k6 v1.8.1 for `throw new Error('boom "quoted"\nsecond line')` in scenario a, a rejected
// promise in scenario b, and console.error in scenario a.
const T = 'time="2026-12-06T22:38:22Z"';
const THROWN = String.raw`msg="Error: boom \"quoted\"\nsecond line\n\tat a (file:///x/err.js:2:29(3))\n"`;
const REJECTED = String.raw`msg="Uncaught (in promise) TypeError: async boom\n\tat b (file:///x/err.js:3:60(8))\n"`;
const LOG = [
  `${T} level=info msg="realizar-k6 plan: {}" source=console`,
  `${T} level=error ${REJECTED} executor=per-vu-iterations scenario=b`,
  `${T} level=error ${THROWN} executor=per-vu-iterations scenario=a source=stacktrace`,
  `${T} level=error ${THROWN} executor=per-vu-iterations scenario=a source=stacktrace`,
  `${T} level=error msg="said on purpose" scenario=a source=console`,
  `${T} level=error msg="failed to upload" error="(401/E2) bad token"`,
  `${T} level=warning msg="Request Failed" error="dial tcp: connection refused" scenario=a`,
].join('\n');

describe("k6's logged errors", () => {
  it('reads every level=error line: its message unquoted and the fields after it', () => {
    const errors = k6LogErrors(LOG);
    assert.equal(errors.length, 5);
    assert.equal(errors[1]!.message, 'Error: boom "quoted"\nsecond line\n\tat a (file:///x/err.js:2:29(3))\n');
    assert.deepEqual(errors[1]!.fields, { executor: 'per-vu-iterations', scenario: 'a', source: 'stacktrace' });
    assert.deepEqual(errors[4]!.fields, { error: '(401/E2) bad token' });
  });

  it("counts what each phase's code threw, first seen first, with the first message on one line and no stack", () => {
    assert.deepEqual(scriptErrors(LOG), [
      { phase: 'b', count: 1, first: 'Uncaught (in promise) TypeError: async boom' },
      { phase: 'a', count: 2, first: 'Error: boom "quoted" second line' },
    ]);
  });

  it('finds none in a log without errors, and says how many a phase threw and where they are', () => {
    assert.deepEqual(scriptErrors('time="t" level=info msg="running" scenario=a\n'), []);
    assert.equal(
      scriptErrorsNote({ phase: 'a', count: 2, first: 'Error: boom' }, 'k6/x/k6.log'),
      "The scenario's code threw 2 errors in phase a (k6 logged them in k6/x/k6.log); the first: Error: boom",
    );
  });
});
