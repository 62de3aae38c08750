/**
 * npm run report -- <run-dir>: rebuild a run's report files from what it left on disk (see
 * src/node/commands/report.ts). Generated code is refreshed first: the modules it loads import the
 * validators generated from schemas/.
 */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { main } = await import('../src/node/commands/report.js');
process.exitCode = await main(process.argv.slice(2));
