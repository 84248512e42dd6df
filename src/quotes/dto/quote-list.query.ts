import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { PageQuery } from '../../common/page.query';
import { JOB_TYPES, type JobType } from '../../common/reference-data';
import { API_QUOTE_STATUSES, type ApiQuoteStatus } from '../quote-status';
import { QUOTE_SORTS, type QuoteSort } from '../quotes.repository';

/** `GET /api/quotes`: filters, order and page. */
export class QuoteListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: API_QUOTE_STATUSES })
  @IsOptional()
  @IsIn(API_QUOTE_STATUSES)
  status?: ApiQuoteStatus;

  @ApiPropertyOptional({ enum: JOB_TYPES })
  @IsOptional()
  @IsIn(JOB_TYPES)
  job_type?: JobType;

  /** Quotes created at or after this instant (ISO 8601). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true })
  created_from?: string;

  /** Quotes created at or before this instant (ISO 8601). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true })
  created_to?: string;

  /** A quote number, or words that must all appear in the project description (case-insensitive). */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  /** true: only archived quotes; false (the default): only the others. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => ({ true: true, false: false })[String(value)] ?? value)
  @IsBoolean()
  archived: boolean = false;

  @ApiPropertyOptional({ enum: QUOTE_SORTS, default: '-created_at', description: 'A field, `-` before it for descending' })
  @IsOptional()
  @IsIn(QUOTE_SORTS)
  sort: QuoteSort = '-created_at';
}
