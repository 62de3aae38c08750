import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolkitError } from '../../src/core/errors/ToolkitError.js';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { describeK6Exit, EXIT, K6_EXIT } from '../../src/core/errors/exit-codes.js';
import { InterruptedError } from '../../src/node/errors/InterruptedError.js';
import { ToolError } from '../../src/node/errors/ToolError.js';
import { exitCodeOf } from '../../src/node/commands/exit.js';

describe("k6's exit codes, in one table", () => {
  it("names every code 97 to 110 as k6's errext/exitcodes does", () => {
    const names = Object.fromEntries(Object.entries(K6_EXIT).map(([code, e]) => [code, e.name]));
    assert.deepEqual(names, {
      97: 'CloudTestRunFailed',
      98: 'CloudFailedToGetProgress',
      99: 'ThresholdsHaveFailed',
      100: 'SetupTimeout',
      101: 'TeardownTimeout',
      102: 'GenericTimeout',
      103: 'ScriptStoppedFromRESTAPI',
      104: 'InvalidConfig',
      105: 'ExternalAbort',
      106: 'CannotStartRESTAPI',
      107: 'ScriptException',
      108: 'ScriptAborted',
      109: 'GoPanic',
      110: 'MarkedAsFailed',
    });
  });

  it('explains a code where one is shown, and says so when k6 gives one it does not know', () => {
    assert.equal(describeK6Exit(107), 'code 107 (ScriptException: exception in the script)');
    assert.equal(describeK6Exit(111), 'code 111 (unknown k6 exit code)');
    assert.equal(describeK6Exit(null, 'SIGKILL'), 'signal SIGKILL');
  });
});

describe('errors carry their exit code', () => {
  it('every error of ours extends one base, whose code the entry point returns; anything else exits 2', () => {
    const errors: ToolkitError[] = [
      new ValidationError('--port', []),
      new ToolError({ tool: 'k6', problem: 'p', hint: 'h' }),
      new InterruptedError('waiting'),
    ];
    for (const e of errors) assert.ok(e instanceof ToolkitError);
    assert.deepEqual(errors.map(exitCodeOf), [EXIT.error, EXIT.error, EXIT.interrupted]);
    assert.equal(exitCodeOf(new TypeError('a bug')), EXIT.error);
  });
});
