/** A tool the run needs (k6, Realizar, Go, cargo) is missing, unusable or failed to build. */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
export class ToolError extends ToolkitError {
  override readonly name = 'ToolError';
  readonly tool: string;
  /** The command that failed, if one ran. */
  readonly command: string | null;
  readonly commandExitCode: number | null;
  /** What the user can do about it. */
  readonly hint: string;

  constructor(fields: {
    tool: string;
    problem: string;
    hint: string;
    command?: string;
    commandExitCode?: number | null;
    output?: string;
  }) {
    const cmd =
      fields.command === undefined
        ? ''
        : `\n  command: ${fields.command}` +
          (fields.commandExitCode == null ? '' : ` (exit code ${fields.commandExitCode})`);
    const out =
      fields.output === undefined || fields.output.trim() === '' ? '' : `\n  last output:\n${indent(fields.output)}`;
    super(`${fields.tool}: ${fields.problem}${cmd}${out}\n  what to do: ${fields.hint}`);
    this.tool = fields.tool;
    this.command = fields.command ?? null;
    this.commandExitCode = fields.commandExitCode ?? null;
    this.hint = fields.hint;
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-15)
    .map((l) => `    ${l}`)
    .join('\n');
}
