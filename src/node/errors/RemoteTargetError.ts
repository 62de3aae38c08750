/** The target is not on this machine: load is only sent to loopback unless the user says otherwise. */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
export class RemoteTargetError extends ToolkitError {
  override readonly name = 'RemoteTargetError';
  readonly host: string;

  constructor(host: string) {
    super(
      `refusing to load ${host}: it is not a loopback address (127.0.0.0/8, ::1, localhost).\n` +
        '  what to do: point --base-url at this machine, or pass --allow-remote if you really mean to load that host',
    );
    this.host = host;
  }
}
