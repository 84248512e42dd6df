import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

import { type Info, parse } from 'csv-parse';

import { cutText, listQuoted, quoteInput } from '../common/quoted-input';
import { MATERIAL_PRICE_TYPE, PRICE_FIELDS } from './canonical-records';
import { parseDate } from './dates';
import { type SourceFileContent, SourceFileError, type SourceRecord } from './source-records';

/** The columns a price spreadsheet may have: the canonical material price fields (seeding.md). */
export const CSV_COLUMNS = ['material_type', ...PRICE_FIELDS, 'supplier', 'date', 'notes'] as const;

/** How much of a file is read to find its header line and separator. */
const HEADER_PROBE_BYTES = 64 * 1024;
/** csv-parse quotes the field it stopped in, whatever its length; its message is cut after this many characters. */
const PARSER_MESSAGE_MAX_LENGTH = 300;

/**
 * The records of a CSV file with a header row of canonical fields, streamed: the file is never held whole. Read
 * with csv-parse: quoted fields, a UTF-8 byte order mark, CRLF, blank rows and rows of empty cells skipped. The
 * separator is the one the header line uses most, `,` or `;`; a `;` file is a European spreadsheet's export, so
 * its numbers may use a decimal comma (`1.234,56`). Each row becomes a canonical material price record; a problem
 * of one row (a cell too many, a word where a price belongs) rejects that row through the usual validation.
 */
export async function readCsvFile(path: string): Promise<SourceFileContent> {
  let headerLine: string;
  try {
    headerLine = await firstLine(path);
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
  const separator = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const source = createReadStream(path);
  const parser = source.pipe(
    parse({
      bom: true,
      delimiter: separator,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }),
  );
  // Whoever stops reading early (a bad header, a broken row, a load that fails) closes the file with this.
  const close = () => {
    parser.destroy();
    source.destroy();
  };
  const rows = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: Info }>;
  let header: IteratorResult<{ record: string[]; info: Info }>;
  try {
    header = await rows.next();
  } catch (error) {
    close();
    return { problem: `is not valid CSV: ${cutText((error as Error).message, PARSER_MESSAGE_MAX_LENGTH)}` };
  }
  const columns = header.done ? [] : header.value.record.map(columnName);
  const problem = header.done ? null : headerProblem(columns, header.value.record);
  if (header.done || problem !== null) {
    close();
    return problem === null ? { records: (async function* () {})() } : { problem };
  }
  return { records: csvRecords(rows, columns, separator === ';', close) };
}

async function* csvRecords(
  rows: AsyncIterator<{ record: string[]; info: Info }>,
  columns: string[],
  decimalComma: boolean,
  close: () => void,
): AsyncGenerator<SourceRecord> {
  try {
    while (true) {
      let row: IteratorResult<{ record: string[]; info: Info }>;
      try {
        row = await rows.next();
      } catch (error) {
        throw new SourceFileError(
          `is not valid CSV from line ${(error as { lines?: number }).lines ?? '?'} on: ${cutText((error as Error).message, PARSER_MESSAGE_MAX_LENGTH)}`,
        );
      }
      if (row.done) return;
      yield { value: recordOf(row.value.record, columns, decimalComma), line: row.value.info.lines };
    }
  } finally {
    close();
  }
}

/** "Price per Foot" -> price_per_foot. */
function columnName(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function headerProblem(columns: string[], cells: string[]): string | null {
  const known = columns.filter((column) => (CSV_COLUMNS as readonly string[]).includes(column));
  const expected = `the first row must name the columns (${CSV_COLUMNS.join(', ')})`;
  if (known.length === 0) return `has no header row: ${expected}; it reads ${listQuoted(cells)}`;
  const unknown = columns.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0) return `has unknown columns ${listQuoted(unknown)}: ${expected}`;
  const repeated = columns.filter((column, index) => columns.indexOf(column) !== index);
  if (repeated.length > 0) return `names the column ${quoteInput(repeated[0])} twice`;
  if (!columns.includes('material_type')) return `has no material_type column: ${expected}`;
  return null;
}

/**
 * One row as a canonical record: empty cells are absent fields, prices numbers where the cell is one, the date
 * in ISO form where it is a date. Cells past the header's columns become fields the validation rejects by name.
 */
function recordOf(cells: string[], columns: string[], decimalComma: boolean): Record<string, unknown> {
  const record: Record<string, unknown> = { type: MATERIAL_PRICE_TYPE };
  cells.forEach((cell, index) => {
    if (cell === '') return;
    const column = columns[index] ?? `column ${index + 1}`;
    if ((PRICE_FIELDS as readonly string[]).includes(column)) record[column] = numberOf(cell, decimalComma) ?? cell;
    else if (column === 'date') record[column] = isoDateOf(cell) ?? cell;
    else record[column] = cell;
  });
  return record;
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
/** `1,234.56` as a `,` file quotes it; `1.234,56` and `3,45` in a `;` file. */
const GROUPED = { point: /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/, comma: /^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$/ };

/** A price cell as a number; anything else stays text, for the validation to name. */
function numberOf(cell: string, decimalComma: boolean): number | null {
  if (PLAIN_NUMBER.test(cell)) return Number(cell);
  if (decimalComma && GROUPED.comma.test(cell)) return Number(cell.replace(/\./g, '').replace(',', '.'));
  if (!decimalComma && GROUPED.point.test(cell)) return Number(cell.replace(/,/g, ''));
  return null;
}

/**
 * DECISION: a spreadsheet writes dates in its locale's form. ISO, M/D/YYYY (what US spreadsheets and the supplier
 * exports this platform reads write) and D.M.YYYY (dots: only day-first locales write them) are read; D/M/YYYY
 * cannot be told from M/D/YYYY, so it is read as M/D/YYYY, and an impossible month rejects the row.
 */
function isoDateOf(cell: string): string | null {
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(cell);
  const parsed = dotted
    ? parseDate(`${dotted[2]}/${dotted[1]}/${dotted[3]}`, ['month/day/year'])
    : parseDate(cell, ['iso', 'month/day/year']);
  return 'iso' in parsed ? parsed.iso : null;
}

/** The file's first line (its header), without a byte order mark. */
async function firstLine(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_PROBE_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEADER_PROBE_BYTES, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return text.split(/\r?\n/, 1)[0];
  } finally {
    await file.close();
  }
}
