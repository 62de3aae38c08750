/** npm run k6:sweep — see src/node/sweep/sweep.ts. */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { main } = await import('../src/node/sweep/sweep.js');
process.exitCode = await main(process.argv.slice(2));
