/**
 * The lifeline watcher's choice of what to end when its runner is gone: what carries the run's
 * token, what is in a registered process group, and every descendant of those; never itself, init,
 * a zombie, or another run's processes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  carries,
  LIFELINE_ENV,
  parseStat,
  selectTargets,
  type ProcInfo,
} from '../../src/node/process/lifeline-watcher.js';

const p = (pid: number, ppid: number, pgid: number, marked = false, state = 'S'): ProcInfo => ({
  pid,
  ppid,
  pgid,
  state,
  marked,
});

describe('the lifeline watcher', () => {
  it('reads /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    assert.deepEqual(parseStat('4242 (k6 (x) run) S 4100 4242 4242 0 -1 4194560 ...'), {
      state: 'S',
      ppid: 4100,
      pgid: 4242,
    });
  });

  it('finds its token among the tokens a process inherited, and only a whole token', () => {
    const env = ['PATH=/usr/bin', `${LIFELINE_ENV}=100-aa:200-bb`, 'HOME=/root'].join('\0');
    assert.equal(carries(env, '200-bb'), true);
    assert.equal(carries(env, '100-aa'), true);
    assert.equal(carries(env, '200-b'), false);
    assert.equal(carries('PATH=/usr/bin', '200-bb'), false);
  });

  it("ends the marked, the registered groups' members and all their descendants, and nothing else", () => {
    const table = [
      p(1, 0, 1),
      p(50, 1, 50), // the watcher itself
      p(100, 1, 100, true), // a child (marked), reparented to init after the runner died
      p(101, 100, 100), // its grandchild that cleared its environment: a descendant
      p(102, 101, 300), // a great-grandchild in a group of its own: still a descendant
      p(200, 1, 200), // a registered group's leader that somehow lost the mark
      p(201, 1, 200), // a member of that group
      p(400, 1, 400), // someone else's process
      p(401, 100, 100, false, 'Z'), // a zombie: dead already
    ];
    assert.deepEqual(
      selectTargets(table, new Set([200]), 50).sort((a, b) => a - b),
      [100, 101, 102, 200, 201],
    );
  });

  it('never selects itself or init, nor sweeps from init, even when they carry the token', () => {
    assert.deepEqual(selectTargets([p(1, 0, 1, true), p(50, 1, 50, true), p(400, 1, 400)], new Set([1]), 50), []);
  });
});

describe("a run's lifeline", () => {
  it('starts its watcher when asked, before any child, and only one however often it is asked', async () => {
    const { startLifeline } = await import('../../src/node/process/lifeline.js');
    const watchers = (): number[] =>
      readdirSync('/proc')
        .filter((e) => /^\d+$/.test(e))
        .filter((pid) => {
          try {
            const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
            return (
              parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.ppid === process.pid &&
              cmd.includes('lifeline-watcher')
            );
          } catch {
            return false;
          }
        })
        .map(Number);
    assert.deepEqual(watchers(), []);
    startLifeline();
    startLifeline();
    assert.equal(watchers().length, 1);
  });
});
