/**
 * The documentation stays true to the checkout: each options block sits in exactly one file
 * (build/docs.ts), every relative link leads somewhere, and ARCHITECTURE.md names only folders
 * and files that exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { blockFiles, DOCUMENTED, readDocFiles, withUsageBlocks, type DocFiles } from '../../build/docs.js';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { usageText } from '../../src/node/flags/declare.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const empty = (name: string): string => `<!-- usage:${name} -->\n<!-- /usage:${name} -->\n`;
const allBlocks = Object.keys(DOCUMENTED).map(empty).join('\n');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a Markdown file's headings, code blocks left out. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!inCode && heading) found.add(slug(heading[1]!));
  }
  return found;
}

async function documentation(): Promise<DocFiles> {
  const files = await readDocFiles();
  files.set('ARCHITECTURE.md', await readFile(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
  return files;
}

describe('the options blocks, wherever they live', () => {
  it('a block is rewritten in whichever file holds it, and a file without one is left as it was', () => {
    const files: DocFiles = new Map([
      ['README.md', '# x\n'],
      ['docs/a.md', `# a\n\n${allBlocks}`],
    ]);
    const out = withUsageBlocks(files);
    assert.equal(out.get('README.md'), '# x\n');
    for (const command of Object.values(DOCUMENTED)) assert.ok(out.get('docs/a.md')!.includes(usageText(command)));
    assert.equal(blockFiles(files).get('sweep'), 'docs/a.md');
  });

  it('a command with no block is an error naming the files searched', () => {
    const files: DocFiles = new Map([['README.md', allBlocks.replace(empty('sweep'), '')]]);
    assert.throws(
      () => withUsageBlocks(files),
      (e: unknown) =>
        e instanceof ValidationError && /README\.md: expected one <!-- usage:sweep --> block, found 0/.test(e.message),
    );
  });

  it('a command with two blocks is an error naming both files', () => {
    const files: DocFiles = new Map([
      ['README.md', allBlocks],
      ['docs/capacity.md', empty('sweep')],
    ]);
    assert.throws(
      () => withUsageBlocks(files),
      /README\.md, docs\/capacity\.md: expected one <!-- usage:sweep --> block, found 2/,
    );
  });

  it('a block of a command that is not documented, or one never closed, is an error naming its file', () => {
    const unknown: DocFiles = new Map([['README.md', `${allBlocks}\n${empty('nope')}`]]);
    assert.throws(() => withUsageBlocks(unknown), /README\.md: at <!-- usage:nope -->: expected a documented command/);
    const unclosed: DocFiles = new Map([['docs/b.md', allBlocks.replace('<!-- /usage:bench -->', '')]]);
    assert.throws(
      () => withUsageBlocks(unclosed),
      /docs\/b\.md: at <!-- usage:bench -->: expected <!-- \/usage:bench --> after it/,
    );
  });
});

describe('the documentation and the checkout agree', () => {
  it('every relative link of the docs leads to a file, and its anchor to a heading of it', async () => {
    const files = await documentation();
    const broken: string[] = [];
    for (const [file, text] of files) {
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:)/.test(target!)) continue;
        const [where, anchor] = target!.split('#') as [string, string | undefined];
        const linked = where === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), where));
        if (!existsSync(path.join(ROOT, linked))) broken.push(`${file}: ${target} (no ${linked})`);
        else if (anchor !== undefined && linked.endsWith('.md')) {
          const text = files.get(linked) ?? (await readFile(path.join(ROOT, linked), 'utf8'));
          if (!anchors(text).has(anchor)) broken.push(`${file}: ${target} (no heading #${anchor} in ${linked})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('every path under src/ named in ARCHITECTURE.md exists (of a pattern like <name>.ts, its folder)', async () => {
    const text = await readFile(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const missing: string[] = [];
    for (const m of text.matchAll(/\bsrc\/[\w./-]*[\w/]/g)) {
      const named = m[0];
      const next = text[m.index + named.length];
      const checked = next === '<' || next === '*' || next === '{' ? named.slice(0, named.lastIndexOf('/') + 1) : named;
      if (!existsSync(path.join(ROOT, checked))) missing.push(named);
    }
    assert.deepEqual([...new Set(missing)], []);
  });

  it('ARCHITECTURE.md opens with the source tree: one line per folder of src, none gone', async () => {
    const text = await readFile(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const tree = /## Source tree\n[\s\S]*?```\n([\s\S]*?)```/.exec(text);
    assert.ok(tree, 'a "## Source tree" section with a code block');
    assert.ok(text.indexOf('## Source tree') < text.indexOf('## Data flow of one run'), 'the tree comes first');
    const listed = tree[1]!
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]!);
    const folders = (dir: string): string[] => [
      dir,
      ...readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => folders(`${dir}/${e.name}`)),
    ];
    assert.deepEqual(listed, folders('src').sort());
  });
});
