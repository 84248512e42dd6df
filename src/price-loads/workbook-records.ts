import type { Readable } from 'node:stream';

import type { CellValue, Row, stream } from 'exceljs';

import { cutText, listQuoted, quoteInput } from '../common/quoted-input';
import { TABLE_DATE_FORMATS } from './csv-records';
import { type SourceFileContent, SourceFileError, type SourceRecord } from './source-records';
import { readHeader, recordOfRow, type TableHeader, unusedColumnsWarning } from './table-columns';
import { entriesOf, openArchive, openPart, workbookArchiveProblem } from './workbook-archive';

/** The reader's own messages quote what it stopped on; they are cut after this many characters. */
const READER_MESSAGE_MAX_LENGTH = 300;

export async function readWorkbookFile(path: string, maxUncompressedBytes: number): Promise<SourceFileContent> {
  const problem = await workbookArchiveProblem(path, maxUncompressedBytes);
  if (problem !== null) return { problem };
  const warnings: string[] = [];
  return {
    records: workbookRecords(path, warnings),
    terms: { decimalStyles: ['point', 'comma'], dateFormats: TABLE_DATE_FORMATS },
    warnings,
  };
}

async function* workbookRecords(path: string, warnings: string[]): AsyncGenerator<SourceRecord> {
  const skipped: string[] = [];
  let firstProblem: string | null = null;
  let usableSheets = 0;
  try {
    for await (const { name, rows } of workbookSheets(path)) {
      let header: TableHeader | null = null;
      for await (const row of rows) {
        const cells = (row.values as CellValue[]).slice(1).map(cellValue);
        if (header === null) {
          if (cells.every((cell) => cell === '')) continue;
          const read = readHeader(cells.map(String));
          if ('problem' in read) {
            firstProblem ??= `sheet ${quoteInput(name)} ${read.problem}`;
            break;
          }
          header = read;
          usableSheets += 1;
          const unused = unusedColumnsWarning(header);
          if (unused !== null) warnings.push(`sheet ${quoteInput(name)}: ${unused}`);
          continue;
        }
        yield { value: recordOfRow(cells, header), line: row.number };
      }
      if (header === null) skipped.push(name);
    }
  } catch (error) {
    throw new SourceFileError(`is not a readable .xlsx workbook: ${cutText((error as Error).message, READER_MESSAGE_MAX_LENGTH)}`);
  }
  if (usableSheets === 0) throw new SourceFileError(firstProblem ?? 'has no sheet with a header row');
  if (skipped.length > 0) warnings.push(`the sheets ${listQuoted(skipped)} have no usable header row and were skipped`);
}

/** What this reading calls of exceljs's streaming reader: its readers of one part each, never its own pass over the archive. */
interface WorkbookPartReaders {
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<never>;
  _parseStyles(part: Readable): Promise<void>;
  _parseWorksheet(part: Readable, sheetNumber: string): Generator<{ value: stream.xlsx.WorksheetReader }>;
}

const WORKSHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * DECISION: exceljs's WorkbookReader passes over the archive once, in the order of its parts, and its pass (unzipper's
 * Parse under exceljs's iterateStream) ends as soon as the archive's last byte is parsed, dropping the parts not yet
 * taken: the workbook part that names the sheets (then "Cannot read properties of undefined (reading 'sheets')"), or
 * whole sheets, at random; and a sheet before the workbook part is read before its name is known. So the parts are
 * taken here through the archive's central directory, in the order the reading needs them (relationships, workbook,
 * shared strings, styles, then the sheets in the workbook's order), and handed one at a time to exceljs's readers of
 * single parts (underscored in exceljs: test/workbook-records.unit.spec.ts holds them to their behaviour); a sheet is
 * never parked in a temporary file.
 */
async function* workbookSheets(path: string): AsyncGenerator<{ name: string; rows: AsyncIterable<Row> }> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as WorkbookPartReaders;
  const zip = await openArchive(path);
  const opened: Readable[] = [];
  try {
    const entries = new Map((await entriesOf(zip)).map((entry) => [entry.fileName, entry]));
    const part = async (name: string): Promise<Readable | null> => {
      const entry = entries.get(name);
      if (entry === undefined) return null;
      const stream = await openPart(zip, entry);
      opened.push(stream);
      return stream;
    };
    const relationships = await part('xl/_rels/workbook.xml.rels');
    if (relationships !== null) await reader._parseRels(relationships);
    const workbook = await part('xl/workbook.xml');
    if (workbook === null) throw new Error('it has no xl/workbook.xml');
    await reader._parseWorkbook(workbook);
    const sharedStrings = await part('xl/sharedStrings.xml');
    // Cached, the shared strings are kept on the reader and nothing is yielded.
    if (sharedStrings !== null) for await (const _ of reader._parseSharedStrings(sharedStrings));
    const styles = await part('xl/styles.xml');
    if (styles !== null) await reader._parseStyles(styles);
    for (const sheet of reader.model?.sheets ?? []) {
      const target = reader.workbookRels?.find((relationship) => relationship.Id === sheet.rId)?.Target ?? '';
      const partName = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      const sheetNumber = WORKSHEET_PART.exec(partName)?.[1];
      if (sheetNumber === undefined) continue;
      const rows = await part(partName);
      if (rows !== null) for (const { value } of reader._parseWorksheet(rows, sheetNumber)) yield { name: sheet.name, rows: value };
    }
  } finally {
    for (const stream of opened) stream.destroy();
    zip.close();
  }
}

function cellValue(value: CellValue): unknown {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if ('result' in value) return cellValue(value.result);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return cellValue(value.text);
  if ('error' in value) return value.error;
  return '';
}
