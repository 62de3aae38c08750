import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { GgufError } from '../../src/core/errors/GgufError.js';
import {
  GgmlType,
  kvGet,
  tensorBytes,
  utf8Decode,
  utf8Encode,
  ValueType,
  type GgufHeader,
  type Kv,
} from '../../src/core/gguf/format.js';
import { readGgufHeader } from '../../src/core/gguf/reader.js';
import { planTinyLlama, tinyLlamaBytes, tinyLlamaData, type TinyLlamaSpec } from '../../src/core/gguf/tiny-llama.js';
import { encodeGgufHeader } from '../../src/core/gguf/writer.js';

const kv = (
  key: string,
  type: Exclude<(typeof ValueType)[keyof typeof ValueType], 9>,
  value: Kv['value'] extends infer V ? (V extends { value: infer S } ? S : never) : never,
): Kv => ({ key, value: { type, value } });

describe('the GGUF header writer and reader', () => {
  it('read back every value type, the tensor infos and aligned offsets that the writer wrote', () => {
    const kvs: Kv[] = [
      kv('a.u8', ValueType.UINT8, 200),
      kv('a.i8', ValueType.INT8, -5),
      kv('a.u16', ValueType.UINT16, 65000),
      kv('a.i16', ValueType.INT16, -30000),
      kv('a.u32', ValueType.UINT32, 4096),
      kv('a.i32', ValueType.INT32, -7),
      kv('a.f32', ValueType.FLOAT32, 0.5),
      kv('a.bool', ValueType.BOOL, true),
      kv('a.str', ValueType.STRING, 'héllo ▁wörld 🙂'),
      kv('a.u64', ValueType.UINT64, 2n ** 60n),
      kv('a.i64', ValueType.INT64, -(2n ** 40n)),
      kv('a.f64', ValueType.FLOAT64, 1e-300),
      { key: 'a.arr', value: { type: ValueType.ARRAY, itemType: ValueType.STRING, items: ['<unk>', '▁the', ''] } },
    ];
    const layout = encodeGgufHeader(kvs, [
      { name: 'x', dims: [64, 3], type: GgmlType.Q8_0 },
      { name: 'n', dims: [5], type: GgmlType.F32 },
      { name: 'y', dims: [32], type: GgmlType.Q8_0 },
    ]);
    assert.equal(layout.header.length % 32, 0);
    const h = readGgufHeader(layout.header, 'test');
    assert.equal(h.version, 3);
    assert.equal(h.dataOffset, layout.header.length);
    assert.deepEqual(h.kvs, kvs);
    // 64x3 Q8_0 = 6 blocks of 34 bytes = 204 → next at 224; 5 f32 = 20 → next at 256.
    assert.deepEqual(
      h.tensors.map((t) => [t.name, t.dims, t.type, t.offset]),
      [
        ['x', [64, 3], GgmlType.Q8_0, 0],
        ['n', [5], GgmlType.F32, 224],
        ['y', [32], GgmlType.Q8_0, 256],
      ],
    );
    assert.equal(layout.dataBytes, 256 + 64);
  });

  it('refuses a file that is not GGUF, naming the byte and what it found', () => {
    const bytes = new Uint8Array(24);
    bytes.set([0x7f, 0x45, 0x4c, 0x46]);
    assert.throws(
      () => readGgufHeader(bytes, 'model.bin'),
      (e: unknown) =>
        e instanceof GgufError && e.offset === 0 && /model\.bin: at byte 0: expected the magic "GGUF"/.test(e.message),
    );
  });

  it('says how far it got when the bytes end inside the header', () => {
    const { header } = encodeGgufHeader([kv('general.name', ValueType.STRING, 'a long enough name')], []);
    assert.throws(
      () => readGgufHeader(header.subarray(0, 60), 'cut.gguf'),
      (e: unknown) =>
        e instanceof GgufError &&
        /at byte 56: expected general\.name \(18 byte\(s\)\), found the end of the 60 byte\(s\) given/.test(e.message),
    );
  });

  it('sizes Q8_0 as 34 bytes per 32 values and refuses a row that is not whole blocks', () => {
    assert.equal(tensorBytes([1024, 2816], GgmlType.Q8_0), (1024 * 2816 * 34) / 32);
    assert.throws(() => tensorBytes([33], GgmlType.Q8_0), /multiple of 32/);
  });

  it('encodes and decodes UTF-8 as TextEncoder does', () => {
    for (const s of ['', 'ascii', 'é▁', '日本語', '🙂x']) {
      assert.deepEqual(utf8Encode(s), new TextEncoder().encode(s));
      assert.equal(utf8Decode(new TextEncoder().encode(s)), s);
    }
  });
});

