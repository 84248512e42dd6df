/** One record of a source file, and the line it starts on where the format has lines that matter (CSV). */
export interface SourceRecord {
  value: unknown;
  line?: number;
}

/** The records of a file, read as they are needed, or why the file cannot be read at all. */
export type SourceFileContent = { records: AsyncIterable<SourceRecord> } | { problem: string };

/** A file that turned out unreadable part-way (a CSV quote never closed): its message completes "<file> …". */
export class SourceFileError extends Error {
  override readonly name = 'SourceFileError';
}
