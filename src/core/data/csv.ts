/**
 * What the CSV traces (Azure's, BurstGPT's) share: a row split into its fields, and the header's
 * columns found by name, case and order ignored. Pure.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError } from '../errors/ValidationError.js';
import { fileError, nonBlankLines, type Line } from './lines.js';

/**
 * One CSV row's fields: double quotes group a field and "" inside them is a quote. undefined when a
 * quote is left open.
 */
export function splitCsvRow(row: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (quoted) {
      if (c === '"' && row[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/**
 * Where each of `columns` stands in the header row (names trimmed, case ignored), with every header
 * name; a header missing any is an error naming them.
 */
function csvColumns(
  header: { line: number; text: string },
  columns: readonly string[],
  source: string,
): { names: string[]; index: number[] } {
  const names = (splitCsvRow(header.text) ?? []).map((n) => n.trim().toLowerCase());
  const index = columns.map((c) => names.indexOf(c.toLowerCase()));
  const missing = columns.filter((_, k) => index[k]! < 0);
  if (missing.length > 0)
    throw new ValidationError(source, [
      {
        path: `/line ${header.line}`,
        expected: `a header with the columns ${columns.join(', ')} (missing: ${missing.join(', ')})`,
        found: describeValue(header.text),
      },
    ]);
  return { names, index };
}

/** A trace's rows after its header, and where each of `columns` stands; an empty file or a header alone is an error. */
export function csvTable(
  text: string,
  source: string,
  columns: readonly string[],
): { rows: Line[]; names: string[]; index: number[] } {
  const lines = nonBlankLines(text);
  if (lines.length === 0) throw fileError(source, `a CSV trace with the header ${columns.join(',')}`, 'an empty file');
  const [header, ...rows] = lines as [Line, ...Line[]];
  const { names, index } = csvColumns(header, columns, source);
  if (rows.length === 0) throw fileError(source, 'at least one row after the header', 'the header alone');
  return { rows, names, index };
}

/** A whole number of at least `min`, as a CSV field holds it (spaces around allowed); undefined otherwise. */
export function csvWhole(text: string, min: number): number | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) && Number(t) >= min && Number.isSafeInteger(Number(t)) ? Number(t) : undefined;
}
