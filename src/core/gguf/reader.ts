/**
 * Reads a GGUF file's header — key-value pairs and tensor infos, not the tensor data — from its
 * first bytes. Used to take the tokenizer out of llama.cpp's vocab-only files and to check the
 * models this project writes. Only the header is needed, so a caller may pass just the start of a
 * large file: running out of bytes is a GgufError that says how far it got.
 */
import { GgufError } from '../errors/GgufError.js';
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  kvGet,
  utf8Decode,
  ValueType,
  type GgufHeader,
  type Kv,
  type KvValue,
  type Scalar,
  type TensorInfo,
  type ValueTypeId,
} from './format.js';

/** Values above 2^53 cannot be counts or offsets of a file this project reads. */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const SCALAR_BYTES: Record<number, number> = {
  [ValueType.UINT8]: 1,
  [ValueType.INT8]: 1,
  [ValueType.UINT16]: 2,
  [ValueType.INT16]: 2,
  [ValueType.UINT32]: 4,
  [ValueType.INT32]: 4,
  [ValueType.FLOAT32]: 4,
  [ValueType.BOOL]: 1,
  [ValueType.UINT64]: 8,
  [ValueType.INT64]: 8,
  [ValueType.FLOAT64]: 8,
};

function readScalar(view: DataView, at: number, type: number): Scalar {
  switch (type) {
    case ValueType.UINT8:
      return view.getUint8(at);
    case ValueType.INT8:
      return view.getInt8(at);
    case ValueType.UINT16:
      return view.getUint16(at, true);
    case ValueType.INT16:
      return view.getInt16(at, true);
    case ValueType.UINT32:
      return view.getUint32(at, true);
    case ValueType.INT32:
      return view.getInt32(at, true);
    case ValueType.FLOAT32:
      return view.getFloat32(at, true);
    case ValueType.BOOL:
      return view.getUint8(at) !== 0;
    case ValueType.UINT64:
      return view.getBigUint64(at, true);
    case ValueType.INT64:
      return view.getBigInt64(at, true);
    default:
      return view.getFloat64(at, true);
  }
}

export function readGgufHeader(bytes: Uint8Array, source: string): GgufHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number, what: string): void => {
    if (at + n > bytes.length)
      throw new GgufError(source, at, `${what} (${n} byte(s))`, `the end of the ${bytes.length} byte(s) given`);
  };
  const u32 = (what: string): number => {
    need(4, what);
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const u64 = (what: string): number => {
    need(8, what);
    const v = view.getBigUint64(at, true);
    if (v > MAX_SAFE) throw new GgufError(source, at, `${what} below 2^53`, String(v));
    at += 8;
    return Number(v);
  };
  const str = (what: string): string => {
    const n = u64(`the length of ${what}`);
    need(n, what);
    const s = utf8Decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const scalar = (type: number, what: string): Scalar => {
    if (type === ValueType.STRING) return str(what);
    const size = SCALAR_BYTES[type];
    if (size === undefined)
      throw new GgufError(source, at - 4, `a GGUF value type (0-12, not an array) for ${what}`, String(type));
    need(size, what);
    const v = readScalar(view, at, type);
    at += size;
    return v;
  };

  if (u32('the magic "GGUF"') !== GGUF_MAGIC)
    throw new GgufError(source, 0, 'the magic "GGUF"', JSON.stringify(utf8Decode(bytes.subarray(0, 4))));
  const version = u32('the version');
  if (version !== 2 && version !== 3) throw new GgufError(source, 4, 'GGUF version 2 or 3', String(version));
  const tensorCount = u64('the tensor count');
  const kvCount = u64('the key-value count');

  const kvs: Kv[] = [];
  for (let i = 0; i < kvCount; i++) {
    const key = str(`key ${i}`);
    const type = u32(`the value type of ${key}`);
    let value: KvValue;
    if (type === ValueType.ARRAY) {
      const itemType = u32(`the item type of ${key}`);
      if (itemType === ValueType.ARRAY)
        throw new GgufError(source, at - 4, `an array of scalars or strings in ${key}`, 'an array of arrays');
      const count = u64(`the length of ${key}`);
      const items: Scalar[] = new Array(count);
      for (let k = 0; k < count; k++) items[k] = scalar(itemType, `${key}[${k}]`);
      value = { type: ValueType.ARRAY, itemType: itemType as Exclude<ValueTypeId, 9>, items };
    } else {
      value = { type: type as Exclude<ValueTypeId, 9>, value: scalar(type, key) };
    }
    kvs.push({ key, value });
  }

  const tensors: TensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str(`the name of tensor ${i}`);
    const nDims = u32(`the dimension count of ${name}`);
    if (nDims < 1 || nDims > 4) throw new GgufError(source, at - 4, `1 to 4 dimensions for ${name}`, String(nDims));
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(u64(`dimension ${d} of ${name}`));
    const type = u32(`the type of ${name}`);
    const offset = u64(`the offset of ${name}`);
    tensors.push({ name, dims, type, offset });
  }

  const a = kvGet(kvs, 'general.alignment');
  const alignment =
    a !== undefined && a.type !== ValueType.ARRAY && typeof a.value === 'number' ? a.value : GGUF_DEFAULT_ALIGNMENT;
  const dataOffset = Math.ceil(at / alignment) * alignment;
  return { version, kvs, tensors, alignment, dataOffset };
}
