/**
 * The GGUF container (version 3), as llama.cpp's ggml/include/gguf.h and docs/gguf.md describe it:
 * little-endian; a header (magic "GGUF", version, tensor count, key-value count), the key-value
 * pairs, the tensor infos (name, dimensions innermost first, ggml type, offset into the data), then,
 * aligned to `general.alignment` (32 by default), the tensor data, each tensor aligned too.
 */

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Value types of the key-value section. */
export const ValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type ValueTypeId = (typeof ValueType)[keyof typeof ValueType];

/** The ggml tensor types this project writes. */
export const GgmlType = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type GgmlTypeId = (typeof GgmlType)[keyof typeof GgmlType];

/** Q8_0: blocks of 32 values, each an f16 scale then 32 signed bytes. */
export const Q8_0_BLOCK = 32;
export const Q8_0_BLOCK_BYTES = 2 + Q8_0_BLOCK;

/** Scalars as read; 64-bit integers as bigint, so nothing is rounded. */
export type Scalar = number | bigint | boolean | string;

export type KvValue =
  | { type: Exclude<ValueTypeId, typeof ValueType.ARRAY>; value: Scalar }
  | { type: typeof ValueType.ARRAY; itemType: Exclude<ValueTypeId, typeof ValueType.ARRAY>; items: Scalar[] };

export interface Kv {
  key: string;
  value: KvValue;
}

export interface TensorInfo {
  name: string;
  /** ne[0] first: the length of a row, then the number of rows, ... */
  dims: number[];
  type: GgmlTypeId | number;
  /** From the start of the data section. */
  offset: number;
}

export interface GgufHeader {
  version: number;
  kvs: Kv[];
  tensors: TensorInfo[];
  alignment: number;
  /** Where the data section starts in the file. */
  dataOffset: number;
}

/** Bytes a tensor of these dimensions and type takes. */
export function tensorBytes(dims: readonly number[], type: number): number {
  const n = dims.reduce((a, b) => a * b, 1);
  if (type === GgmlType.F32) return n * 4;
  if (type === GgmlType.F16) return n * 2;
  if (type === GgmlType.Q8_0) {
    if (dims[0]! % Q8_0_BLOCK !== 0)
      throw new RangeError(`a Q8_0 row must be a multiple of ${Q8_0_BLOCK} values, not ${dims[0]}`);
    return (n / Q8_0_BLOCK) * Q8_0_BLOCK_BYTES;
  }
  throw new RangeError(`ggml type ${type} is not one this project writes (F32, F16, Q8_0)`);
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/** The value of a key, or undefined. */
export function kvGet(kvs: readonly Kv[], key: string): KvValue | undefined {
  return kvs.find((kv) => kv.key === key)?.value;
}

/** UTF-8, here because the pure zone has no TextEncoder in its types. */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** UTF-8 to a string; a malformed sequence reads as U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    let c = 0xfffd;
    let n = 1;
    if (b < 0x80) c = b;
    else if (b >= 0xc0 && b < 0xe0 && i + 1 < bytes.length) [c, n] = [((b & 31) << 6) | (bytes[i + 1]! & 63), 2];
    else if (b >= 0xe0 && b < 0xf0 && i + 2 < bytes.length)
      [c, n] = [((b & 15) << 12) | ((bytes[i + 1]! & 63) << 6) | (bytes[i + 2]! & 63), 3];
    else if (b >= 0xf0 && i + 3 < bytes.length)
      [c, n] = [((b & 7) << 18) | ((bytes[i + 1]! & 63) << 12) | ((bytes[i + 2]! & 63) << 6) | (bytes[i + 3]! & 63), 4];
    s += String.fromCodePoint(c);
    i += n;
  }
  return s;
}
