/**
 * The workload as the plan and the report describe it (schemas/plan.schema.json, definitions/workload):
 * where the prompts came from, the lengths asked for, prefixes, turns, the prompt cache, how input
 * lengths were counted and how output lengths were asked for.
 */
import { describeLengthSpec, type LengthSpec } from '../../core/workload/lengths.js';
import { MOONCAKE_BLOCK_TOKENS } from '../../core/workload/prefix.js';
import { outputLengthText, SERVERS } from '../../core/target/servers.js';
import type { WorkloadPlan } from '../../core/types.js';
import type { WorkloadRunConfig } from '../config/workload.js';
import { DEFAULT_OUTPUT_TOKENS } from '../config/workload.js';
import type { WorkloadSource } from './source.js';

/** Whether the server may reuse its prompt cache, why, and whether it can be told. */
export function promptCacheText(
  config: Pick<WorkloadRunConfig, 'promptCache' | 'promptCacheGiven' | 'server'>,
): string {
  const state = config.promptCache ? 'on' : 'off';
  const why = config.promptCacheGiven
    ? `--prompt-cache ${state}`
    : config.promptCache
      ? 'the default with --prefix-tokens'
      : 'the default: identical prompts would be processed once';
  if (config.server === null) return `${state} (${why}); a server of unknown make is sent no cache field`;
  const cache = SERVERS[config.server].promptCache;
  if (cache === null) return `${state} asked (${why}); ${SERVERS[config.server].name} has no switch for it`;
  return `${state} (${why}): ${JSON.stringify(config.promptCache ? cache.on : cache.off)} in every request`;
}

export interface PlanParts {
  source: WorkloadSource;
  tokenizer: string;
  perRequest: number;
  file: string;
  /** The dataset's most turns in one conversation (generated: --turns). */
  turns: number;
  /** Some line is a chat request (messages). */
  chatLines: boolean;
}

/** The output lengths asked for: the flag's, else a dataset line's own target, else the scenarios' max_tokens. */
function outputText(spec: LengthSpec | null, dataset: boolean): string {
  const fallback = `${DEFAULT_OUTPUT_TOKENS} tokens (the scenarios' max_tokens)`;
  if (spec === null) return dataset ? `each line's own target, else ${fallback}` : fallback;
  return dataset ? `each line's own target, else ${describeLengthSpec(spec)}` : describeLengthSpec(spec);
}

export function workloadPlan(config: WorkloadRunConfig, p: PlanParts): WorkloadPlan {
  const w = config.workload!;
  const prefix =
    w.prefix !== null
      ? `${w.prefix.tokens} tokens shared by ${w.prefix.groups} group(s), round-robin`
      : p.source.hashBlocks
        ? `the trace's hash ids: blocks of ${MOONCAKE_BLOCK_TOKENS} tokens shared exactly by the requests naming them`
        : null;
  return {
    source: p.source.text,
    seed: config.seed,
    input: w.input === null ? null : describeLengthSpec(w.input),
    output: outputText(w.output, p.source.items !== null),
    prefix,
    turns: p.turns,
    thinkTimeSec: w.thinkTimeSec,
    conversations: p.source.conversations,
    chat: p.source.conversations || p.chatLines,
    promptCache: promptCacheText(config),
    tokenizer: p.tokenizer,
    outputLength: outputLengthText(config.server),
    perRequest: p.perRequest,
    file: p.file,
    defaultOutputTokens: DEFAULT_OUTPUT_TOKENS,
  };
}

/**
 * The workload as a plan knows it before its lines are made (they are made once the server is up, and
 * only for a scenario that sends them): checked with the run's plans, and given to a scenario none of
 * whose endpoints takes prompts, so that its report says the workload was not sent.
 */
export function plannedWorkload(config: WorkloadRunConfig, source: WorkloadSource): WorkloadPlan {
  const turns = config.workload!.turns;
  return workloadPlan(config, {
    source,
    tokenizer: 'counted once the server is up',
    perRequest: 1,
    file: '',
    turns,
    chatLines: false,
  });
}
