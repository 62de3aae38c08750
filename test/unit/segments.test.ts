/**
 * k6's execution segments as the toolkit computes them (src/core/merge/segments.ts) against what k6
 * itself did: the iterations each runner of a split run ran, measured with k6 v1.8.1 (each segment
 * of each sequence run alone, its per-scenario iteration counts read from its summary).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  equalSegments,
  parseFraction,
  parseSegment,
  parseSequence,
  phaseShare,
  resegment,
  scaleCount,
  segmentText,
  sequenceText,
  stripe,
  tupleOf,
} from '../../src/core/merge/segments.js';

/** sequence → phases (clients, requests; car = constant-arrival-rate) → iterations k6 ran per segment. */
const MEASURED: Array<{
  sequence: string;
  phases: Array<{ clients: number; requests: number; car?: true; k6: number[] }>;
}> = [
  {
    sequence: '0,1/4,1/2,3/4,1',
    phases: [
      { clients: 3, requests: 10, k6: [4, 3, 3, 0] },
      { clients: 3, requests: 14, car: true, k6: [5, 5, 4, 0] },
    ],
  },
  {
    sequence: '0,1/3,2/3,1',
    phases: [
      { clients: 5, requests: 17, k6: [7, 7, 3] },
      { clients: 2, requests: 11, k6: [6, 5, 0] },
      { clients: 7, requests: 9, car: true, k6: [4, 3, 2] },
    ],
  },
  {
    sequence: '0,1/2,3/4,1',
    phases: [
      { clients: 10, requests: 101, k6: [51, 30, 20] },
      { clients: 3, requests: 3, k6: [2, 1, 0] },
      { clients: 5, requests: 13, car: true, k6: [8, 3, 2] },
    ],
  },
  {
    sequence: '0,1/5,2/5,3/5,4/5,1',
    phases: [
      { clients: 7, requests: 23, k6: [7, 7, 3, 3, 3] },
      { clients: 12, requests: 17, car: true, k6: [5, 4, 3, 3, 2] },
    ],
  },
];

describe("k6's execution segments", () => {
  it('give each runner the iterations k6 gave it, for shared-iterations and constant-arrival-rate alike', () => {
    for (const { sequence, phases } of MEASURED) {
      const seq = parseSequence(sequence)!;
      for (const p of phases) {
        const ours = seq.map((s) => phaseShare(tupleOf(s, seq)!, p).requests);
        assert.deepEqual(ours, p.k6, `${sequence}: ${p.clients} clients, ${p.requests} requests`);
      }
    }
  });

  it('add up to the whole, whatever the counts, and a runner without a client gets no request', () => {
    for (const n of [2, 3, 4, 7]) {
      const { segments, sequence } = equalSegments(n);
      const seq = parseSequence(sequence)!;
      for (const clients of [1, 2, 5, 20])
        for (const requests of [clients, 17, 100, 1001]) {
          const shares = segments.map((s) => phaseShare(tupleOf(parseSegment(s), seq)!, { clients, requests }));
          assert.equal(
            shares.reduce((a, s) => a + s.requests, 0),
            requests,
          );
          assert.equal(
            shares.reduce((a, s) => a + s.clients, 0),
            clients,
          );
          for (const s of shares) if (s.clients === 0) assert.equal(s.requests, 0);
        }
    }
  });

  it('stripe indices as k6 documents it: 1/2, 1/4, 1/4 take 0 2 4..., 1 5 9..., 3 7 11...', () => {
    const s = stripe(parseSequence('0,1/2,3/4,1')!);
    assert.equal(s.lcd, 4);
    const owner = (i: number): number => [0, 1, 2].find((k) => scaleCount(s, k, i + 1) > scaleCount(s, k, i))!;
    assert.deepEqual(
      Array.from({ length: 12 }, (_, i) => owner(i)),
      [0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2],
    );
  });

  it("give each runner of a phase of conversations its whole sessions' turns, as measured with k6", () => {
    const shares = (text: string, clients: number, sessions: number[][]): number[] => {
      const seq = parseSequence(text)!;
      return seq.map((s) => phaseShare(tupleOf(s, seq)!, { clients, requests: 0, sessions }).requests);
    };
    // Each runner's requests as k6 v1.8.1 sent them: runners of `--segments N --turns 3` against Realizar.
    // --requests 14: sessions of 3, 3, 3, 3 and 2 turns, one k6 iteration each; --requests 11: 3, 3, 3 and 2.
    assert.deepEqual(
      shares('0,1/3,2/3,1', 5, [
        [3, 4],
        [2, 1],
      ]),
      [6, 5, 3],
    );
    assert.deepEqual(
      shares('0,1/3,2/3,1', 2, [
        [3, 4],
        [2, 1],
      ]),
      [8, 6, 0],
    );
    assert.deepEqual(
      shares('0,1/2,1', 3, [
        [3, 3],
        [2, 1],
      ]),
      [8, 3],
    );
  });

  it('give a streamed phase (one VU) whole to one runner', () => {
    const seq = parseSequence('0,1/4,1/2,3/4,1')!;
    const shares = seq.map((s) => phaseShare(tupleOf(s, seq)!, { clients: 5, requests: 25 }, true).requests);
    assert.deepEqual(shares, [25, 0, 0, 0]);
  });

  it("read k6's spellings of a point and normalise them, and refuse what k6 refuses", () => {
    assert.deepEqual(parseFraction('2/4'), { num: 1, den: 2 });
    assert.deepEqual(parseFraction('0.25'), { num: 1, den: 4 });
    assert.deepEqual(parseFraction('75%'), { num: 3, den: 4 });
    assert.equal(segmentText(parseSegment('1/4:2/4')!), '1/4:1/2');
    assert.equal(segmentText(parseSegment('1/3')!), '0:1/3');
    assert.equal(sequenceText(parseSequence('0,25%,0.5,3/4,1')!), '0,1/4,1/2,3/4,1');
    for (const bad of ['1/2:1/4', '0:3/2', 'a:b', '1/0']) assert.equal(parseSegment(bad), null, bad);
    assert.equal(parseSequence('0,1/2,1/4,1'), null);
    assert.equal(tupleOf(parseSegment('0:1/3'), parseSequence('0,1/4,1')), null, 'not a segment of the sequence');
  });

  it('fill a segment given without a sequence up to 0 and 1, as k6 does', () => {
    const t = tupleOf(parseSegment('1/4:1/2'), null)!;
    assert.equal(sequenceText(t.striping.segments), '0,1/4,1/2,1');
    assert.equal(t.index, 1);
    assert.equal(resegment(t, 0), null);
  });

  it('are equal slices of one sequence for N runners, as the k6-operator cuts them', () => {
    assert.deepEqual(equalSegments(4), {
      segments: ['0:1/4', '1/4:1/2', '1/2:3/4', '3/4:1'],
      sequence: '0,1/4,1/2,3/4,1',
    });
    assert.deepEqual(equalSegments(1), { segments: ['0:1'], sequence: '0,1' });
  });
});
