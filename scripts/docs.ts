/** npm run docs: refresh the README's options blocks from the flag declarations (build/docs.ts). */
const { writeUsageBlocks } = await import('../build/docs.js');
const { runMain } = await import('../src/node/commands/exit.js');
const { log } = await import('../src/node/process/log.js');
await runMain(async () => {
  log.info((await writeUsageBlocks()) ? 'README.md options blocks rewritten' : 'README.md options blocks are current');
  return 0;
});
