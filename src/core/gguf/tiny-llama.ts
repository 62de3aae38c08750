/**
 * A tiny real model for load tests: a LLaMA-architecture GGUF whose weights are seeded random
 * numbers and whose tokenizer is a real one, taken whole from one of llama.cpp's vocab-only files
 * (ggml-vocab-llama-spm.gguf: SentencePiece, 32,000 tokens, <unk>/<s>/</s> = 0/1/2). It produces
 * nonsense text, but both llama.cpp's server and Realizar load it and do exactly the work of a real
 * model of that size: one forward pass per token, one SSE chunk per token.
 *
 * Written by our own GGUF writer (./writer.ts) rather than llama.cpp's Python `gguf` package: the
 * format is small, the writer is pure TypeScript (no Python or numpy to install, tested like the rest),
 * and the same seed and vocab give the same bytes on every machine (no float formatting, no
 * dictionary order, no library version in between).
 *
 * Settings both servers accept (found by trying): every integer key UInt32; context_length set
 * (Realizar takes a missing one as 0 and refuses every prompt); matmul weights and token_embd in
 * Q8_0 (Realizar 0.8.6 rejects F16); norms F32 and all 1.0. The output rows of control, unknown,
 * unused, byte and whitespace-only tokens are zero, so their logit is 0 while other tokens' are
 * not: end-of-sequence is never chosen, and every token decodes to visible text of its own chunk.
 */
import { seededRandom } from '../workload/prompts.js';
import {
  GgmlType,
  kvGet,
  Q8_0_BLOCK,
  Q8_0_BLOCK_BYTES,
  tensorBytes,
  ValueType,
  type GgufHeader,
  type Kv,
  type TensorInfo,
} from './format.js';
import { encodeGgufHeader, paddingAfter, type HeaderLayout } from './writer.js';

export interface TinyLlamaSpec {
  embedding: number;
  layers: number;
  heads: number;
  kvHeads: number;
  feedForward: number;
  contextLength: number;
  ropeDims: number;
  ropeFreqBase: number;
  rmsEpsilon: number;
  seed: number;
}

/**
 * About 150 MB, and milliseconds to tens of milliseconds per token on two cores
 * (docs/real-models.md, "Testing a real model", has measured figures): slow enough that tokens
 * arrive one by one, fast enough for short tests.
 */
export const TINY_LLAMA: TinyLlamaSpec = {
  embedding: 1024,
  layers: 6,
  heads: 16,
  kvHeads: 16,
  feedForward: 2816,
  contextLength: 4096,
  ropeDims: 64,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
  seed: 20240611,
};

/** The vocab file the model's tokenizer comes from (in llama.cpp's models/ folder). */
export const TINY_LLAMA_VOCAB = 'ggml-vocab-llama-spm.gguf';

/** token_type values of llama.cpp's vocab files that are ordinary text. */
const NORMAL = 1;
const USER_DEFINED = 4;

/** Q8_0 scales, powers of two so the f16 bits are exact: weights of about ±0.02, embeddings ±0.6. */
const MATMUL_SCALE_LOG2 = -12;
const EMBED_SCALE_LOG2 = -7;

function f16PowerOfTwo(log2: number): number {
  return (log2 + 15) << 10;
}

const u32 = (key: string, value: number): Kv => ({ key, value: { type: ValueType.UINT32, value } });
const f32 = (key: string, value: number): Kv => ({ key, value: { type: ValueType.FLOAT32, value } });
const str = (key: string, value: string): Kv => ({ key, value: { type: ValueType.STRING, value } });

const INTEGER_TYPES: readonly number[] = [
  ValueType.UINT8,
  ValueType.INT8,
  ValueType.UINT16,
  ValueType.INT16,
  ValueType.INT32,
  ValueType.UINT64,
  ValueType.INT64,
];

/** The vocab file's tokenizer keys, with every integer scalar as UInt32. */
function tokenizerKvs(vocab: GgufHeader): Kv[] {
  return vocab.kvs
    .filter((kv) => kv.key.startsWith('tokenizer.'))
    .map((kv) =>
      kv.value.type !== ValueType.ARRAY && INTEGER_TYPES.includes(kv.value.type)
        ? u32(kv.key, Number(kv.value.value))
        : kv,
    );
}

/** Tokens whose output row is zero: anything but visible text (see the file header). */
export function silentTokens(vocab: GgufHeader, source: string): boolean[] {
  const tokens = kvGet(vocab.kvs, 'tokenizer.ggml.tokens');
  const types = kvGet(vocab.kvs, 'tokenizer.ggml.token_type');
  if (tokens?.type !== ValueType.ARRAY || tokens.itemType !== ValueType.STRING)
    throw new RangeError(`${source} has no tokenizer.ggml.tokens string array: not a vocab file`);
  const typeOf = (i: number): number => (types?.type === ValueType.ARRAY ? Number(types.items[i] ?? NORMAL) : NORMAL);
  return tokens.items.map((t, i) => {
    const type = typeOf(i);
    if (type !== NORMAL && type !== USER_DEFINED) return true;
    // SentencePiece writes a space as U+2581.
    return (
      String(t)
        .replace(/\u2581/g, ' ')
        .trim() === ''
    );
  });
}

