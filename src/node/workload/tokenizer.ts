/**
 * Counting text in the server's own tokens, once the server is up and before any load:
 *
 *   llama.cpp's server      POST /tokenize {"content"} → {"tokens": [...]}: exact
 *   Realizar (demo)         POST /tokenize {"text"} → {"num_tokens"}: exact
 *   Realizar with a model   no tokenizer endpoint: tokens per word calibrated from two probe requests
 *   (or unknown servers)    (1 and 200 words, max_tokens 1), the difference of the prompt counts their
 *                           answers give (usage.prompt_tokens, or Realizar's token_ids): approximate
 *
 * and when nothing answers, one token per word, said as an estimate. The report names which it was.
 */
import { receivedOf } from '../../core/workload/received.js';
import { DEFAULT_TOKENS_PER_WORD, mixSeed, wordText } from '../../core/workload/text.js';
import type { WorkloadRunConfig } from '../config/workload.js';
import { log } from '../process/log.js';

export interface ServerTokenizer {
  /** How counts were had, for the report. */
  text: string;
  /** Texts counted by the server itself; null: only the calibration below. */
  count: ((texts: readonly string[]) => Promise<number[]>) | null;
  /** Tokens per word of the generated text (for a first guess, or as the estimate). */
  tokensPerWord: number;
}

/** Requests counted at once: the server's tokenizer is fast, and its slots serve the load later. */
const PARALLEL = 8;
const CALIBRATION_WORDS = 400;
const PROBE_WORDS = 200;
const CALIBRATION_KEY = 99;

type Post = (path: string, body: unknown) => Promise<unknown>;

function poster(config: WorkloadRunConfig): Post {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (config.apiKey !== null) headers['Authorization'] = `Bearer ${config.apiKey.reveal()}`;
  return async (path, body) => {
    const url = `${config.tokenizerUrl ?? config.baseUrl}${path}`;
    // fetch() says only "fetch failed"; what failed is in its cause (refused, reset, closed).
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) }).catch((e: Error) => {
      const cause = (e.cause as Error | undefined)?.message;
      throw new Error(`POST ${url}: ${e.message}${cause === undefined ? '' : ` (${cause})`}`);
    });
    if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status}`);
    return res.json();
  };
}

function batched(one: (text: string) => Promise<number>): (texts: readonly string[]) => Promise<number[]> {
  return async (texts) => {
    const out: number[] = [];
    for (let i = 0; i < texts.length; i += PARALLEL)
      out.push(...(await Promise.all(texts.slice(i, i + PARALLEL).map(one))));
    return out;
  };
}

const llamaCount =
  (post: Post) =>
  async (text: string): Promise<number> => {
    const body = (await post('/tokenize', { content: text })) as { tokens?: unknown };
    if (!Array.isArray(body.tokens)) throw new Error('POST /tokenize gave no "tokens" list');
    return body.tokens.length;
  };

const realizarCount =
  (post: Post) =>
  async (text: string): Promise<number> => {
    const body = (await post('/tokenize', { text })) as { num_tokens?: unknown };
    if (typeof body.num_tokens !== 'number') throw new Error('POST /tokenize gave no "num_tokens"');
    return body.num_tokens;
  };

/** Tokens per word from the prompt counts of two generation requests' answers; null when they give none. */
async function probe(config: WorkloadRunConfig, post: Post): Promise<number | null> {
  const promptTokens = async (words: number): Promise<number | null> => {
    const prompt = wordText(mixSeed(config.seed, CALIBRATION_KEY), words);
    const body =
      config.api === 'openai'
        ? await post('/v1/completions', { model: config.model, prompt, max_tokens: 1 })
        : await post('/generate', { prompt, max_tokens: 1, strategy: 'greedy' });
    return receivedOf(body).input;
  };
  const one = await promptTokens(1);
  const many = await promptTokens(PROBE_WORDS + 1);
  if (one === null || many === null || many <= one) return null;
  return (many - one) / PROBE_WORDS;
}

async function exact(
  name: string,
  count: (texts: readonly string[]) => Promise<number[]>,
  seed: number,
): Promise<ServerTokenizer> {
  const [few, tokens] = await count([
    wordText(mixSeed(seed, CALIBRATION_KEY), 1),
    wordText(mixSeed(seed, CALIBRATION_KEY), CALIBRATION_WORDS),
  ]);
  // Lengths are fitted by asking the count again with more or fewer words: a count that does not grow
  // with the text would send the fit after ever longer prompts.
  if (!(tokens! > few!))
    throw new Error(
      `${name} does not count text: ${few} token(s) for 1 word and ${tokens} for ${CALIBRATION_WORDS} words ` +
        '(expected more tokens for the longer text)',
    );
  return { text: `${name}: exact`, count, tokensPerWord: tokens! / CALIBRATION_WORDS };
}

async function find(config: WorkloadRunConfig): Promise<ServerTokenizer> {
  const post = poster(config);
  if (config.server === 'llamacpp')
    return exact("the server's own POST /tokenize", batched(llamaCount(post)), config.seed);
  if (config.server === 'realizar' || (config.server === null && config.api === 'realizar')) {
    try {
      return await exact("the server's own POST /tokenize", batched(realizarCount(post)), config.seed);
    } catch (e) {
      if (config.server === 'realizar') throw e;
    }
  }
  let why = 'the server neither tokenizes nor counts prompts';
  try {
    const perWord = await probe(config, post);
    if (perWord !== null)
      return {
        text:
          `approximate: the server has no tokenizer endpoint, so ${perWord.toFixed(3)} tokens per word were ` +
          'calibrated from the prompt counts of two probe requests (1 and 201 words)',
        count: null,
        tokensPerWord: perWord,
      };
  } catch (e) {
    log.warn(`calibrating token lengths: ${(e as Error).message}`);
    why = `no count was had: ${(e as Error).message}`;
  }
  return {
    text: `estimated: ${DEFAULT_TOKENS_PER_WORD} token per word (${why})`,
    count: null,
    tokensPerWord: DEFAULT_TOKENS_PER_WORD,
  };
}

const found = new WeakMap<WorkloadRunConfig, Promise<ServerTokenizer>>();

/** The server's tokenizer, found (and calibrated) once per run, with the server up. */
export function serverTokenizer(config: WorkloadRunConfig): Promise<ServerTokenizer> {
  let t = found.get(config);
  if (t === undefined) found.set(config, (t = find(config)));
  return t;
}
