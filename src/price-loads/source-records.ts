import type { PriceTerms } from './canonical-records';

/** One record of a source file, the line it starts on where the format has lines that matter (CSV), or why it is refused whole. */
export interface SourceRecord {
  value: unknown;
  line?: number;
  problem?: string;
}

/** How a file writes numbers given as text, and dates. */
export type FileTerms = Pick<PriceTerms, 'decimalStyles' | 'dateFormats'>;

/** The records of a file, read as they are needed, with the file's terms and warnings; or why the file cannot be read at all. */
export type SourceFileContent = { records: AsyncIterable<SourceRecord>; terms: FileTerms; warnings: string[] } | { problem: string };

/** A file that turned out unreadable part-way (a CSV quote never closed): its message completes "<file> …". */
export class SourceFileError extends Error {
  override readonly name = 'SourceFileError';
}
