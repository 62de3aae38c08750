/**
 * A minimal tar reader for tests: enough to look inside the archives `k6 archive` writes (Go's
 * archive/tar: ustar headers, PAX records for long names, hard links). Each header's checksum is
 * verified, so "parses" also means "is a tar".
 */
export interface TarEntry {
  name: string;
  /** '0' file, '1' hard link, '5' directory, ... */
  type: string;
  linkname: string;
  content: Buffer;
}

function text(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  const t = text(block, start, length).trim();
  return t === '' ? 0 : parseInt(t, 8);
}

function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const len = Number(data.subarray(pos, space).toString());
    if (!Number.isInteger(len) || len <= 0) break;
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

export function readTar(buf: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let pax = new Map<string, string>();
  for (let pos = 0; pos + 512 <= buf.length;) {
    const header = buf.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (sum !== octal(header, 148, 8)) throw new Error(`not a tar: bad header checksum at byte ${pos}`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!) === '\0' ? '0' : String.fromCharCode(header[156]!);
    const content = Buffer.from(buf.subarray(pos + 512, pos + 512 + size));
    pos += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = paxRecords(content);
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const name = pax.get('path') ?? (prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
    entries.push({ name, type, linkname: pax.get('linkpath') ?? text(header, 157, 100), content });
    pax = new Map();
  }
  if (entries.length === 0) throw new Error('not a tar: no entries');
  return entries;
}

/** The content of a file entry, following a hard link to the entry it names. */
export function fileContent(entries: readonly TarEntry[], name: string): Buffer | undefined {
  const e = entries.find((x) => x.name === name);
  if (e === undefined) return undefined;
  return e.type === '1' ? entries.find((x) => x.name === e.linkname)?.content : e.content;
}
