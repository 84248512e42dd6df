import type { QuoteStatus } from '../database/entities';

/** The column keeps the v1 enum names. */
export const API_QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined'] as const;
export type ApiQuoteStatus = (typeof API_QUOTE_STATUSES)[number];

export const QUOTE_MOVES = ['send', 'accept', 'decline', 'reopen'] as const;
export type QuoteMove = (typeof QUOTE_MOVES)[number];

export const MOVE_RULES: Record<QuoteMove, { from: readonly QuoteStatus[]; to: QuoteStatus }> = {
  send: { from: ['DRAFT'], to: 'SENT' },
  accept: { from: ['SENT'], to: 'ACCEPTED' },
  decline: { from: ['SENT'], to: 'DECLINED' },
  reopen: { from: ['SENT', 'DECLINED'], to: 'DRAFT' },
};

export function apiStatus(status: QuoteStatus | null): ApiQuoteStatus | null {
  return status === null ? null : (status.toLowerCase() as ApiQuoteStatus);
}

export function movesFrom(status: QuoteStatus | null): QuoteMove[] {
  return QUOTE_MOVES.filter((move) => status !== null && MOVE_RULES[move].from.includes(status));
}
