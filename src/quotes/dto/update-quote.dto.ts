import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsUrl, MaxLength } from 'class-validator';

import { CreateQuoteDto } from './create-quote.dto';

/**
 * A partial change of a draft: absent fields stay as they are. Only pdf_url takes null (to clear it); null for
 * any other field is a 400, and text is cleared with "".
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
