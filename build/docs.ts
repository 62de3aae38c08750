/**
 * The README's options blocks come from the flag declarations (src/node/flags/commands.ts): each
 * block between `<!-- usage:NAME -->` and `<!-- /usage:NAME -->` is the command's usage text in a
 * fenced block. `npm run docs` rewrites them; test/unit/flags.test.ts fails when one is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLOUD, COMPARE, OPERATOR, PROMPTS, REPORT, RUN, SWEEP } from '../src/node/flags/commands.js';
import { usageText, type Command } from '../src/node/flags/declare.js';
import { BENCH } from '../bench/flags.js';

export const README = path.resolve(import.meta.dirname, '..', 'README.md');

export const DOCUMENTED: Record<string, Command> = {
  run: RUN,
  sweep: SWEEP,
  cloud: CLOUD,
  operator: OPERATOR,
  compare: COMPARE,
  prompts: PROMPTS,
  report: REPORT,
  bench: BENCH,
};

const block = (name: string): RegExp => new RegExp(`(<!-- usage:${name} -->\\n)[\\s\\S]*?(<!-- /usage:${name} -->)`);

/** The README with every usage block replaced by the current text. */
export function withUsageBlocks(readme: string): string {
  let out = readme;
  for (const [name, command] of Object.entries(DOCUMENTED)) {
    if (!block(name).test(out)) throw new Error(`README.md has no <!-- usage:${name} --> block`);
    out = out.replace(block(name), (_m, open: string, close: string) => `${open}\`\`\`\n${usageText(command)}\n\`\`\`\n${close}`);
  }
  return out;
}

export async function writeUsageBlocks(): Promise<boolean> {
  const before = await readFile(README, 'utf8');
  const after = withUsageBlocks(before);
  if (after !== before) await writeFile(README, after);
  return after !== before;
}
