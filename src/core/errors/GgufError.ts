/**
 * A GGUF file that cannot be read as one: wrong magic, an unknown value type, a field that runs past
 * the end of the bytes given. Pure (no Node, no k6). The byte offset is a field, so a caller can
 * point at the place in the file (`xxd -s OFFSET`).
 */
import { ToolkitError } from './ToolkitError.js';
export class GgufError extends ToolkitError {
  override readonly name = 'GgufError';
  /** Where the bytes came from: a file path. */
  readonly source: string;
  /** Byte offset of the problem in the file. */
  readonly offset: number;
  readonly expected: string;
  readonly found: string;

  constructor(source: string, offset: number, expected: string, found: string) {
    super(`${source}: at byte ${offset}: expected ${expected}, found ${found}`);
    this.source = source;
    this.offset = offset;
    this.expected = expected;
    this.found = found;
  }
}
