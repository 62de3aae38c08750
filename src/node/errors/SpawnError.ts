/** The operating system refused to start a child process (no such shell, no memory, too many processes). */
import { ToolkitError } from '../../core/errors/ToolkitError.js';

export class SpawnError extends ToolkitError {
  override readonly name = 'SpawnError';
  /** What the child is ('server', 'k6'). */
  readonly child: string;
  readonly command: string;

  constructor(child: string, command: string) {
    super(
      `could not start ${child}: ${command}\n` +
        '  what to do: check that bash exists and the machine has processes and memory to spare',
    );
    this.child = child;
    this.command = command;
  }
}
