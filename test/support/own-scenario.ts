/**
 * Scenario files of one's own for tests: the documentation's example (docs/writing-scenarios.md,
 * the block after `<!-- example:my-chat.ts -->`), so the example a user copies is the one tested,
 * and small variations of it written into a folder of their own.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The example scenario file of docs/writing-scenarios.md. */
export function documentedExample(): string {
  const doc = readFileSync(path.join(ROOT, 'docs', 'writing-scenarios.md'), 'utf8');
  const m = /<!-- example:my-chat\.ts -->\n```ts\n([\s\S]*?)\n```/.exec(doc);
  if (m === null) throw new Error('docs/writing-scenarios.md has no example:my-chat.ts block');
  return `${m[1]!}\n`;
}

/** A project folder (outside the checkout) with `files` written into it; returns its path. */
export async function projectWith(label: string, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `realizar-k6-own-${label}-`));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

/** A scenario file from parts: the spec's text inside defineScenario({...}), with the usual exports. */
export function scenarioSource(spec: string, prelude = ''): string {
  return `import { defineEndpoint, defineScenario, prompt } from 'realizar-k6/k6';
${prelude}
const scenario = defineScenario({${spec}});
export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
void defineEndpoint;
void prompt;
`;
}
