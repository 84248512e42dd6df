import { ApiProperty } from '@nestjs/swagger';

import type { PriceUnit } from '../database/entities';

export const PRICE_WARNING_KINDS = [
  'undated_current',
  'same_day_conflict',
  'unknown_key_family',
  'supplier_look_alike',
  'outlier',
  'ignored_columns',
] as const;

export class ReportMappingsResponse {
  /** The mapping file applied first (mappings.json of the upload) */
  file: string;
  entries: number;
}

export class ReportFileResponse {
  /** @example osorio_prices.csv */
  file: string;
  /** Why the file could not be read at all */
  problem: string | null;
  records: number;
  /**
   * The shapes its records were recognised as
   * @example ['material price']
   */
  shapes: string[];
  accepted: number;
  rejected: number;
  /** Skipped by the owner's ignore list */
  ignored: number;
  /** Records identical to an earlier record of the file, stored once */
  exact_duplicates: number;
}

class MaterialPriceCountsResponse {
  /** Current prices set (new, or replaced by a better one) */
  loaded: number;
  /** Materials, suppliers and units whose stored current price stays */
  already_current: number;
  /** Observations the history did not hold yet */
  new_observations: number;
  /** Prices read */
  read: number;
  ignored: number;
}

class LaborActualCountsResponse {
  loaded: number;
  already_current: number;
}

export class ReportCountsResponse {
  material_prices: MaterialPriceCountsResponse;
  labor_actuals: LaborActualCountsResponse;
  rejected: number;
  warnings: number;
}

export class ReportRejectResponse {
  file: string;
  /** From 1; null for a problem of the whole file */
  record: number | null;
  /** The line of a CSV row or of a bill of materials, from 1 */
  line: number | null;
  /** The field the description was read from */
  field: string | null;
  /** The supplier's description of the item; past 80 characters cut, saying how many more it has (fixes hold it whole) */
  description: string | null;
  /** @example "2.4942 per foot" */
  price: string | null;
  /** The date as the record gave it, cut like the description */
  date: string | null;
  /** Why the record was not loaded; a value it quotes is cut after 80 characters, control characters shown as symbols (␁) */
  reason: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ materials: { 'Flat Bar 1/2" x': '<material key>' } }, { ignore: ['Flat Bar 1/2" x'] }],
    description: 'Mapping entries that would fix the reject, ready to paste into the mapping document',
  })
  fixes: ({ materials: Record<string, string> } | { ignore: string[] })[];
  /**
   * Up to three keys with a price in the shop or the baseline closest to the description (its shape family and sizes), to put in place of the fix's placeholder
   * @example ["flat_bar_4x0.5", "flat_bar_2x0.5"]
   */
  closest_keys: string[];
}

export class ReportWarningResponse {
  @ApiProperty({ enum: PRICE_WARNING_KINDS }) kind: string;
  /** One line for the owner */
  message: string;
  material_type?: string;
  supplier?: string | null;
  unit?: PriceUnit;
  date?: string;
  prices?: number[];
  median?: number;
  records?: string[];
  /** The supplier alias that would merge two look-alike names */
  alias?: Record<string, string>;
}

export class OmittedRejectsResponse {
  /** The reason with its values left out: a quoted text as "…", a number as # */
  reason: string;
  count: number;
}

export class OmittedWarningsResponse {
  @ApiProperty({ enum: PRICE_WARNING_KINDS }) kind: string;
  count: number;
}

class PriceStateResponse {
  price: number;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) price_date: string | null;
}

export class ReportChangeResponse {
  material_type: string;
  supplier: string | null;
  unit: PriceUnit;
  /** null: no current price before */
  old: PriceStateResponse | null;
  new: PriceStateResponse;
}

/** The report of a load, in the shape the seeder's `--report FILE` writes. */
export class LoadReportResponse {
  /** A preview: nothing was written */
  dry_run: boolean;
  @ApiProperty({ enum: ['baseline', 'shop'] }) scope: string;
  /** The shop's email */
  shop: string | null;
  /** The folder the seeder read; null for an upload */
  directory: string | null;
  mappings: ReportMappingsResponse | null;
  nothing_to_load: string | null;
  ignored_files: string[];
  files: ReportFileResponse[];
  counts: ReportCountsResponse;
  /** The first 500 rejects (counts.rejected counts them all) */
  rejects: ReportRejectResponse[];
  /** The rejects not listed, counted by reason, most first */
  rejects_omitted: OmittedRejectsResponse[];
  /** The first 500 warnings */
  warnings: ReportWarningResponse[];
  /** The warnings not listed, counted by kind */
  warnings_omitted: OmittedWarningsResponse[];
  /** Current prices set, old -> new: the first 2,000 */
  changes: ReportChangeResponse[];
  /** Current prices set that are not listed */
  changes_omitted: number;
}
