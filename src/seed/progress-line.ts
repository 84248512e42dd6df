import type { LoadProgress } from '../price-loads/price-load.service';

export function describeProgress(progress: LoadProgress): string {
  return `Reading ${progress.file} (file ${progress.fileNumber} of ${progress.fileCount}): ${progress.records} records; ${progress.runRecords} records, ${progress.runRejects} rejected so far`;
}

/** The part of a stream the progress line needs (process.stderr in the command). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const CLEAR_LINE = '\r\x1b[2K';

/**
 * One self-overwriting line on a terminal. Short runs stay quiet: nothing is drawn before `quietForMs`, nothing
 * at all when the stream is not a terminal (a log file or a pipe gets only the report), and redraws are spaced
 * by `redrawEveryMs`.
 */
export class ProgressLine {
  private readonly startedAt: number;
  private lastDrawnAt: number | null = null;

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
    private readonly quietForMs = 2000,
    private readonly redrawEveryMs = 250,
  ) {
    this.startedAt = now();
  }

  update(text: string): void {
    if (!this.stream.isTTY) return;
    const now = this.now();
    if (now - this.startedAt < this.quietForMs) return;
    if (this.lastDrawnAt !== null && now - this.lastDrawnAt < this.redrawEveryMs) return;
    this.stream.write(CLEAR_LINE + text);
    this.lastDrawnAt = now;
  }

  /** Removes the line, so that the report starts on a clean line. */
  clear(): void {
    if (this.lastDrawnAt !== null) this.stream.write(CLEAR_LINE);
  }
}
