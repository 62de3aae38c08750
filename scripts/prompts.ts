/** npm run prompts — see src/node/commands/prompts.ts. */
const { main } = await import('../src/node/commands/prompts.js');
const { runMain } = await import('../src/node/commands/exit.js');
await runMain(() => main(process.argv.slice(2)));
