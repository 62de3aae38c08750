/**
 * k6's `check` and `sleep`, read once per VU. k6 looks a named import of one of its modules up again at
 * every use: it builds the module's table of exports and wraps the Go function in a new JavaScript
 * function each time (k6's js/modules/gomodule.go, GetBindingValue). Read once here, every request is
 * spared that work: with the body read once, 16 µs a request over a hand-written script became 11 at
 * full speed against GET /health (docs/performance.md, "The ninth cut").
 * k6-side code takes them from here, never from 'k6' (test/unit/style.test.ts).
 */
import { check as k6Check, sleep as k6Sleep } from 'k6';

export const check: typeof k6Check = k6Check;
export const sleep: typeof k6Sleep = k6Sleep;
