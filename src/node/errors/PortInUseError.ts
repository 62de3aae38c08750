/** The port the server should listen on is taken by another process. */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
export class PortInUseError extends ToolkitError {
  override readonly name = 'PortInUseError';
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number) {
    super(
      `port ${port} on ${host} is already in use, so the server cannot be started there.\n` +
        `  what to do: stop what listens there (lsof -i :${port}), pick another port with --port, ` +
        `or test the server already running there with --no-server --port ${port}`,
    );
    this.host = host;
    this.port = port;
  }
}
