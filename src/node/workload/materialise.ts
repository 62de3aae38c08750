/**
 * A scenario's workload, made once the server is up and before k6 starts: every prompt of the
 * scenario in sending order (src/core/workload/sequence.ts), generated texts fitted to their lengths
 * in the server's own tokens, each line's tokens counted, written as JSONL into the run folder (a
 * dataset like any other) for k6 to read once. Same options, seed and server: byte-identical lines.
 *
 * The generators are pure and synchronous (src/core/workload/synthetic.ts); the server's tokenizer
 * answers over HTTP. So generation runs in passes: a count not known yet is estimated and noted, the
 * noted texts are counted by the server, and the pass runs again; each pass takes every length fit
 * one real measurement further, and a pass with nothing new to count is exact throughout.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { K6VarValues } from '../../core/contract.js';
import { linesPerRequest } from '../../core/plan/workload.js';
import type { ScenarioPlan } from '../../core/types.js';
import { lengthSampler } from '../../core/workload/lengths.js';
import { flattenMessages } from '../../core/workload/received.js';
import { requestSequence, toLine } from '../../core/workload/sequence.js';
import { syntheticItems, withPrompts } from '../../core/workload/synthetic.js';
import { CHAR_ROUNDS, mixSeed, WORD_ROUNDS } from '../../core/workload/text.js';
import type { WorkloadItem } from '../../core/workload/types.js';
import type { WorkloadRunConfig } from '../config/workload.js';
import { log } from '../process/log.js';
import { plannedWorkload, workloadPlan } from './plan.js';
import { runWorkloadSource } from './source.js';
import { serverTokenizer, type ServerTokenizer } from './tokenizer.js';

/** Passes at most: a length fit's measurements (src/core/workload/text.ts), one pass each, and a last to check. */
const MAX_PASSES = WORD_ROUNDS + CHAR_ROUNDS + 1;
const OUTPUT_DRAWS_KEY = 13;

const words = (text: string): number => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length);

/** Counts in the server's tokens, remembered: the same text is counted once per run. */
class Counts {
  private readonly known = new Map<string, number>();
  constructor(private readonly t: ServerTokenizer) {}

  estimate(text: string): number {
    return Math.max(1, Math.round(words(text) * this.t.tokensPerWord));
  }

  /** A synchronous counter for the generators: known counts, else an estimate, noting the text. */
  counter(missing: Set<string>): (text: string) => number {
    return (text) => {
      const n = this.known.get(text);
      if (n !== undefined) return n;
      missing.add(text);
      return this.estimate(text);
    };
  }

  async learn(texts: Iterable<string>): Promise<void> {
    if (this.t.count === null) return;
    const todo = [...new Set(texts)].filter((t) => !this.known.has(t));
    const counts = await this.t.count(todo);
    todo.forEach((t, i) => this.known.set(t, counts[i]!));
  }

  exact(text: string): number {
    return this.known.get(text) ?? this.estimate(text);
  }
}

/** Run a generator until every count it used was the server's (or, without a tokenizer, once on estimates). */
async function generate<T>(counts: Counts, exact: boolean, make: (count: (t: string) => number) => T): Promise<T> {
  for (let pass = 1; ; pass++) {
    const missing = new Set<string>();
    const made = make(counts.counter(missing));
    if (!exact || missing.size === 0) return made;
    if (pass >= MAX_PASSES) throw new Error(`fitting prompt lengths did not settle in ${MAX_PASSES} passes`);
    await counts.learn(missing);
  }
}

const textOf = (item: WorkloadItem): string => item.prompt ?? flattenMessages(item.messages ?? []);

