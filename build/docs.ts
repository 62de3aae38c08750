/**
 * The options blocks of the documentation come from the flag declarations (src/node/flags/commands*.ts):
 * each block between `<!-- usage:NAME -->` and `<!-- /usage:NAME -->` is the command's usage text in a
 * fenced block. A block lives beside the text it belongs to, in README.md or in any docs/*.md, and
 * every documented command has exactly one. `npm run docs` rewrites them; test/unit/flags.test.ts
 * fails when one is stale.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLOUD, OPERATOR } from '../src/node/flags/commands-cluster.js';
import { COMPARE, PROMPTS, REPORT, SETUP } from '../src/node/flags/commands-side.js';
import { RUN, SWEEP } from '../src/node/flags/commands.js';
import { usageText, type Command } from '../src/node/flags/declare.js';
import { BENCH } from '../bench/flags.js';
import { ValidationError } from '../src/core/errors/ValidationError.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export const DOCUMENTED: Record<string, Command> = {
  run: RUN,
  sweep: SWEEP,
  cloud: CLOUD,
  operator: OPERATOR,
  compare: COMPARE,
  prompts: PROMPTS,
  report: REPORT,
  setup: SETUP,
  bench: BENCH,
};

/** Documentation files by their path from the checkout's root, e.g. `README.md`, `docs/capacity.md`. */
export type DocFiles = Map<string, string>;

/** The files that may hold an options block: README.md and every docs/*.md. */
export async function readDocFiles(root: string = ROOT): Promise<DocFiles> {
  const docs = (await readdir(path.join(root, 'docs')).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  const files: DocFiles = new Map();
  for (const rel of ['README.md', ...docs]) files.set(rel, await readFile(path.join(root, rel), 'utf8'));
  return files;
}

const marker = (name: string): string => `<!-- usage:${name} -->`;
const block = (name: string): RegExp => new RegExp(`(${marker(name)}\\n)[\\s\\S]*?(<!-- /usage:${name} -->)`);
const OPENING = /<!-- usage:([\w-]+) -->/g;

/**
 * Which file holds each block, checked: every documented command exactly once, and no block of a
 * command that is not documented. A misplaced block is a ValidationError naming the files.
 */
export function blockFiles(files: DocFiles): Map<string, string> {
  const where = new Map<string, string[]>();
  for (const [file, text] of files) {
    for (const m of text.matchAll(OPENING)) {
      const name = m[1]!;
      if (!(name in DOCUMENTED)) {
        const expected = `a documented command (${Object.keys(DOCUMENTED).join(', ')})`;
        throw new ValidationError(file, [{ path: marker(name), expected, found: `'${name}'` }]);
      }
      if (!block(name).test(text)) {
        throw new ValidationError(file, [
          { path: marker(name), expected: `<!-- /usage:${name} --> after it`, found: 'none' },
        ]);
      }
      where.set(name, [...(where.get(name) ?? []), file]);
    }
  }
  const found = new Map<string, string>();
  for (const name of Object.keys(DOCUMENTED)) {
    const holders = where.get(name) ?? [];
    if (holders.length !== 1) {
      const source = holders.length === 0 ? [...files.keys()].join(', ') : holders.join(', ');
      throw new ValidationError(source, [
        { path: '', expected: `one ${marker(name)} block`, found: String(holders.length) },
      ]);
    }
    found.set(name, holders[0]!);
  }
  return found;
}

/** The files with every usage block replaced by the current text; files without a block come back as they were. */
export function withUsageBlocks(files: DocFiles): DocFiles {
  const out: DocFiles = new Map(files);
  for (const [name, file] of blockFiles(files)) {
    const usage = usageText(DOCUMENTED[name]!);
    const fenced = (_m: string, open: string, close: string): string => `${open}\`\`\`\n${usage}\n\`\`\`\n${close}`;
    out.set(file, out.get(file)!.replace(block(name), fenced));
  }
  return out;
}

/** Rewrites the stale blocks; returns the files it rewrote. */
export async function writeUsageBlocks(root: string = ROOT): Promise<string[]> {
  const before = await readDocFiles(root);
  const after = withUsageBlocks(before);
  const changed = [...after].filter(([file, text]) => before.get(file) !== text);
  for (const [file, text] of changed) await writeFile(path.join(root, file), text);
  return changed.map(([file]) => file);
}
