/**
 * The run's report from what it measured and how it ended: a server that died during the run is
 * one more error, and the outcome and exit code follow from the report alone (core/rules/outcome.ts).
 */
import { decideOutcome } from '../../core/rules/outcome.js';
import type { Report, ScenarioReport } from '../../core/types.js';
import type { RunConfig } from '../config/index.js';
import { plannedDashboard } from '../files/run-files.js';
import { shown } from '../files/paths.js';
import type { ManagedServer } from '../target/server.js';
import type { ResolvedTool } from '../tools/tools.js';
import { machineNote, toolVersion } from './run-context.js';

export interface RunOutcome {
  runId: string;
  startedAt: Date;
  config: RunConfig;
  k6: ResolvedTool;
  /** The server's command line (null: not started by the run). */
  command: string | null;
  /** The server's version, from /health. */
  version: string | null;
  server: ManagedServer | null;
  /** Whether /health still answered after the load (null: not asked). */
  healthyAfter: boolean | null;
  loopback: boolean;
  interrupted: boolean;
  errors: Report['errors'];
  scenarios: ScenarioReport[];
}

export async function runReport(o: RunOutcome): Promise<Report> {
  const { config, k6, server, startedAt, scenarios } = o;
  const exited = server?.unexpectedExit ?? null;
  const errors = [...o.errors];
  if (exited !== null) {
    const how = exited.code !== null ? `exit code ${exited.code}` : `signal ${exited.signal ?? '?'}`;
    const message = `the server exited during the run (${how}); see ${shown(server!.logFile)}`;
    errors.push({ scenario: null, message });
  }
  const { outcome, exitCode } = decideOutcome({ interrupted: o.interrupted, errors, scenarios });
  const atSec = exited === null ? 0 : (exited.atMs - startedAt.getTime()) / 1000;
  const report: Report = {
    reportVersion: 1,
    runId: o.runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    outcome,
    exitCode,
    gate: config.gate,
    tool: { name: 'realizar-k6', version: await toolVersion() },
    k6: { path: k6.path, version: k6.version, origin: k6.origin },
    server: {
      managed: config.manageServer,
      baseUrl: config.baseUrl,
      command: o.command,
      version: o.version,
      exit: exited === null ? null : { code: exited.code, signal: exited.signal, atSec },
      healthyAfter: o.healthyAfter,
    },
    machine: machineNote(config.manageServer, o.loopback),
    errors,
    scenarios,
  };
  report.dashboard = plannedDashboard(scenarios);
  return report;
}
