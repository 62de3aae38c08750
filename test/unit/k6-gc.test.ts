import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EAGER_GC_CLIENTS, gcEnv, LAZY_GC_CLIENTS } from '../../src/node/k6/k6.js';

describe("k6's garbage collection", () => {
  it("collects half as often below 100 clients, where the heap is small and the collector's CPU is what costs", () => {
    assert.deepEqual(gcEnv(1, undefined), { GOGC: '200' });
    assert.deepEqual(gcEnv(LAZY_GC_CLIENTS - 1, undefined), { GOGC: '200' });
  });

  it('is left to Go between 100 and 200 clients, and when the clients are not known', () => {
    assert.deepEqual(gcEnv(LAZY_GC_CLIENTS, undefined), {});
    assert.deepEqual(gcEnv(EAGER_GC_CLIENTS - 1, undefined), {});
    assert.deepEqual(gcEnv(undefined, undefined), {});
  });

  it('collects twice as often from 200 clients on, where the VUs make most of the heap', () => {
    assert.deepEqual(gcEnv(EAGER_GC_CLIENTS, undefined), { GOGC: '50' });
    assert.deepEqual(gcEnv(1000, ''), { GOGC: '50' });
  });

  it("leaves a GOGC of the user's own alone", () => {
    assert.deepEqual(gcEnv(1000, '200'), {});
    assert.deepEqual(gcEnv(1000, 'off'), {});
    assert.deepEqual(gcEnv(10, '100'), {});
  });
});