/** A vocab file in miniature: the keys llama.cpp's vocab-only files carry. */
function miniVocab(): GgufHeader {
  const tokens = ['<unk>', '<s>', '</s>', '<0x0A>', '▁', '▁the', 'ing', '▁▁', 'a', 'b', 'c', 'd'];
  const types = [2, 3, 3, 6, 1, 1, 1, 1, 1, 1, 1, 1];
  const bytes = encodeGgufHeader(
    [
      kv('general.architecture', ValueType.STRING, 'llama'),
      kv('tokenizer.ggml.model', ValueType.STRING, 'llama'),
      { key: 'tokenizer.ggml.tokens', value: { type: ValueType.ARRAY, itemType: ValueType.STRING, items: tokens } },
      {
        key: 'tokenizer.ggml.scores',
        value: { type: ValueType.ARRAY, itemType: ValueType.FLOAT32, items: tokens.map(() => 0) },
      },
      { key: 'tokenizer.ggml.token_type', value: { type: ValueType.ARRAY, itemType: ValueType.INT32, items: types } },
      kv('tokenizer.ggml.bos_token_id', ValueType.INT32, 1),
      kv('tokenizer.ggml.eos_token_id', ValueType.UINT32, 2),
    ],
    [],
  ).header;
  return readGgufHeader(bytes, 'mini-vocab.gguf');
}

const SMALL: TinyLlamaSpec = {
  embedding: 64,
  layers: 2,
  heads: 4,
  kvHeads: 4,
  feedForward: 96,
  contextLength: 4096,
  ropeDims: 16,
  ropeFreqBase: 10000,
  rmsEpsilon: 1e-5,
  seed: 7,
};

function generate(spec: TinyLlamaSpec): { bytes: Uint8Array; sha256: string } {
  const plan = planTinyLlama(miniVocab(), 'mini-vocab.gguf', spec);
  const parts = [plan.layout.header, ...tinyLlamaData(plan)];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  assert.equal(bytes.length, tinyLlamaBytes(plan));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('the tiny model', () => {
  it('is byte-identical from the same vocab and seed, and different from another seed', () => {
    const a = generate(SMALL);
    const b = generate(SMALL);
    assert.equal(a.sha256, b.sha256);
    assert.notEqual(generate({ ...SMALL, seed: 8 }).sha256, a.sha256);
  });

  it('reads back as a LLaMA model with every integer key UInt32 and the vocab tokenizer', () => {
    const { bytes } = generate(SMALL);
    const h = readGgufHeader(bytes, 'tiny.gguf');
    const scalar = (key: string): unknown => {
      const v = kvGet(h.kvs, key);
      return v !== undefined && v.type !== ValueType.ARRAY ? [v.type, v.value] : v;
    };
    assert.deepEqual(scalar('general.architecture'), [ValueType.STRING, 'llama']);
    assert.deepEqual(scalar('llama.context_length'), [ValueType.UINT32, 4096]);
    assert.deepEqual(scalar('llama.embedding_length'), [ValueType.UINT32, 64]);
    assert.deepEqual(scalar('llama.rope.dimension_count'), [ValueType.UINT32, 16]);
    assert.deepEqual(scalar('tokenizer.ggml.bos_token_id'), [ValueType.UINT32, 1]);
    assert.equal(kvGet(h.kvs, 'tokenizer.ggml.tokens')?.type, ValueType.ARRAY);
    for (const { key, value } of h.kvs) {
      if (value.type !== ValueType.ARRAY)
        assert.ok(
          ![
            ValueType.INT32,
            ValueType.UINT64,
            ValueType.INT64,
            ValueType.UINT8,
            ValueType.INT8,
            ValueType.UINT16,
            ValueType.INT16,
          ].includes(value.type as never),
          `${key} is an integer other than UInt32`,
        );
    }
    const names = h.tensors.map((t) => t.name);
    assert.equal(names.length, 2 + 9 * SMALL.layers + 1);
    for (const t of h.tensors)
      assert.equal(t.type, t.name.endsWith('norm.weight') ? GgmlType.F32 : GgmlType.Q8_0, t.name);
    const norm = h.tensors.find((t) => t.name === 'output_norm.weight')!;
    const view = new DataView(bytes.buffer, h.dataOffset + norm.offset, 4 * 64);
    for (let i = 0; i < 64; i++) assert.equal(view.getFloat32(i * 4, true), 1);
  });

  it('zeroes the output rows of control, unknown, byte and whitespace-only tokens, and no others', () => {
    const { bytes } = generate(SMALL);
    const h = readGgufHeader(bytes, 'tiny.gguf');
    const out = h.tensors.find((t) => t.name === 'output.weight')!;
    const rowBytes = (64 / 32) * 34;
    const zero = (row: number): boolean =>
      bytes
        .subarray(h.dataOffset + out.offset + row * rowBytes, h.dataOffset + out.offset + (row + 1) * rowBytes)
        .every((b) => b === 0);
    // <unk> <s> </s> <0x0A> ▁ ▁the ing ▁▁ a b c d
    assert.deepEqual(
      Array.from({ length: 12 }, (_, i) => zero(i)),
      [true, true, true, true, true, false, false, true, false, false, false, false],
    );
  });
});
