import type { ImportFileFormat } from '../../database/entities';
import { LoadReportResponse } from '../../price-loads/load-report.response';

export class UploadedFileResponse {
  /** @example prices.csv */
  name: string;
  format: ImportFileFormat;
  /** Size as received */
  bytes: number;
  /**
   * SHA-256 of the file as received, hex
   * @example 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
   */
  sha256: string;
  /** Records read from the file */
  records: number;
}

/** One import: what was uploaded, and the report it was answered with. */
export class PriceImportResponse extends LoadReportResponse {
  id: number;
  created_at: Date;
  uploaded_files: UploadedFileResponse[];
}

export class PriceImportCountsResponse {
  /** Records read from every file */
  records: number;
  prices_loaded: number;
  prices_already_current: number;
  new_observations: number;
  actuals_loaded: number;
  rejected: number;
  ignored: number;
  warnings: number;
}

/** An import as the list shows it: its files and counts, without the report. */
export class PriceImportSummaryResponse {
  id: number;
  created_at: Date;
  dry_run: boolean;
  uploaded_files: UploadedFileResponse[];
  counts: PriceImportCountsResponse;
}

export class PriceImportPageResponse {
  items: PriceImportSummaryResponse[];
  total: number;
  limit: number;
  offset: number;
}
