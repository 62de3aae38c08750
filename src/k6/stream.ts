/**
 * realizar-k6/k6/stream: the runner of a streamed scenario, `defineScenario({ ..., stream })`. Every
 * request is read as Server-Sent Events in a page of the headless Chromium k6's browser module drives
 * (docs/streaming.md); only a script that imports this module imports k6's browser module.
 */
export { runStreamPhase as stream } from './lib/stream/run.js';
