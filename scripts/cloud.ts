/**
 * npm run k6:cloud -- <upload|run> <scenario> [options]: a scenario to Grafana Cloud k6 (see
 * src/node/commands/cloud.ts). Generated code is refreshed first, because the modules it loads import the
 * validators generated from schemas/.
 */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { main } = await import('../src/node/commands/cloud.js');
process.exitCode = await main(process.argv.slice(2));
