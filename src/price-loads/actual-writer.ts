import type { SqlClient } from '../database/sql-client';
import type { QuotesRepository } from '../quotes/quotes.repository';
import type { LaborActual } from './canonical-records';
import type { HistoricalActualsRepository } from './historical-actuals.repository';
import type { RecordPlace } from './readers';

/** Rows per statement: round trips stay rare even to a distant server, and a statement stays near a megabyte. */
export const WRITE_BATCH_SIZE = 5000;

export interface ActualCounts {
  loaded: number;
  alreadyCurrent: number;
  rejected: { place: RecordPlace; reason: string }[];
}

interface PlacedActual {
  actual: LaborActual;
  place: RecordPlace;
}

/** A later record of the same invoice replaces an earlier one, as re-loading an invoice updates it. */
export class ActualWriter {
  private readonly byIdentity = new Map<string, PlacedActual>();

  constructor(
    private readonly historicalActuals: HistoricalActualsRepository,
    private readonly quotes: QuotesRepository,
    private readonly sql: SqlClient,
    private readonly shopId: number | null,
  ) {}

  add(actual: LaborActual, place: RecordPlace): void {
    const identity = actual.invoiceNumber !== null ? `invoice:${actual.invoiceNumber}` : `quote:${actual.quoteId}`;
    this.byIdentity.set(identity, { actual, place });
  }

  async finish(): Promise<ActualCounts> {
    const rejected = await this.withoutForeignQuotes();
    const actuals = [...this.byIdentity.values()].map(({ actual }) => actual);
    let loaded = 0;
    for (const batch of inBatches(actuals.filter((actual) => actual.invoiceNumber !== null)))
      loaded += await this.historicalActuals.upsertByInvoice(this.sql, this.shopId, batch);
    for (const batch of inBatches(actuals.filter((actual) => actual.invoiceNumber === null)))
      loaded += await this.historicalActuals.upsertByQuote(this.sql, this.shopId, batch);
    return { loaded, alreadyCurrent: actuals.length - loaded, rejected };
  }

  private async withoutForeignQuotes(): Promise<ActualCounts['rejected']> {
    const quoteIds = [...new Set([...this.byIdentity.values()].flatMap(({ actual }) => (actual.quoteId === null ? [] : [actual.quoteId])))];
    if (quoteIds.length === 0) return [];
    const known = await this.quotes.idsInScope(this.sql, quoteIds, this.shopId);
    const rejected: ActualCounts['rejected'] = [];
    for (const [identity, { actual, place }] of this.byIdentity) {
      if (actual.quoteId === null || known.has(actual.quoteId)) continue;
      this.byIdentity.delete(identity);
      rejected.push({
        place,
        reason: `quote_id ${actual.quoteId} is not a quote of ${this.shopId === null ? 'the shared baseline' : 'this shop'}`,
      });
    }
    return rejected;
  }
}

export function* inBatches<T>(items: T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += WRITE_BATCH_SIZE) yield items.slice(start, start + WRITE_BATCH_SIZE);
}
