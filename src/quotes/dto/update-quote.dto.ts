import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsUrl, MaxLength } from 'class-validator';

import { CreateQuoteDto } from './create-quote.dto';

/**
 * A partial change of a draft: absent fields stay as they are; null clears project_description, notes, session_id
 * and pdf_url, and is a 400 for the others (NOT_NULL_FIELDS).
 */
export class UpdateQuoteDto extends PartialType(CreateQuoteDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uri',
    maxLength: 2048,
    example: 'https://files.example-shop.com/Q7-00012.pdf',
  })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'pdf_url must be an absolute https URL' })
  @MaxLength(2048)
  pdf_url?: string | null;
}

export const NOT_NULL_FIELDS = ['job_type', 'inputs_json', 'outputs_json', 'selected_markup_pct'] as const;
