/**
 * The house stays easy to find one's way in: a hand-written source file of src/ is small enough to
 * read whole (at most 300 lines), and no line of the code, its tests, benchmarks and scripts is wider
 * than the formatter's 120 columns (prettier breaks code, not long strings or comments). Generated
 * code (src/generated) is left out. And k6's check and sleep are read once per VU, where k6 would wrap
 * them anew at every call (src/k6/lib/k6-calls.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAX_FILE_LINES = 300;
const MAX_LINE_CHARS = 120;

/** Every .ts file below `dir` (relative to the checkout), src/generated and node_modules left out. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return rel === 'src/generated' || e.name === 'node_modules' ? [] : sources(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

const lines = (file: string): string[] => readFileSync(path.join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n');

describe('the size of the source', () => {
  it(`no hand-written file of src/ is longer than ${MAX_FILE_LINES} lines`, () => {
    const long = sources('src')
      .map((file) => ({ file, count: lines(file).length }))
      .filter((f) => f.count > MAX_FILE_LINES)
      .map((f) => `${f.file}: ${f.count} lines`);
    assert.deepEqual(long, []);
  });

  it(`no line of src/, scripts/, build/, bench/ or test/ is wider than ${MAX_LINE_CHARS} characters`, () => {
    const wide: string[] = [];
    for (const file of ['src', 'scripts', 'build', 'bench', 'test'].flatMap(sources)) {
      lines(file).forEach((line, i) => {
        // Characters as a reader sees them: code points, not UTF-16 units or bytes.
        const width = [...line].length;
        if (width > MAX_LINE_CHARS) wide.push(`${file}:${i + 1}: ${width} characters`);
      });
    }
    assert.deepEqual(wide, []);
  });
});

describe("k6's own functions on the request path", () => {
  it("k6-side code takes check and sleep from src/k6/lib/k6-calls.ts, read once per VU, never from 'k6'", () => {
    const direct = sources('src/k6')
      .filter((file) => file !== 'src/k6/lib/k6-calls.ts')
      .filter((file) => /^import\s*\{[^}]*\b(check|sleep)\b[^}]*\}\s*from\s*'k6';/m.test(lines(file).join('\n')))
      .map((file) => `${file} imports check or sleep from 'k6'`);
    assert.deepEqual(direct, []);
  });
});
