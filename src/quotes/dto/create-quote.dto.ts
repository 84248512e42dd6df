import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

import { JOB_TYPES, type JobType } from '../../common/reference-data';

/** The owner and the quote number are never taken from the body: unknown fields such as user_id are a 400. */
export class CreateQuoteDto {
  @IsIn(JOB_TYPES)
  job_type: JobType;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  project_description?: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  notes?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A quote session of the caller' })
  @IsOptional()
  @IsUUID()
  session_id?: string;

  @IsOptional()
  @IsObject()
  inputs_json?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  outputs_json?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: "Defaults to the shop's markup_default" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  selected_markup_pct?: number;
}
