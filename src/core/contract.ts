/**
 * The one contract between the Node side and the k6 side: the variables Node hands to k6 and how
 * each is encoded and decoded (contract/env.ts), the files of a k6 run folder (contract/files.ts)
 * and every k6 command line (contract/invocation.ts). Both sides import it; neither names a
 * variable, a file or a k6 flag of this contract anywhere else.
 */
export * from './contract/env.js';
export * from './contract/files.js';
export * from './contract/invocation.js';
