/** npm run compare — see src/node/commands/compare.ts. */
import path from 'node:path';
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { COMPARE_USAGE, parseCompareArgs, runCompare } = await import('../src/node/commands/compare.js');
const { runMain } = await import('../src/node/commands/exit.js');
await runMain(async () => {
  const cmd = parseCompareArgs(process.argv.slice(2));
  if (cmd.help) {
    process.stdout.write(`${COMPARE_USAGE}\n`);
    return 0;
  }
  const { exitCode, output } = await runCompare(cmd, path.resolve('reports', 'latest'));
  process.stdout.write(output);
  return exitCode;
});
