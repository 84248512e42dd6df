import type { Readable } from 'node:stream';
import { promisify } from 'node:util';

import type { Entry, Options, ZipFile } from 'yauzl';

/** Parts a workbook may hold; a real price workbook has a few dozen. */
const WORKBOOK_MAX_ENTRIES = 10_000;
const LOCAL_HEADER_BYTES = 30;
const DATA_DESCRIPTOR_FLAG = 0x8;
/** A data descriptor: 12 to 24 bytes (signature optional, zip64 sizes); too short to hide a local header (30 bytes). */
const DATA_DESCRIPTOR_MAX_BYTES = 24;

/**
 * Checked from the central directory before the reader sees it: the declared sizes within the bound, and the parts back
 * to back (the archive reads the same by its local headers as by its directory). The reading goes through yauzl, which
 * refuses a part that inflates beyond its declared size, so the bound holds without inflating anything here.
 */
export async function workbookArchiveProblem(path: string, maxUncompressedBytes: number): Promise<string | null> {
  let zip: ZipFile;
  try {
    zip = await openArchive(path);
  } catch (error) {
    return `is not an .xlsx workbook (${(error as Error).message})`;
  }
  try {
    if (zip.entryCount > WORKBOOK_MAX_ENTRIES) return `holds ${zip.entryCount} parts, more than a workbook has (${WORKBOOK_MAX_ENTRIES})`;
    const directoryOffset = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
    const entries = await entriesOf(zip);
    const declared = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
    const tooBig = `unpacks to more than ${(maxUncompressedBytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} MiB (XLSX_MAX_UNCOMPRESSED_BYTES)`;
    if (declared > maxUncompressedBytes) return tooBig;
    const notContiguous = 'is not an .xlsx workbook (its parts do not follow one another)';
    let end = { offset: 0, descriptor: false };
    for (const entry of [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader)) {
      if (!follows(end, entry.relativeOffsetOfLocalHeader)) return notContiguous;
      const header = await promisify<Entry, { minimal: boolean }, { fileDataStart: number }>(zip.readLocalFileHeader.bind(zip))(entry, {
        minimal: true,
      });
      if (header.fileDataStart < entry.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES) return notContiguous;
      end = { offset: header.fileDataStart + entry.compressedSize, descriptor: (entry.generalPurposeBitFlag & DATA_DESCRIPTOR_FLAG) !== 0 };
    }
    return follows(end, directoryOffset) ? null : notContiguous;
  } catch (error) {
    return `is not an .xlsx workbook (${(error as Error).message})`;
  } finally {
    zip.close();
  }
}

function follows(end: { offset: number; descriptor: boolean }, offset: number): boolean {
  const gap = offset - end.offset;
  return gap === 0 || (end.descriptor && gap > 0 && gap <= DATA_DESCRIPTOR_MAX_BYTES);
}

/** The archive opened for reading its parts in any order; parts that inflate beyond their declared size fail. */
export async function openArchive(path: string): Promise<ZipFile> {
  const { default: yauzl } = await import('yauzl');
  return promisify<string, Options, ZipFile>(yauzl.open)(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
}

export function openPart(zip: ZipFile, entry: Entry): Promise<Readable> {
  return promisify<Entry, Readable>(zip.openReadStream.bind(zip))(entry);
}

export function entriesOf(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}
