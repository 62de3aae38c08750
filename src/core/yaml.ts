/**
 * A small YAML writer for JSON-shaped values (Kubernetes manifests), in block style. No YAML
 * dependency: the values we write are plain objects, arrays, strings, numbers and booleans, and a
 * JSON string literal is a valid YAML double-quoted scalar, so anything that is not obviously a
 * plain word is written as one. Pure: no Node, no k6.
 */

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/**
 * Words that YAML 1.1 readers (still common: kubectl's go-yaml, PyYAML) resolve to booleans or null.
 * Written plain they would change type, so they are quoted.
 */
const SPECIAL_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', '~']);

/** Letters first, then letters, digits and . _ / - : reads back as the same string in any YAML. */
function isPlainSafe(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._/-]*$/.test(text) && !SPECIAL_WORDS.has(text.toLowerCase());
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`YAML: cannot write the number ${value} (only finite numbers are JSON values)`);
    return String(value);
  }
  return isPlainSafe(value) ? value : JSON.stringify(value);
}

function key(text: string): string {
  return isPlainSafe(text) ? text : JSON.stringify(text);
}

function isScalar(value: YamlValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

/** A collection written inline: empty ones only (`{}` and `[]` have no block form). */
function inlineEmpty(value: YamlValue): string | null {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : null;
  if (value !== null && typeof value === 'object') return Object.keys(value).length === 0 ? '{}' : null;
  return null;
}

function lines(value: YamlValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (isScalar(value)) return [`${pad}${scalar(value)}`];
  const empty = inlineEmpty(value);
  if (empty !== null) return [`${pad}${empty}`];
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) {
      if (isScalar(item) || inlineEmpty(item) !== null) {
        out.push(`${pad}- ${isScalar(item) ? scalar(item) : inlineEmpty(item)}`);
        continue;
      }
      // The item's first line goes after the dash; the rest keep the item's indentation.
      const inner = lines(item, indent + 2);
      out.push(`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1));
    }
    return out;
  }
  for (const [k, v] of Object.entries(value as { readonly [key: string]: YamlValue })) {
    if (isScalar(v)) out.push(`${pad}${key(k)}: ${scalar(v)}`);
    else if (inlineEmpty(v) !== null) out.push(`${pad}${key(k)}: ${inlineEmpty(v)}`);
    else out.push(`${pad}${key(k)}:`, ...lines(v, indent + 2));
  }
  return out;
}

/** One YAML document (no `---`), ending with a newline. */
export function toYaml(value: YamlValue): string {
  return `${lines(value, 0).join('\n')}\n`;
}

/** A multi-document stream: optional leading comment lines, then each document after `---`. */
export function toYamlStream(documents: readonly YamlValue[], comments: readonly string[] = []): string {
  const head = comments
    .flatMap((c) => c.split('\n'))
    .map((c) => `# ${c}`.trimEnd())
    .join('\n');
  const body = documents.map((d) => `---\n${toYaml(d)}`).join('');
  return head === '' ? body : `${head}\n${body}`;
}
