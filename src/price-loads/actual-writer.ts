import type { SqlClient } from '../database/sql-client';
import type { QuotesRepository } from '../quotes/quotes.repository';
import type { LaborActual } from './canonical-records';
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
    for (const [statement, selected] of [
      [UPSERT_INVOICE_ACTUALS, actuals.filter((actual) => actual.invoiceNumber !== null)],
      [UPSERT_QUOTE_ACTUALS, actuals.filter((actual) => actual.invoiceNumber === null)],
    ] as const) {
      for (const batch of inBatches(selected)) {
        loaded += (await this.sql.query<unknown[]>(statement, [this.shopId, JSON.stringify(batch.map(actualRow))])).length;
      }
    }
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

const ACTUAL_COLUMNS = [
  'quote_id',
  'invoice_date',
  'job_type',
  'actual_hours_by_process',
  'total_hours',
  'quoted_hours',
  'shop_rate',
  'actual_material_cost',
  'labor_cost',
  'invoice_total',
  'notes',
  'source_file',
];

/** Inserts new actuals; updates stored ones only where a value differs, so unchanged ones are not returned. */
function upsertActuals(conflictTarget: string): string {
  return `
  INSERT INTO historical_actuals AS existing (shop_id, invoice_number, ${ACTUAL_COLUMNS.join(', ')})
  SELECT $1::integer, a.invoice_number, ${ACTUAL_COLUMNS.map((column) => `a.${column}`).join(', ')}
    FROM jsonb_to_recordset($2::jsonb) AS a(invoice_number varchar, quote_id integer, invoice_date date, job_type varchar,
      actual_hours_by_process jsonb, total_hours float8, quoted_hours float8, shop_rate float8, actual_material_cost float8,
      labor_cost float8, invoice_total float8, notes text, source_file varchar)
  ON CONFLICT ${conflictTarget} DO UPDATE SET ${ACTUAL_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
    WHERE (${ACTUAL_COLUMNS.map((column) => `existing.${column}`).join(', ')})
      IS DISTINCT FROM (${ACTUAL_COLUMNS.map((column) => `EXCLUDED.${column}`).join(', ')})
  RETURNING existing.id`;
}

// The partial unique indexes UQ_historical_actuals_invoice and UQ_historical_actuals_quote (NULLS NOT DISTINCT).
const UPSERT_INVOICE_ACTUALS = upsertActuals('(shop_id, invoice_number) WHERE invoice_number IS NOT NULL');
const UPSERT_QUOTE_ACTUALS = upsertActuals('(shop_id, quote_id) WHERE invoice_number IS NULL');

function actualRow(actual: LaborActual) {
  return {
    invoice_number: actual.invoiceNumber,
    quote_id: actual.quoteId,
    invoice_date: actual.invoiceDate,
    job_type: actual.jobType,
    actual_hours_by_process: actual.actualHoursByProcess,
    total_hours: actual.totalHours,
    quoted_hours: actual.quotedHours,
    shop_rate: actual.shopRate,
    actual_material_cost: actual.materialCost,
    labor_cost: actual.laborCost,
    invoice_total: actual.total,
    notes: actual.notes,
    source_file: actual.sourceFile,
  };
}

export function* inBatches<T>(items: T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += WRITE_BATCH_SIZE) yield items.slice(start, start + WRITE_BATCH_SIZE);
}
