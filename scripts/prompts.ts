/** npm run prompts — see src/node/prompts-cmd.ts. */
const { main } = await import('../src/node/prompts-cmd.js');
const { runMain } = await import('../src/node/exit.js');
await runMain(() => main(process.argv.slice(2)));
