/**
 * Where a run's prompts come from — generated from the seed, a dataset (--dataset), or a replayed
 * trace's lengths (--trace) — read and checked once, with the plans, before any tool is built or
 * server started: a bad line, an empty file, an unknown format is an error naming the file, its line
 * and field (exit 2), never a run that finds out later.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { readDataset } from '../../core/data/dataset.js';
import { checkHashIds, MOONCAKE_BLOCK_TOKENS } from '../../core/workload/prefix.js';
import type { DatasetFormat, SkippedItems, WorkloadItem } from '../../core/workload/types.js';
import type { WorkloadRunConfig } from '../config/workload.js';
import { shown } from '../files/paths.js';

const FORMAT_NAMES: Record<DatasetFormat, string> = {
  workload: 'workload JSONL',
  sharegpt: 'ShareGPT',
  mooncake: 'Mooncake trace',
  azure: 'Azure LLM inference trace',
  burstgpt: 'BurstGPT trace',
};

export interface WorkloadSource {
  /** For the report: where the prompts came from. */
  text: string;
  /** A dataset's or trace's items (checked); null: generated from the seed. */
  items: WorkloadItem[] | null;
  /** The requests hold conversations. */
  conversations: boolean;
  /** Its items carry Mooncake hash ids (shared prompt blocks). */
  hashBlocks: boolean;
}

async function readText(file: string, flag: string): Promise<string> {
  return readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ValidationError(shown(file), [
      { path: '', expected: `a readable file (${flag})`, found: err.code ?? 'unreadable' },
    ]);
  });
}

function skippedText(s: SkippedItems): string {
  if (s.count === 0) return '';
  const reasons = Object.entries(s.reasons).map(([why, n]) => `${n} with ${why}`);
  return `; ${s.count} left out: ${reasons.join(', ')}`;
}

async function load(config: WorkloadRunConfig): Promise<WorkloadSource | null> {
  const w = config.workload;
  if (w === null) return null;
  if (w.dataset === null && config.trace === null)
    return { text: `generated from seed ${config.seed}`, items: null, conversations: w.turns > 1, hashBlocks: false };
  const traced = config.trace !== null;
  const file = traced ? config.trace!.file : w.dataset!.file;
  const flag = traced ? '--trace' : '--dataset';
  const source = shown(file);
  const text = await readText(file, flag);
  const data = readDataset(text, source, { format: w.dataset?.format ?? undefined, turns: w.turnsGiven });
  let items = data.items;
  if (traced && config.trace!.limit !== null) items = items.slice(0, config.trace!.limit);
  for (const item of items)
    if (item.hashIds !== undefined && item.inputTokens !== undefined)
      checkHashIds({
        hashIds: item.hashIds,
        inputTokens: item.inputTokens,
        blockTokens: MOONCAKE_BLOCK_TOKENS,
        source,
        line: item.line,
      });
  const conversations = items.some((i) => i.conversationId !== undefined);
  if (!conversations && w.thinkTimeSec > 0)
    throw new ValidationError('--think-time', [
      {
        path: '',
        expected: `a dataset of conversations beside it (lines with conversation_id, or ShareGPT with --turns)`,
        found: `${source}, whose lines are single requests`,
      },
    ]);
  const what = traced ? 'trace' : 'dataset';
  const count = conversations
    ? `${new Set(items.map((i) => i.conversationId)).size} conversations, ${items.length} turns`
    : `${items.length} requests`;
  return {
    text: `${what} ${path.basename(file)} (${FORMAT_NAMES[data.format]}, ${count}${skippedText(data.skipped)})`,
    items,
    conversations,
    hashBlocks: items.some((i) => i.hashIds !== undefined && i.hashIds.length > 0),
  };
}

const resolved = new WeakMap<WorkloadRunConfig, Promise<WorkloadSource | null>>();

/** The run's workload source, read and checked once per run however often it is asked for. */
export function runWorkloadSource(config: WorkloadRunConfig): Promise<WorkloadSource | null> {
  let s = resolved.get(config);
  if (s === undefined) resolved.set(config, (s = load(config)));
  return s;
}
