/** npm run docs: refresh the options blocks of README.md and docs/*.md from the flag declarations (build/docs.ts). */
const { writeUsageBlocks } = await import('../build/docs.js');
const { runMain } = await import('../src/node/commands/exit.js');
const { log } = await import('../src/node/process/log.js');
await runMain(async () => {
  const rewritten = await writeUsageBlocks();
  log.info(rewritten.length > 0 ? `options blocks rewritten in ${rewritten.join(', ')}` : 'options blocks are current');
  return 0;
});