export interface TinyLlamaPlan {
  layout: HeaderLayout;
  vocabSize: number;
  /** Tokens that can never be generated (their output row is zero). */
  silent: boolean[];
  spec: TinyLlamaSpec;
}

/** Keys and tensors of the model, laid out; the data follows from `tinyLlamaData`. */
export function planTinyLlama(vocab: GgufHeader, source: string, spec: TinyLlamaSpec = TINY_LLAMA): TinyLlamaPlan {
  const silent = silentTokens(vocab, source);
  const n = silent.length;
  const e = spec.embedding;
  const kv = (e / spec.heads) * spec.kvHeads;
  const q8 = GgmlType.Q8_0;
  const tensors: Array<Omit<TensorInfo, 'offset'>> = [{ name: 'token_embd.weight', dims: [e, n], type: q8 }];
  for (let b = 0; b < spec.layers; b++) {
    const p = `blk.${b}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [e], type: GgmlType.F32 },
      { name: `${p}attn_q.weight`, dims: [e, e], type: q8 },
      { name: `${p}attn_k.weight`, dims: [e, kv], type: q8 },
      { name: `${p}attn_v.weight`, dims: [e, kv], type: q8 },
      { name: `${p}attn_output.weight`, dims: [e, e], type: q8 },
      { name: `${p}ffn_norm.weight`, dims: [e], type: GgmlType.F32 },
      { name: `${p}ffn_gate.weight`, dims: [e, spec.feedForward], type: q8 },
      { name: `${p}ffn_up.weight`, dims: [e, spec.feedForward], type: q8 },
      { name: `${p}ffn_down.weight`, dims: [spec.feedForward, e], type: q8 },
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [e], type: GgmlType.F32 },
    { name: 'output.weight', dims: [e, n], type: q8 },
  );

  const kvs: Kv[] = [
    str('general.architecture', 'llama'),
    str('general.name', 'realizar-k6 tiny llama (random weights)'),
    u32('general.file_type', 7), // LLAMA_FTYPE_MOSTLY_Q8_0
    u32('general.quantization_version', 2),
    u32('llama.vocab_size', n),
    u32('llama.context_length', spec.contextLength),
    u32('llama.embedding_length', e),
    u32('llama.block_count', spec.layers),
    u32('llama.feed_forward_length', spec.feedForward),
    u32('llama.rope.dimension_count', spec.ropeDims),
    u32('llama.attention.head_count', spec.heads),
    u32('llama.attention.head_count_kv', spec.kvHeads),
    f32('llama.attention.layer_norm_rms_epsilon', spec.rmsEpsilon),
    f32('llama.rope.freq_base', spec.ropeFreqBase),
    ...tokenizerKvs(vocab),
  ];
  return { layout: encodeGgufHeader(kvs, tensors), vocabSize: n, silent, spec };
}

/** Bytes of the whole file. */
export function tinyLlamaBytes(plan: TinyLlamaPlan): number {
  return plan.layout.header.length + plan.layout.dataBytes;
}

/** At most this many bytes per chunk handed to the writer. */
const CHUNK_ROWS_BYTES = 1 << 20;

/**
 * The tensor data, in the layout's order, padding included, as chunks of about 1 MB. Each tensor
 * has its own PRNG stream (seed and tensor index), so the bytes depend on nothing but the plan.
 */
export function* tinyLlamaData(plan: TinyLlamaPlan): Generator<Uint8Array> {
  const { layout, spec, silent } = plan;
  for (let ti = 0; ti < layout.tensors.length; ti++) {
    const t = layout.tensors[ti]!;
    if (t.type === GgmlType.F32) {
      const bytes = new Uint8Array(tensorBytes(t.dims, t.type));
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < bytes.length; i += 4) view.setFloat32(i, 1.0, true);
      yield bytes;
    } else {
      const random = seededRandom((spec.seed + Math.imul(ti + 1, 0x9e3779b9)) >>> 0);
      const rowLength = t.dims[0]!;
      const rows = t.dims.slice(1).reduce((a, b) => a * b, 1);
      const rowBytes = (rowLength / Q8_0_BLOCK) * Q8_0_BLOCK_BYTES;
      const scale = f16PowerOfTwo(t.name === 'token_embd.weight' ? EMBED_SCALE_LOG2 : MATMUL_SCALE_LOG2);
      const zeroRow = t.name === 'output.weight' ? silent : null;
      const rowsPerChunk = Math.max(1, Math.floor(CHUNK_ROWS_BYTES / rowBytes));
      for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
        const count = Math.min(rowsPerChunk, rows - r0);
        const bytes = new Uint8Array(count * rowBytes);
        const view = new DataView(bytes.buffer);
        for (let r = 0; r < count; r++) {
          // A silent row still draws its numbers, so the other rows do not depend on which are silent.
          const zero = zeroRow?.[r0 + r] === true;
          for (let at = r * rowBytes; at < (r + 1) * rowBytes; at += Q8_0_BLOCK_BYTES) {
            view.setUint16(at, zero ? 0 : scale, true);
            for (let k = 0; k < Q8_0_BLOCK; k += 4) {
              const x = Math.floor(random() * 4294967296);
              if (zero) continue;
              view.setUint32(at + 2 + k, x, true);
            }
          }
        }
        yield bytes;
      }
    }
    const pad = paddingAfter(t, layout.alignment);
    if (pad > 0) yield new Uint8Array(pad);
  }
}
