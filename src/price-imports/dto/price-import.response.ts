import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { IMPORT_FILE_FORMATS, type ImportFileFormat, PRICE_UNITS, type PriceUnit } from '../../database/entities';

const NULLABLE_STRING = { type: String, nullable: true } as const;

export class ReportMappingsResponse {
  @ApiProperty({ description: 'The mapping file applied first (mappings.json of the upload)' }) file: string;
  @ApiProperty() entries: number;
}

export class ReportFileResponse {
  @ApiProperty({ example: 'osorio_prices.csv' }) file: string;
  @ApiProperty({ ...NULLABLE_STRING, description: 'Why the file could not be read at all' }) problem: string | null;
  @ApiProperty() records: number;
  @ApiProperty({ type: [String], example: ['material price'], description: 'The shapes its records were recognised as' }) shapes: string[];
  @ApiProperty() accepted: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ description: "Skipped by the owner's ignore list" }) ignored: number;
  @ApiProperty({ description: 'Records identical to an earlier record of the file, stored once' }) exact_duplicates: number;
}

class MaterialPriceCountsResponse {
  @ApiProperty({ description: 'Current prices set (new, or replaced by a better one)' }) loaded: number;
  @ApiProperty({ description: 'Materials, suppliers and units whose stored current price stays' }) already_current: number;
  @ApiProperty({ description: 'Observations the history did not hold yet' }) new_observations: number;
  @ApiProperty({ description: 'Prices read' }) read: number;
  @ApiProperty() ignored: number;
}

class LaborActualCountsResponse {
  @ApiProperty() loaded: number;
  @ApiProperty() already_current: number;
}

export class ReportCountsResponse {
  @ApiProperty({ type: MaterialPriceCountsResponse }) material_prices: MaterialPriceCountsResponse;
  @ApiProperty({ type: LaborActualCountsResponse }) labor_actuals: LaborActualCountsResponse;
  @ApiProperty() rejected: number;
  @ApiProperty() warnings: number;
}

export class ReportRejectResponse {
  @ApiProperty() file: string;
  @ApiProperty({ type: Number, nullable: true, description: 'From 1; null for a problem of the whole file' }) record: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The line of a CSV row or of a bill of materials, from 1' }) line:
    number | null;
  @ApiProperty({ ...NULLABLE_STRING, description: 'The field the description was read from' }) field: string | null;
  @ApiProperty({ ...NULLABLE_STRING, description: "The supplier's description of the item" }) description: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: '2.4942 per foot' }) price: string | null;
  @ApiProperty({ ...NULLABLE_STRING }) date: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ materials: { 'Flat Bar 1/2" x': '<material key>' } }, { ignore: ['Flat Bar 1/2" x'] }],
    description: 'Mapping entries that would fix the reject, ready to paste into the mapping document',
  })
  fixes: ({ materials: Record<string, string> } | { ignore: string[] })[];
}

export class ReportWarningResponse {
  @ApiProperty({ enum: ['undated_current', 'same_day_conflict', 'unknown_key_family', 'supplier_look_alike', 'outlier'] }) kind: string;
  @ApiProperty({ description: 'One line for the owner' }) message: string;
  @ApiPropertyOptional() material_type?: string;
  @ApiPropertyOptional({ ...NULLABLE_STRING }) supplier?: string | null;
  @ApiPropertyOptional({ enum: PRICE_UNITS }) unit?: PriceUnit;
  @ApiPropertyOptional() date?: string;
  @ApiPropertyOptional({ type: [Number] }) prices?: number[];
  @ApiPropertyOptional() median?: number;
  @ApiPropertyOptional({ type: [String] }) records?: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The supplier alias that would merge two look-alike names',
  })
  alias?: Record<string, string>;
}

class PriceStateResponse {
  @ApiProperty() price: number;
  @ApiProperty({ ...NULLABLE_STRING, format: 'date' }) price_date: string | null;
}

export class ReportChangeResponse {
  @ApiProperty() material_type: string;
  @ApiProperty({ ...NULLABLE_STRING }) supplier: string | null;
  @ApiProperty({ enum: PRICE_UNITS }) unit: PriceUnit;
  @ApiProperty({ type: PriceStateResponse, nullable: true, description: 'null: no current price before' }) old: PriceStateResponse | null;
  @ApiProperty({ type: PriceStateResponse }) new: PriceStateResponse;
}

/** The report of a load, in the shape the seeder's `--report FILE` writes. */
export class LoadReportResponse {
  @ApiProperty({ description: 'A preview: nothing was written' }) dry_run: boolean;
  @ApiProperty({ enum: ['baseline', 'shop'] }) scope: string;
  @ApiProperty({ ...NULLABLE_STRING, description: "The shop's email" }) shop: string | null;
  @ApiProperty({ ...NULLABLE_STRING, description: 'The folder the seeder read; null for an upload' }) directory: string | null;
  @ApiProperty({ type: ReportMappingsResponse, nullable: true }) mappings: ReportMappingsResponse | null;
  @ApiProperty({ ...NULLABLE_STRING }) nothing_to_load: string | null;
  @ApiProperty({ type: [String] }) ignored_files: string[];
  @ApiProperty({ type: [ReportFileResponse] }) files: ReportFileResponse[];
  @ApiProperty({ type: ReportCountsResponse }) counts: ReportCountsResponse;
  @ApiProperty({ type: [ReportRejectResponse] }) rejects: ReportRejectResponse[];
  @ApiProperty({ type: [ReportWarningResponse] }) warnings: ReportWarningResponse[];
  @ApiProperty({ type: [ReportChangeResponse], description: 'Current prices set: old -> new' }) changes: ReportChangeResponse[];
}

export class UploadedFileResponse {
  @ApiProperty({ example: 'prices.csv' }) name: string;
  @ApiProperty({ enum: IMPORT_FILE_FORMATS }) format: ImportFileFormat;
  @ApiProperty({ description: 'Size as received' }) bytes: number;
  @ApiProperty({
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    description: 'SHA-256 of the file as received, hex',
  })
  sha256: string;
  @ApiProperty({ description: 'Records read from the file' }) records: number;
}

/** One import: what was uploaded, and the report it was answered with. */
export class PriceImportResponse extends LoadReportResponse {
  @ApiProperty() id: number;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: Date;
  @ApiProperty({ type: [UploadedFileResponse] }) uploaded_files: UploadedFileResponse[];
}

export class PriceImportCountsResponse {
  @ApiProperty({ description: 'Records read from every file' }) records: number;
  @ApiProperty() prices_loaded: number;
  @ApiProperty() prices_already_current: number;
  @ApiProperty() new_observations: number;
  @ApiProperty() actuals_loaded: number;
  @ApiProperty() rejected: number;
  @ApiProperty() ignored: number;
  @ApiProperty() warnings: number;
}

/** An import as the list shows it: its files and counts, without the report. */
export class PriceImportSummaryResponse {
  @ApiProperty() id: number;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: Date;
  @ApiProperty() dry_run: boolean;
  @ApiProperty({ type: [UploadedFileResponse] }) uploaded_files: UploadedFileResponse[];
  @ApiProperty({ type: PriceImportCountsResponse }) counts: PriceImportCountsResponse;
}

export class PriceImportPageResponse {
  @ApiProperty({ type: [PriceImportSummaryResponse] }) items: PriceImportSummaryResponse[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
