import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EAGER_GC_CLIENTS, gcEnv } from '../../src/node/k6/k6.js';

describe("k6's garbage collection", () => {
  it('is left to Go with few clients, where the heap is small and the CPU matters more', () => {
    assert.deepEqual(gcEnv(10, undefined), {});
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
  });
});
