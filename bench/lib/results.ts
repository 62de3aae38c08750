/**
 * Where a benchmark record goes: the file the user named (FILE.json, with FILE.md beside it), or a
 * new dated file in a folder (bench/results by default). A record is never written over another:
 * a name already taken gets -2, -3, ... so committed results are never rewritten in place.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../../src/node/files/report-files.js';

export function recordPaths(
  out: string | null,
  defaultDir: string,
  now: Date,
  quick: boolean,
): { json: string; md: string } {
  const named = out !== null && out.endsWith('.json') && !(existsSync(out) && statSync(out).isDirectory());
  if (named) return { json: path.resolve(out), md: path.resolve(out).replace(/\.json$/, '.md') };
  const dir = out === null ? defaultDir : path.resolve(out);
  // 2026-11-28T0712Z: sortable, and one per minute before a suffix is needed.
  const stamp = `${now.toISOString().slice(0, 13)}${now.toISOString().slice(14, 16)}Z${quick ? '-quick' : ''}`;
  for (let n = 1; ; n++) {
    const base = path.join(dir, n === 1 ? stamp : `${stamp}-${n}`);
    if (!existsSync(`${base}.json`) && !existsSync(`${base}.md`)) return { json: `${base}.json`, md: `${base}.md` };
  }
}

export async function writeRecord(
  paths: { json: string; md: string },
  record: unknown,
  markdown: string,
): Promise<void> {
  await mkdir(path.dirname(paths.json), { recursive: true });
  await writeAtomic(paths.json, `${JSON.stringify(record, null, 2)}\n`);
  await writeAtomic(paths.md, markdown);
}
