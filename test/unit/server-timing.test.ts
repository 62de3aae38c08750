import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseServerTiming,
  SERVER_TIMING_SLOTS,
  serverTimingLogLine,
  serverTimingNames,
  timedEntries,
} from '../../src/core/stream/server-timing.js';

describe('the Server-Timing header', () => {
  it('gives each metric its name, duration and description, in order', () => {
    assert.deepEqual(parseServerTiming('db;dur=53.2;desc="query", app;dur=47.2, miss'), [
      { name: 'db', durMs: 53.2, desc: 'query' },
      { name: 'app', durMs: 47.2, desc: null },
      { name: 'miss', durMs: null, desc: null },
    ]);
  });

  it('keeps commas and semicolons inside a quoted description, and unescapes it', () => {
    assert.deepEqual(parseServerTiming('q;desc="a, b; \\"c\\"";dur=1, r;dur=2'), [
      { name: 'q', durMs: 1, desc: 'a, b; "c"' },
      { name: 'r', durMs: 2, desc: null },
    ]);
  });

  it('reads parameter names in any case, takes the first dur, and a dur that is no number as 0', () => {
    assert.deepEqual(parseServerTiming('a;DUR=5;dur=9, b;dur=fast, c ; Dur = 3'), [
      { name: 'a', durMs: 5, desc: null },
      { name: 'b', durMs: 0, desc: null },
      { name: 'c', durMs: 3, desc: null },
    ]);
  });

  it('drops a metric without a valid name, and gives nothing for an empty or absent header', () => {
    assert.deepEqual(
      parseServerTiming(';dur=1, "quoted";dur=2, ok;dur=3, ,').map((e) => e.name),
      ['ok'],
    );
    assert.deepEqual([parseServerTiming(''), parseServerTiming(null), parseServerTiming(undefined)], [[], [], []]);
  });

  it('joins only entries with a duration, at most one per slot', () => {
    const many = Array.from({ length: SERVER_TIMING_SLOTS + 2 }, (_, i) => `m${i};dur=${i}`).join(', ');
    const timed = timedEntries(parseServerTiming(`first, ${many}`));
    assert.deepEqual(
      timed.map((e) => e.name),
      ['m0', 'm1', 'm2', 'm3'],
    );
  });

  it("reads each slot's names back from k6.log, each once, as k6 quotes a console line", () => {
    const log = [
      `time="..." level=info msg="${serverTimingLogLine(1, 'queue')}" source=console`,
      `time="..." level=info msg="${serverTimingLogLine(2, 'prefill')}" source=console`,
      `time="..." level=info msg="${serverTimingLogLine(1, 'queue')}" source=console`,
      `time="..." level=info msg="${serverTimingLogLine(2, 'cache')}" source=console`,
      `time="..." level=info msg="${serverTimingLogLine(9, 'nowhere')}" source=console`,
      'time="..." level=info msg="unrelated"',
    ].join('\n');
    assert.deepEqual(serverTimingNames(log), [['queue'], ['prefill', 'cache'], [], []]);
  });
});