async function itemsFor(
  config: WorkloadRunConfig,
  count: number,
  counts: Counts,
  t: ServerTokenizer,
): Promise<WorkloadItem[]> {
  const w = config.workload!;
  const source = (await runWorkloadSource(config))!;
  const exact = t.count !== null;
  const text = { tokensPerWord: t.tokensPerWord };
  let items: WorkloadItem[];
  if (source.items === null) {
    items = await generate(counts, exact, (tokenize) =>
      syntheticItems({
        count,
        seed: config.seed,
        input: w.input!,
        ...(w.output === null ? {} : { output: w.output }),
        ...(w.prefix === null ? {} : { prefix: w.prefix }),
        turns: w.turns,
        ...text,
        tokenize,
      }),
    );
  } else {
    const sequence = requestSequence(source.items, count, w.turnsGiven ? w.turns : undefined);
    const cache = new Map<string, string>();
    const made = config.trace === null ? config.workload!.dataset!.file : config.trace.file;
    items = await generate(counts, exact, (tokenize) => {
      cache.clear();
      return withPrompts(sequence, { source: path.basename(made), seed: config.seed, cache, ...text, tokenize });
    });
    // A line without an output target draws one from --output-tokens, when given.
    if (w.output !== null) {
      const draw = lengthSampler(w.output, mixSeed(config.seed, OUTPUT_DRAWS_KEY));
      items = items.map((i) => (i.outputTokens === undefined ? { ...i, outputTokens: draw() } : i));
    }
  }
  await counts.learn(items.map(textOf));
  // What each line carries, counted as sent; a recorded output of 0 still asks for one token.
  return items.map((i) => ({
    ...i,
    inputTokens: counts.exact(textOf(i)),
    ...(i.outputTokens === undefined ? {} : { outputTokens: Math.max(1, i.outputTokens) }),
  }));
}

/**
 * Made once per scenario and number of requests: a run's --runs repetitions send the same lines, a
 * sweep's steps (one scenario, more requests at each) each their own.
 */
const made = new WeakMap<WorkloadRunConfig, Map<string, Promise<K6VarValues>>>();

async function make(config: WorkloadRunConfig, plan: ScenarioPlan, dir: string): Promise<K6VarValues> {
  // Off is k6's default: only a cache turned on is said on k6's command line.
  const base: K6VarValues = config.promptCache ? { PROMPT_CACHE: true } : {};
  const source = await runWorkloadSource(config);
  if (source === null) return base;
  // No lines for a scenario that sends none: k6's plan then says the workload was not sent.
  if (!plan.endpoints.some((e) => e.prompted)) return { ...base, WORKLOAD: plannedWorkload(config, source) };
  const perRequest = linesPerRequest(plan.mix);
  const requests = plan.phases.reduce((n, p) => n + p.requests, 0);
  const tokenizer = await serverTokenizer(config);
  const counts = new Counts(tokenizer);
  // An archive's lines are counted by a server this machine reaches, not always the one its load goes to.
  const counted = config.tokenizerUrl === undefined ? tokenizer.text : `${tokenizer.text}, at ${config.tokenizerUrl}`;
  log.info(`making the workload of ${plan.scenario}: ${requests * perRequest} prompt(s), ${counted}`);
  const items = await itemsFor(config, requests * perRequest, counts, tokenizer);
  const file = path.join(dir, `workload-${plan.scenario}.jsonl`);
  await writeFile(file, items.map((i) => `${JSON.stringify(toLine(i))}\n`).join(''));
  const turns = Math.max(1, ...items.map((i) => i.turn ?? 1));
  const workload = workloadPlan(config, {
    source,
    tokenizer: counted,
    perRequest,
    file,
    turns,
    chatLines: items.some((i) => i.messages !== undefined),
  });
  return { ...base, WORKLOAD: workload };
}

/** The k6 variables of a scenario's workload (and the prompt cache's switch, workload or not). */
export function workloadVars(config: WorkloadRunConfig, plan: ScenarioPlan, dir: string): Promise<K6VarValues> {
  let byScenario = made.get(config);
  if (byScenario === undefined) made.set(config, (byScenario = new Map()));
  const key = `${plan.scenario}:${plan.phases.reduce((n, p) => n + p.requests, 0)}`;
  let vars = byScenario.get(key);
  if (vars === undefined) byScenario.set(key, (vars = make(config, plan, dir)));
  return vars;
}
