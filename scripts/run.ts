/**
 * npm run k6:<scenario> / npm run load-test. Generated code is refreshed first, because the runner
 * itself imports the validators generated from schemas/.
 */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { main } = await import('../src/node/commands/cli.js');
process.exitCode = await main(process.argv.slice(2));
