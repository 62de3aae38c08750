/**
 * Which way this process was started (src/core/commands/typed.ts): the npm scripts by default, the package's
 * bin (src/node/commands/toolkit.ts) when it says so, so that a command told to a person is one they can type.
 */
import { typedCommand, type Spelling, type TypedName } from '../../core/commands/typed.js';

let spelling: Spelling = 'npm';

/** Said once, by the package's bin, before it starts the command. */
export function startedThroughBin(): void {
  spelling = 'npx';
}

/** The command `name` with `args` as this person types it. */
export const typed = (name: TypedName, args: string): string => typedCommand(spelling, name, args);
