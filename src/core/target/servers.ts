/**
 * The makes of server this toolkit knows by name: which one a run starts (--server), or which one
 * is already at --base-url (--server with --no-server). The k6 side sends each the request fields
 * it needs (src/k6/lib/server-extras.ts); the Node side starts it and reads its counters.
 */
export type ServerKind = 'realizar' | 'realizar-model' | 'llamacpp';
export const SERVER_KINDS: readonly ServerKind[] = ['realizar', 'realizar-model', 'llamacpp'];
