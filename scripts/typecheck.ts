/** npm run typecheck: every runtime zone, generated code made first (build/typecheck.ts). */
const { typecheck } = await import('../build/typecheck.js');
const { runMain } = await import('../src/node/commands/exit.js');
await runMain(async () => {
  await typecheck((line) => process.stderr.write(`${line}\n`));
  return 0;
});
