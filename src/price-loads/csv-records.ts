import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

import { type Info, parse } from 'csv-parse';

import { cutText } from '../common/quoted-input';
import type { DecimalStyle } from './amounts';
import type { DateFormat } from './dates';
import { type SourceFileContent, SourceFileError, type SourceRecord } from './source-records';
import { readHeader, recordOfRow, type TableHeader, unusedColumnsWarning } from './table-columns';

const HEADER_PROBE_BYTES = 64 * 1024;
/** csv-parse quotes the field it stopped in, whatever its length; its message is cut after this many characters. */
const PARSER_MESSAGE_MAX_LENGTH = 300;

/** A `;` file is a European spreadsheet's export (decimal commas, `.` thousands); a `,` file writes decimal points. */
const SEPARATORS: readonly { separator: string; decimalStyles: DecimalStyle[] }[] = [
  { separator: ',', decimalStyles: ['point'] },
  { separator: ';', decimalStyles: ['comma'] },
  { separator: '\t', decimalStyles: ['point', 'comma'] },
  { separator: '|', decimalStyles: ['point', 'comma'] },
];

export const TABLE_DATE_FORMATS: readonly DateFormat[] = ['iso', 'month/day/year', 'day.month.year'];

export async function readCsvFile(path: string): Promise<SourceFileContent> {
  let headerLine: string;
  try {
    headerLine = await firstLine(path);
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
  const count = (separator: string) => headerLine.split(separator).length;
  const { separator, decimalStyles } = SEPARATORS.reduce((best, candidate) =>
    count(candidate.separator) > count(best.separator) ? candidate : best,
  );
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
  let first: IteratorResult<{ record: string[]; info: Info }>;
  try {
    first = await rows.next();
  } catch (error) {
    close();
    return { problem: `is not valid CSV: ${cutText((error as Error).message, PARSER_MESSAGE_MAX_LENGTH)}` };
  }
  const terms = { decimalStyles, dateFormats: TABLE_DATE_FORMATS };
  if (first.done) {
    close();
    return { records: (async function* () {})(), terms, warnings: [] };
  }
  const header = readHeader(first.value.record);
  if ('problem' in header) {
    close();
    return header;
  }
  const warning = unusedColumnsWarning(header);
  return { records: csvRecords(rows, header, close), terms, warnings: warning === null ? [] : [warning] };
}

async function* csvRecords(
  rows: AsyncIterator<{ record: string[]; info: Info }>,
  header: TableHeader,
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
      yield { value: recordOfRow(row.value.record, header), line: row.value.info.lines };
    }
  } finally {
    close();
  }
}

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
