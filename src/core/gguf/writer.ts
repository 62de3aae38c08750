/**
 * Writes a GGUF header: the key-value pairs and the tensor infos, with each tensor's offset laid out
 * here (in the given order, each aligned), padded so that the data section starts aligned. The
 * caller then writes each tensor's bytes in the same order, padding each to the alignment
 * (`paddingAfter`). Pure: it returns bytes and never touches a file.
 */
import {
  alignUp,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  tensorBytes,
  utf8Encode,
  ValueType,
  type Kv,
  type Scalar,
  type TensorInfo,
} from './format.js';

class Bytes {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): DataView {
    if (this.length + n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      bigger.set(this.buf.subarray(0, this.length));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    }
    return this.view;
  }
  u8(v: number): void {
    this.room(1).setUint8(this.length, v);
    this.length += 1;
  }
  u32(v: number): void {
    this.room(4).setUint32(this.length, v, true);
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.room(8).setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  str(s: string): void {
    const b = utf8Encode(s);
    this.u64(b.length);
    this.raw(b);
  }
  scalar(type: number, v: Scalar): void {
    const view = (n: number): DataView => this.room(n);
    const at = this.length;
    switch (type) {
      case ValueType.UINT8:
      case ValueType.BOOL:
        this.u8(Number(v));
        return;
      case ValueType.INT8:
        view(1).setInt8(at, Number(v));
        this.length += 1;
        return;
      case ValueType.UINT16:
        view(2).setUint16(at, Number(v), true);
        this.length += 2;
        return;
      case ValueType.INT16:
        view(2).setInt16(at, Number(v), true);
        this.length += 2;
        return;
      case ValueType.UINT32:
        this.u32(Number(v));
        return;
      case ValueType.INT32:
        view(4).setInt32(at, Number(v), true);
        this.length += 4;
        return;
      case ValueType.FLOAT32:
        view(4).setFloat32(at, Number(v), true);
        this.length += 4;
        return;
      case ValueType.STRING:
        this.str(String(v));
        return;
      case ValueType.UINT64:
        this.u64(BigInt(v as number | bigint));
        return;
      case ValueType.INT64:
        view(8).setBigInt64(at, BigInt(v as number | bigint), true);
        this.length += 8;
        return;
      case ValueType.FLOAT64:
        view(8).setFloat64(at, Number(v), true);
        this.length += 8;
        return;
      default:
        throw new RangeError(`GGUF value type ${type} is not a scalar type`);
    }
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export interface HeaderLayout {
  /** The header, padded to the alignment: the data section starts right after it. */
  header: Uint8Array;
  /** The tensors with their offsets (from the start of the data section). */
  tensors: TensorInfo[];
  alignment: number;
  /** Bytes of the data section, padding included. */
  dataBytes: number;
}

export function encodeGgufHeader(
  kvs: readonly Kv[],
  tensors: ReadonlyArray<Omit<TensorInfo, 'offset'>>,
  alignment = GGUF_DEFAULT_ALIGNMENT,
): HeaderLayout {
  const out = new Bytes();
  out.u32(GGUF_MAGIC);
  out.u32(GGUF_VERSION);
  out.u64(tensors.length);
  out.u64(kvs.length);
  for (const { key, value } of kvs) {
    out.str(key);
    out.u32(value.type);
    if (value.type === ValueType.ARRAY) {
      out.u32(value.itemType);
      out.u64(value.items.length);
      for (const item of value.items) out.scalar(value.itemType, item);
    } else {
      out.scalar(value.type, value.value);
    }
  }
  let offset = 0;
  const laid: TensorInfo[] = [];
  for (const t of tensors) {
    laid.push({ ...t, offset });
    offset = alignUp(offset + tensorBytes(t.dims, t.type), alignment);
  }
  for (const t of laid) {
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(t.type);
    out.u64(t.offset);
  }
  while (out.length % alignment !== 0) out.u8(0);
  return { header: out.bytes(), tensors: laid, alignment, dataBytes: offset };
}

/** Zero bytes to write after a tensor so that the next one starts aligned. */
export function paddingAfter(tensor: Pick<TensorInfo, 'dims' | 'type'>, alignment: number): number {
  const n = tensorBytes(tensor.dims, tensor.type);
  return alignUp(n, alignment) - n;
}
