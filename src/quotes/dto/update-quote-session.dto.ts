import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';

import { JOB_TYPES, type JobType } from '../../common/reference-data';

const unlessAbsent = (_: object, value: unknown) => value !== undefined;

/** A partial change of an active session: absent fields stay; photo_urls and params_json are replaced whole. */
export class UpdateQuoteSessionDto {
  /** The pipeline step the client is at: lower-case letters, digits and underscores. */
  @ApiPropertyOptional({ maxLength: 32, pattern: '^[a-z][a-z0-9_]*$', example: 'measurements' })
  @ValidateIf(unlessAbsent)
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'stage must be lower-case letters, digits and underscores, starting with a letter' })
  @MaxLength(32)
  stage?: string;

  @ValidateIf(unlessAbsent)
  @IsObject()
  params_json?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'Absolute https URLs of the photos, at most 50' })
  @ValidateIf(unlessAbsent)
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { each: true, message: 'each photo_urls entry must be an absolute https URL' })
  @MaxLength(2048, { each: true })
  photo_urls?: string[];

  @ApiPropertyOptional({ type: String, enum: JOB_TYPES, nullable: true })
  @IsOptional()
  @IsIn(JOB_TYPES)
  job_type?: JobType | null;
}
