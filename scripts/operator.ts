/**
 * npm run k6:operator -- <scenario> --parallelism N [options]: manifests that run a scenario on N
 * pods with the k6-operator (see src/node/commands/operator.ts). Generated code is refreshed first, because
 * the modules it loads import the validators generated from schemas/.
 */
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
const { main } = await import('../src/node/commands/operator.js');
process.exitCode = await main(process.argv.slice(2));
