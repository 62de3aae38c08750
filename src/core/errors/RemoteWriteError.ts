/**
 * A body k6's remote-write output sent that cannot be read as snappy + protobuf: a truncated varint,
 * a length or a snappy copy that runs outside the bytes, an unknown wire type. Pure (no Node, no k6).
 * The byte offset is a field, so a caller can point at the place in the body (`xxd -s OFFSET`); snappy
 * errors count bytes of the compressed body, protobuf errors bytes of the decompressed WriteRequest.
 */
import { ToolkitError } from './ToolkitError.js';
export class RemoteWriteError extends ToolkitError {
  override readonly name = 'RemoteWriteError';
  /** Byte offset of the problem in the bytes being decoded. */
  readonly offset: number;
  readonly expected: string;
  readonly found: string;

  constructor(offset: number, expected: string, found: string) {
    super(`remote-write body: at byte ${offset}: expected ${expected}, found ${found}`);
    this.offset = offset;
    this.expected = expected;
    this.found = found;
  }
}
