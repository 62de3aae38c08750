/** A workload plan as the runner hands it to k6, for tests to vary. */
import type { WorkloadPlan } from '../../src/core/types.js';

export const WORKLOAD: WorkloadPlan = {
  source: 'generated from seed 1',
  seed: 1,
  input: '256 tokens',
  output: '64 tokens',
  prefix: null,
  turns: 1,
  thinkTimeSec: 0,
  conversations: false,
  chat: false,
  promptCache: 'off',
  tokenizer: "the server's own POST /tokenize: exact",
  outputLength: 'max_tokens with ignore_eos: exactly that many',
  perRequest: 1,
  file: '/tmp/workload.jsonl',
  defaultOutputTokens: 5,
};
