/**
 * The data shapes, re-exported from the types generated out of schemas/ (build/codegen.ts), so the
 * rest of the code imports shapes from one place and never redefines one by hand.
 */
export type * from '../generated/types.js';
