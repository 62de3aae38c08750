import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrivalScenarioOptions, DROP_TOLERANCE_MS, dueAction } from '../../src/core/arrivals/due.js';

const due = 1_700_000_000_000;
/** A client that came free well before the request fell due, and one still busy with another long after. */
const freeBefore = due - 1000;
const busyPast = due + 500;

describe('a client that took a request of a drawn schedule', () => {
  it('waits when it took the request early, for exactly the time left', () => {
    assert.deepEqual(dueAction({ nowMs: due - 250, dueMs: due, waited: false, freeAtMs: freeBefore }), {
      kind: 'wait',
      waitMs: 250,
    });
  });

  it('sends when it took the request on time or late within the tolerance, saying how late', () => {
    assert.deepEqual(dueAction({ nowMs: due, dueMs: due, waited: false, freeAtMs: freeBefore }), {
      kind: 'send',
      lateMs: 0,
    });
    assert.deepEqual(dueAction({ nowMs: due + DROP_TOLERANCE_MS, dueMs: due, waited: false, freeAtMs: freeBefore }), {
      kind: 'send',
      lateMs: DROP_TOLERANCE_MS,
    });
  });

  it('drops a request it took later than the tolerance when it was itself busy then: every client was', () => {
    const freeAtMs = due + DROP_TOLERANCE_MS + 1;
    assert.deepEqual(dueAction({ nowMs: due + DROP_TOLERANCE_MS + 1, dueMs: due, waited: false, freeAtMs }), {
      kind: 'drop',
      lateMs: DROP_TOLERANCE_MS + 1,
    });
    assert.deepEqual(dueAction({ nowMs: due + 40, dueMs: due, waited: false, freeAtMs: busyPast, toleranceMs: 50 }), {
      kind: 'send',
      lateMs: 40,
    });
  });

  it('sends a request it took late while it was itself free when it fell due: k6 was late, no client lacked', () => {
    // A client's first request of the phase (k6 starting its VUs, or another k6 process beside it):
    // it has been free since the phase started.
    assert.deepEqual(dueAction({ nowMs: due + 35, dueMs: due, waited: false, freeAtMs: due }), {
      kind: 'send',
      lateMs: 35,
    });
    assert.deepEqual(dueAction({ nowMs: due + 35, dueMs: due, waited: false, freeAtMs: due + DROP_TOLERANCE_MS }), {
      kind: 'send',
      lateMs: 35,
    });
    assert.deepEqual(
      dueAction({ nowMs: due + 35, dueMs: due, waited: false, freeAtMs: due + DROP_TOLERANCE_MS + 1 }).kind,
      'drop',
    );
  });

  it('sends after waiting, however late its timer woke it, and never reports a negative lateness', () => {
    assert.deepEqual(dueAction({ nowMs: due + 500, dueMs: due, waited: true, freeAtMs: busyPast }), {
      kind: 'send',
      lateMs: 500,
    });
    assert.deepEqual(dueAction({ nowMs: due - 1, dueMs: due, waited: true, freeAtMs: busyPast }), {
      kind: 'send',
      lateMs: 0,
    });
  });

  it('tolerates a few ms on purpose: more than the clock and scheduler jitter, less than any request', () => {
    assert.ok(DROP_TOLERANCE_MS >= 5 && DROP_TOLERANCE_MS <= 20);
  });
});

describe("a drawn schedule's k6 scenario", () => {
  it('is shared-iterations: the clients take the requests in order, one iteration per request', () => {
    assert.deepEqual(arrivalScenarioOptions({ clients: 8, offsets: [0, 100, 2500.4], startSec: 30, timeoutSec: 60 }), {
      executor: 'shared-iterations',
      vus: 3,
      iterations: 3,
      maxDuration: `${Math.ceil(2500.4 + DROP_TOLERANCE_MS + 60_000 + 1000)}ms`,
      startTime: '30000ms',
      gracefulStop: '60000ms',
    });
  });

  it('has as many VUs as clients when there are more requests than clients', () => {
    const o = arrivalScenarioOptions({
      clients: 4,
      offsets: Array.from({ length: 100 }, (_, i) => i * 10),
      startSec: 0,
      timeoutSec: 5,
    });
    assert.equal(o.vus, 4);
    assert.equal(o.iterations, 100);
  });

  it('refuses an empty schedule', () => {
    assert.throws(() => arrivalScenarioOptions({ clients: 1, offsets: [], startSec: 0, timeoutSec: 1 }), RangeError);
  });
});
