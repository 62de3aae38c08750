/**
 * The runner's workload options (the WORKLOAD flag group): token lengths, a dataset, shared prefixes,
 * the prompt cache, conversations. Everything a flag can be wrong about is refused here, before
 * anything starts; a dataset's own lines are read and checked with the plans (src/node/workload/source.ts).
 */
import { parseDatasetFormat } from '../../core/data/dataset.js';
import { parseLengthSpec, type LengthSpec } from '../../core/workload/lengths.js';
import { checkPrefixFits } from '../../core/workload/prefix.js';
import type { DatasetFormat } from '../../core/workload/types.js';
import type { FlagValues } from '../flags/declare.js';
import { choice, file, invalid, whole } from '../flags/values.js';
import type { TargetConfig } from './target.js';

/** A prompt's tokens when a workload is asked for without --input-tokens. */
export const DEFAULT_INPUT_TOKENS = 128;
/** max_tokens of a request without an output target: the scenarios' own. */
export const DEFAULT_OUTPUT_TOKENS = 5;
/** More turns than any conversation a test needs; a typo's extra zeros would hold a client forever. */
const MAX_TURNS = 1000;

export interface WorkloadConfig {
  /** --input-tokens; null with a dataset or a trace (they give the prompts). */
  input: LengthSpec | null;
  /** --output-tokens; with a dataset, for its lines without an output target of their own. */
  output: LengthSpec | null;
  dataset: { file: string; format: DatasetFormat | null } | null;
  prefix: { tokens: number; groups: number } | null;
  /** Most user turns per conversation; 1: single requests (a dataset's conversations keep theirs). */
  turns: number;
  /** --turns was given. */
  turnsGiven: boolean;
  thinkTimeSec: number;
}

/**
 * What making a workload reads of a command's configuration (src/node/workload/): the target it is
 * counted against, the workload options, the seed, and a trace whose lengths drive it.
 */
export interface WorkloadRunConfig extends TargetConfig, WorkloadFlags {
  /** The seed of every random choice (--seed). */
  seed: number;
  /** A trace whose arrival times are replayed (--trace, --time-scale, --trace-limit). */
  trace: { file: string; timeScale: number; limit: number | null } | null;
  /** Where the prompts' tokens are counted, when not at baseUrl: an archive's --tokenizer-url. */
  tokenizerUrl?: string;
}

/** --seed: a run's and a sweep's (default 1). */
export const seedOf = (f: FlagValues): number => f.value('--seed', whole(0xffffffff, 0), 1);

export interface WorkloadFlags {
  /** null: the scenarios send their own prompts. */
  workload: WorkloadConfig | null;
  /** --prompt-cache: whether the server may reuse its prompt cache (default: on with --prefix-tokens). */
  promptCache: boolean;
  /** --prompt-cache was given (the report says whether it was asked for or the default). */
  promptCacheGiven: boolean;
}

const seconds = (flag: string, text: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 3600)
    invalid(flag, 'a number of seconds from 0 to 3600', text);
  return n;
};

/**
 * The workload options; `trace`: --trace is given (its lengths drive the requests), `prompts`: --prompts is,
 * `promptCache`: the command has --prompt-cache (default).
 */
export function workloadOf(
  f: FlagValues,
  cwd: string,
  o: { trace: boolean; prompts: boolean; promptCache?: boolean },
): WorkloadFlags {
  const input = f.value('--input-tokens', parseLengthSpec) ?? null;
  const output = f.value('--output-tokens', parseLengthSpec) ?? null;
  const datasetFile = f.value('--dataset', file(cwd)) ?? null;
  const format = f.value('--dataset-format', parseDatasetFormat) ?? null;
  const prefixTokens = f.value('--prefix-tokens', whole(2_000_000)) ?? null;
  const prefixGroups = f.value('--prefix-groups', whole(100_000)) ?? null;
  const cacheText =
    o.promptCache === false ? null : (f.value('--prompt-cache', choice(['on', 'off'] as const)) ?? null);
  const turnsGiven = f.value('--turns', whole(MAX_TURNS)) ?? null;
  const think = f.value('--think-time', seconds) ?? null;

  if (format !== null && datasetFile === null) invalid('--dataset-format', '--dataset beside it', format);
  if (prefixGroups !== null && prefixTokens === null)
    invalid('--prefix-groups', '--prefix-tokens beside it (how long the shared prefixes are)', String(prefixGroups));
  const given = (flag: string): string => `${flag} ${f.text(flag)}`;
  if (datasetFile !== null && o.trace)
    invalid(
      '--dataset',
      'no --dataset beside --trace (the trace gives every request its lengths)',
      f.text('--dataset'),
    );
  const source = datasetFile !== null ? '--dataset' : o.trace ? '--trace' : null;
  if (source !== null) {
    if (input !== null)
      invalid('--input-tokens', `no --input-tokens beside ${source} (it gives the prompts)`, given('--input-tokens'));
    if (prefixTokens !== null)
      invalid(
        '--prefix-tokens',
        `no --prefix-tokens beside ${source} (its prompts are sent as they are)`,
        given('--prefix-tokens'),
      );
  }
  if (turnsGiven !== null && o.trace)
    invalid('--turns', 'no --turns beside --trace (a trace replays single requests)', String(turnsGiven));
  const anything =
    input !== null ||
    output !== null ||
    datasetFile !== null ||
    prefixTokens !== null ||
    turnsGiven !== null ||
    o.trace;
  if (think !== null && (turnsGiven ?? 1) <= 1 && datasetFile === null)
    invalid('--think-time', '--turns above 1 (or a dataset of conversations) beside it', String(think));
  if (anything && o.prompts)
    invalid(
      '--prompts',
      'either --prompts or the workload options (--input-tokens, --dataset, --turns...)',
      '--prompts',
    );
  const synthetic = source === null ? (input ?? parseLengthSpec('--input-tokens', String(DEFAULT_INPUT_TOKENS))) : null;
  const prefix = prefixTokens === null ? null : { tokens: prefixTokens, groups: prefixGroups ?? 1 };
  if (prefix !== null && synthetic !== null) checkPrefixFits(prefix.tokens, synthetic);
  const workload: WorkloadConfig | null = anything
    ? {
        input: synthetic,
        output,
        dataset: datasetFile === null ? null : { file: datasetFile, format },
        prefix,
        turns: turnsGiven ?? 1,
        turnsGiven: turnsGiven !== null,
        thinkTimeSec: think ?? 0,
      }
    : null;
  return {
    workload,
    promptCache: cacheText === null ? prefix !== null : cacheText === 'on',
    promptCacheGiven: cacheText !== null,
  };
}
