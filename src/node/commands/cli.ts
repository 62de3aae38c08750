/**
 * The command line: parse, build, run, print, and map everything to the documented exit codes
 * (0 passed, 1 a threshold crossed, 2 setup or infrastructure failure, 130 interrupted).
 * Ctrl-C / SIGTERM: the first stops k6 gracefully (its summary is kept and the report written,
 * marked interrupted; children still running after INTERRUPT_GRACE_SEC are killed); a second one
 * kills every child at once. The report is printed before its files are written.
 */
import { EXIT } from '../../core/errors/exit-codes.js';
import { parseRunConfig, USAGE } from '../config/index.js';
import { failWith, onInterrupt } from './exit.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { liveChildren, signalGroup } from '../process/processes.js';
import { runLoadTest, type RunControl } from '../run/run.js';
import { bundleOwn, loadOwnScenario } from '../own/own-scenario.js';
import { resolveRunPlans } from '../run/plans.js';
import { listScenarios } from '../run/scenarios.js';

export async function main(argv: readonly string[]): Promise<number> {
  const control: RunControl = { interrupted: false, k6: null };
  const stopHandling = onInterrupt((signal) => {
    control.interrupted = true;
    log.warn(`${signal}: stopping k6 gracefully and writing the report (press Ctrl-C again to kill everything)`);
    for (const child of liveChildren()) {
      if (child === control.k6) signalGroup(child.pid, 'SIGINT');
      else if (child.name !== 'server') signalGroup(child.pid, 'SIGTERM');
    }
  });

  try {
    const available = await listScenarios();
    const config = parseRunConfig(argv, available);
    if (config.help) {
      process.stdout.write(
        `${USAGE}\n\nscenarios: ${available.join(', ')}, seed, all, ` +
          `or a scenario file of your own (./loadtests/my-chat.ts)\n`,
      );
      return EXIT.passed;
    }
    // A scenario file of one's own is read and checked, its plan with the run's flags too, before
    // anything is built or started (the run checks the plans again, the file read once).
    const own = config.scenarioFile === null ? null : await loadOwnScenario(config.scenarioFile, config.thresholdsDir);
    if (own !== null) await resolveRunPlans(config);
    const { buildAll } = await import('../../../build/index.js');
    const built = await buildAll({ thresholdsDir: config.thresholdsDir, scenarios: config.scenarios });
    const { runnerBundleDir } = built;
    if (own !== null) log.info(`bundled ${shown(own.file)} into ${shown((await bundleOwn(own, built)).script)}`);
    // The report reaches the terminal before its files are written: a failing disk cannot take it.
    const { report, dir } = await runLoadTest(config, control, runnerBundleDir, (text) => process.stdout.write(text));
    // Errors are in the report, and said once more on stderr where a person (or CI) looks for them.
    for (const e of report.errors) log.info(`error${e.scenario === null ? '' : ` in ${e.scenario}`}: ${e.message}`);
    for (const sc of report.scenarios)
      if (sc.status === 'error' && sc.error !== null) log.info(`error in ${sc.name}: ${sc.error}`);
    log.info(`report: ${shown(dir)}/report.html, report.txt and report.json`);
    return report.exitCode;
  } catch (err) {
    return failWith(err, control.interrupted);
  } finally {
    stopHandling();
  }
}
