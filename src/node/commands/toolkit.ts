/**
 * `npx realizar-k6 <command>`: each command is one of the entry points the npm scripts run
 * (scripts/<entry>.ts), with the same options, output and exit codes; `run` also takes a scenario
 * file of one's own. Runs from the installed package (bin/realizar-k6.mjs) or a checkout.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { ROOT } from '../files/paths.js';
import { failWith } from './exit.js';
import { startedThroughBin } from './spelling.js';

/** Command → its entry point in scripts/, and what it does. */
export const TOOLKIT_COMMANDS: Readonly<Record<string, { entry: string; what: string }>> = {
  run: { entry: 'run', what: 'run a scenario (built-in, seed, all, or a file of your own) against a server' },
  sweep: { entry: 'sweep', what: 'find the capacity of an endpoint within an SLO' },
  compare: { entry: 'compare', what: 'compare a report with a baseline (regressions)' },
  report: { entry: 'report', what: "rebuild a run's report from its folder" },
  cloud: { entry: 'cloud', what: 'upload or run a scenario in Grafana Cloud k6' },
  operator: { entry: 'operator', what: 'write k6-operator manifests for a scenario' },
  prompts: { entry: 'prompts', what: 'write a reproducible prompt set' },
  setup: { entry: 'setup', what: 'find or build k6 and the servers into the tool cache' },
};

export const TOOLKIT_USAGE = [
  'usage: npx realizar-k6 <command> [options]      (npx realizar-k6 <command> --help for its options)',
  '',
  ...Object.entries(TOOLKIT_COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.what}`),
  '',
  'e.g. npx realizar-k6 run spike',
  '     npx realizar-k6 run ./loadtests/my-chat.ts --scale 0.5',
].join('\n');

const [command, ...rest] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === 'help') {
  process.stdout.write(`${TOOLKIT_USAGE}\n`);
} else if (TOOLKIT_COMMANDS[command] === undefined) {
  process.stderr.write(`${TOOLKIT_USAGE}\n\n`);
  process.exitCode = failWith(
    new ValidationError('command', [
      { path: '', expected: `one of ${Object.keys(TOOLKIT_COMMANDS).join(', ')}`, found: `'${command}'` },
    ]),
  );
} else {
  const script = path.join(ROOT, 'scripts', `${TOOLKIT_COMMANDS[command]!.entry}.ts`);
  // The entry point reads its arguments as the npm scripts give them: after the script's path.
  process.argv = [process.argv[0]!, script, ...rest];
  startedThroughBin();
  await import(pathToFileURL(script).href);
}
