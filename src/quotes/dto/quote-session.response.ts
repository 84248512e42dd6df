import { ApiProperty } from '@nestjs/swagger';

import { QUOTE_SESSION_STATUSES } from '../../common/reference-data';
import type { QuoteSession } from '../../database/entities';

export class QuoteSessionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  user_id: number;
  job_type: string | null;
  /** @example intake */
  stage: string;
  params_json: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: {} }) messages_json: unknown[];
  photo_urls: string[];
  @ApiProperty({ enum: QUOTE_SESSION_STATUSES }) status: string;
  created_at: Date;
  updated_at: Date;
  /** Grows by one with every change; the ETag of single-session answers, for If-Match. */
  version: number;
}

export class QuoteSessionPageResponse {
  items: QuoteSessionResponse[];
  total: number;
  limit: number;
  offset: number;
}

export function toQuoteSessionResponse(session: QuoteSession): QuoteSessionResponse {
  return {
    id: session.id,
    user_id: session.userId,
    job_type: session.jobType,
    stage: session.stage,
    params_json: session.paramsJson,
    messages_json: session.messagesJson,
    photo_urls: session.photoUrls,
    status: session.status,
    created_at: session.createdAt,
    updated_at: session.updatedAt,
    version: session.version,
  };
}
