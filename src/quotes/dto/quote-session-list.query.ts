import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { PageQuery } from '../../common/page.query';
import { QUOTE_SESSION_STATUSES, type QuoteSessionStatus } from '../../common/reference-data';

/** `GET /api/quote-sessions`: newest first, of one status or all. */
export class QuoteSessionListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: QUOTE_SESSION_STATUSES })
  @IsOptional()
  @IsIn(QUOTE_SESSION_STATUSES)
  status?: QuoteSessionStatus;
}
