/** npm run compare — see src/node/compare.ts. */
import path from 'node:path';
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { COMPARE_USAGE, parseCompareArgs, runCompare } = await import('../src/node/compare.js');
const { ValidationError } = await import('../src/core/errors/ValidationError.js');
try {
  const cmd = parseCompareArgs(process.argv.slice(2));
  if (cmd.help) {
    process.stdout.write(`${COMPARE_USAGE}\n`);
  } else {
    const { exitCode, output } = await runCompare(cmd, path.resolve('reports', 'latest'));
    process.stdout.write(output);
    process.exitCode = exitCode;
  }
} catch (err) {
  const prefix = err instanceof ValidationError ? 'invalid input: ' : '';
  process.stderr.write(`[realizar-k6] error: ${prefix}${(err as Error).message}\n`);
  process.exitCode = 2;
}
