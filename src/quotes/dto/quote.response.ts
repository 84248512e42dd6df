import { ApiProperty } from '@nestjs/swagger';

import type { Quote } from '../../database/entities';

export class QuoteResponse {
  id: number;
  quote_number: string;
  user_id: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) session_id: string | null;
  job_type: string | null;
  /** @example draft */
  status: string | null;
  project_description: string | null;
  notes: string | null;
  inputs_json: Record<string, unknown>;
  outputs_json: Record<string, unknown>;
  selected_markup_pct: number;
  pdf_url: string | null;
  created_at: Date | null;
  updated_at: Date | null;
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
    // DECISION: the API speaks lower-case like every other enum-like field; the column keeps the v1 enum names.
    status: quote.status?.toLowerCase() ?? null,
    project_description: quote.projectDescription,
    notes: quote.notes,
    inputs_json: quote.inputsJson,
    outputs_json: quote.outputsJson,
    selected_markup_pct: quote.selectedMarkupPct,
    pdf_url: quote.pdfUrl,
    created_at: quote.createdAt,
    updated_at: quote.updatedAt,
  };
}
