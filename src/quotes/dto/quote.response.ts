import { ApiProperty } from '@nestjs/swagger';

import type { Quote } from '../../database/entities';
import { API_QUOTE_STATUSES, apiStatus } from '../quote-status';

export class QuoteResponse {
  id: number;
  quote_number: string;
  user_id: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) session_id: string | null;
  job_type: string | null;
  @ApiProperty({ enum: API_QUOTE_STATUSES })
  status: string | null;
  project_description: string | null;
  notes: string | null;
  inputs_json: Record<string, unknown>;
  outputs_json: Record<string, unknown>;
  selected_markup_pct: number;
  pdf_url: string | null;
  created_at: Date | null;
  updated_at: Date | null;
  sent_at: Date | null;
  /** When the customer accepted or declined. */
  decided_at: Date | null;
  /** Set while the quote is archived (DELETE); restore clears it. */
  archived_at: Date | null;
  /** Grows by one with every change; the ETag of single-quote answers, for If-Match. */
  version: number;
}

export class QuotePageResponse {
  items: QuoteResponse[];
  total: number;
  limit: number;
  offset: number;
}

/** Only quotes with an owner reach the API, so user_id is always set here. */
export function toQuoteResponse(quote: Quote): QuoteResponse {
  return {
    id: quote.id,
    quote_number: quote.quoteNumber,
    user_id: quote.userId!,
    session_id: quote.sessionId,
    job_type: quote.jobType,
    status: apiStatus(quote.status),
    project_description: quote.projectDescription,
    notes: quote.notes,
    inputs_json: quote.inputsJson,
    outputs_json: quote.outputsJson,
    selected_markup_pct: quote.selectedMarkupPct,
    pdf_url: quote.pdfUrl,
    created_at: quote.createdAt,
    updated_at: quote.updatedAt,
    sent_at: quote.sentAt,
    decided_at: quote.decidedAt,
    archived_at: quote.archivedAt,
    version: quote.version,
  };
}
