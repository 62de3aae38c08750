#!/usr/bin/env node
/**
 * `npx realizar-k6 <command> [options]`: the toolkit's commands in a project that installed it.
 * The toolkit is TypeScript, run through tsx as its npm scripts run it (node --import tsx); this
 * file only registers tsx and hands over (src/node/commands/toolkit.ts).
 */
import { register } from 'tsx/esm/api';

register();
await import('../src/node/commands/toolkit.ts');
