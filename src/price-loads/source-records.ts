import type { PriceTerms } from './canonical-records';

export interface SourceRecord {
  value: unknown;
  line?: number;
  problem?: string;
}

export type FileTerms = Pick<PriceTerms, 'decimalStyles' | 'dateFormats'>;

export type SourceFileContent = { records: AsyncIterable<SourceRecord>; terms: FileTerms; warnings: string[] } | { problem: string };

/** A file that turned out unreadable part-way (a CSV quote never closed): its message completes "<file> …". */
export class SourceFileError extends Error {
  override readonly name = 'SourceFileError';
}
