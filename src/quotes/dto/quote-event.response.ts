import { ApiProperty } from '@nestjs/swagger';

import { QUOTE_EVENT_ACTIONS, type QuoteEvent } from '../../database/entities';
import { API_QUOTE_STATUSES } from '../quote-status';

/** One step of a quote's history. */
export class QuoteEventResponse {
  id: number;
  @ApiProperty({ enum: QUOTE_EVENT_ACTIONS })
  action: string;
  /** The user (shop account) who took the step. */
  actor: number;
  @ApiProperty({ type: String, enum: API_QUOTE_STATUSES, nullable: true, description: 'The status before (null for the creation)' })
  from: string | null;
  @ApiProperty({ enum: API_QUOTE_STATUSES, description: 'The status after' })
  to: string;
  /** The fields an edit changed (empty for other steps). */
  fields: string[];
  at: Date;
}

export class QuoteEventPageResponse {
  items: QuoteEventResponse[];
  total: number;
  limit: number;
  offset: number;
}

export function toQuoteEventResponse(event: QuoteEvent): QuoteEventResponse {
  return {
    id: event.id,
    action: event.action,
    actor: event.actorId,
    from: event.fromStatus,
    to: event.toStatus,
    fields: event.fields,
    at: event.at,
  };
}
