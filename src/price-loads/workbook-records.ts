import { isMainThread } from 'node:worker_threads';

import type { CellValue, stream } from 'exceljs';

import { cutText, listQuoted, quoteInput } from '../common/quoted-input';
import { createScratchFolder, emptyFolder } from '../common/scratch-folders';
import { TABLE_DATE_FORMATS } from './csv-records';
import { type SourceFileContent, SourceFileError, type SourceRecord } from './source-records';
import { readHeader, recordOfRow, type TableHeader, unusedColumnsWarning } from './table-columns';
import { workbookArchiveProblem } from './workbook-archive';

/** The reader's own messages quote what it stopped on; they are cut after this many characters. */
const READER_MESSAGE_MAX_LENGTH = 300;

export async function readWorkbookFile(path: string, maxUncompressedBytes: number): Promise<SourceFileContent> {
  const problem = await workbookArchiveProblem(path, maxUncompressedBytes);
  if (problem !== null) return { problem };
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const warnings: string[] = [];
  return {
    records: inScratchFolder(workbookRecords(reader, warnings)),
    terms: { decimalStyles: ['point', 'comma'], dateFormats: TABLE_DATE_FORMATS },
    warnings,
  };
}

async function* workbookRecords(reader: stream.xlsx.WorkbookReader, warnings: string[]): AsyncGenerator<SourceRecord> {
  const skipped: string[] = [];
  let firstProblem: string | null = null;
  let usableSheets = 0;
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      let header: TableHeader | null = null;
      let skipping = false;
      // A sheet is read to its end even when skipped: the next one follows it in the same stream.
      for await (const row of sheet) {
        if (skipping) continue;
        const cells = (row.values as CellValue[]).slice(1).map(cellValue);
        if (header === null) {
          if (cells.every((cell) => cell === '')) continue;
          const read = readHeader(cells.map(String));
          if ('problem' in read) {
            firstProblem ??= `sheet ${quoteInput(name)} ${read.problem}`;
            skipping = true;
            continue;
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

let threadScratchFolder: Promise<string> | undefined;
let readingsInFlight = 0;

/**
 * DECISION: exceljs parks a sheet that precedes its shared strings in a `tmp` file, which takes no folder but TMPDIR
 * and stays until the process exits when a reading stops early: so each reading thread has a scratch TMPDIR of its
 * own, emptied when idle, removed when the thread ends, swept at the next start after a kill.
 */
async function* inScratchFolder(records: AsyncGenerator<SourceRecord>): AsyncGenerator<SourceRecord> {
  if (isMainThread) {
    yield* records;
    return;
  }
  threadScratchFolder ??= createScratchFolder().then((folder) => (process.env.TMPDIR = folder));
  const folder = await threadScratchFolder;
  readingsInFlight += 1;
  try {
    yield* records;
  } finally {
    readingsInFlight -= 1;
    if (readingsInFlight === 0) await emptyFolder(folder);
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
