import type { QueryRunner } from 'typeorm';
import type { LaborActual, PriceObservation } from './canonical-records';
import type { RecordPlace } from './readers';

/** Rows per statement: round trips stay rare even to a distant server, and a statement stays near a megabyte. */
export const WRITE_BATCH_SIZE = 5000;

export interface PriceCounts {
  /** Current prices inserted or replaced by a newer one. */
  loaded: number;
  /** (material, supplier) pairs whose stored price was as new as or newer than this run's latest. */
  alreadyCurrent: number;
  /** Observations the history did not hold yet. */
  newObservations: number;
}

/** Is `candidate` newer than `current`? An undated price ranks below every dated one. */
function isNewer(candidate: string | null, current: string | null): boolean {
  return candidate !== null && (current === null || candidate > current);
}

/**
 * The material prices of one run. Memory grows with the number of (material, supplier) pairs: each pair keeps
 * only its latest observation, and history rows are written as soon as a batch is full.
 */
export class PriceWriter {
  private readonly latest = new Map<string, PriceObservation>();
  private readonly pendingHistory = new Map<string, PriceObservation>();
  private historyInFlight: Promise<void> = Promise.resolve();
  private newObservations = 0;

  constructor(
    private readonly runner: QueryRunner,
    private readonly shopId: number | null,
  ) {}

  async add(price: PriceObservation): Promise<void> {
    const pair = JSON.stringify([price.materialType, price.supplier]);
    const latest = this.latest.get(pair);
    // DECISION: of two observations with the same date, the first one read (files by name, records in order)
    // stays current, as it would against a stored price of that date; both are kept in the history.
    if (!latest || isNewer(price.priceDate, latest.priceDate)) this.latest.set(pair, price);
    const observation = JSON.stringify([price.materialType, price.supplier, price.priceDate, price.pricePerFoot, price.pricePerLb, price.pricePerSqft]);
    if (!this.pendingHistory.has(observation)) this.pendingHistory.set(observation, price);
    if (this.pendingHistory.size >= WRITE_BATCH_SIZE) await this.flushHistory();
  }

  async finish(): Promise<PriceCounts> {
    await this.flushHistory();
    await this.historyInFlight;
    let loaded = 0;
    for (const batch of inBatches([...this.latest.values()])) {
      loaded += (await this.runner.query(UPSERT_CURRENT_PRICES, [this.shopId, JSON.stringify(batch.map(priceRow)), new Date()])).length;
    }
    return { loaded, alreadyCurrent: this.latest.size - loaded, newObservations: this.newObservations };
  }

  /**
   * Sends the pending history rows while the caller reads on: the database works on one batch while the next one
   * is parsed. At most one batch is in flight, and its failure surfaces at the next flush or at finish().
   */
  private async flushHistory(): Promise<void> {
    await this.historyInFlight;
    if (this.pendingHistory.size === 0) return;
    const rows = JSON.stringify([...this.pendingHistory.values()].map(priceRow));
    this.pendingHistory.clear();
    this.historyInFlight = this.runner.query(INSERT_PRICE_HISTORY, [this.shopId, rows]).then((inserted: unknown[]) => {
      this.newObservations += inserted.length;
    });
    // Marks the rejection as handled until it is awaited, so that it fails the run instead of the process.
    this.historyInFlight.catch(() => undefined);
  }
}

const PRICE_RECORDSET = `jsonb_to_recordset($2::jsonb) AS o(material_type varchar, supplier varchar, price_date date,
  price_per_foot float8, price_per_lb float8, price_per_sqft float8, source varchar, notes text)`;

// The conflict target is UQ_material_price_history_observation (NULLS NOT DISTINCT): an observation is stored once.
const INSERT_PRICE_HISTORY = `
  INSERT INTO material_price_history (shop_id, material_type, supplier, price_date, price_per_foot, price_per_lb, price_per_sqft, source, notes)
  SELECT $1::integer, o.material_type, o.supplier, o.price_date, o.price_per_foot, o.price_per_lb, o.price_per_sqft, o.source, o.notes
    FROM ${PRICE_RECORDSET}
  ON CONFLICT (shop_id, material_type, supplier, price_date, price_per_foot, price_per_lb, price_per_sqft) DO NOTHING
  RETURNING id`;

// One current row per (scope, material, supplier) (UQ_material_prices_current, NULLS NOT DISTINCT). Only a newer
// date replaces it; a stored row without a date (a v1 price) ranks below every dated price.
const UPSERT_CURRENT_PRICES = `
  INSERT INTO material_prices AS existing (shop_id, material_type, supplier, price_date, price_per_foot, price_per_lb, price_per_sqft, source, notes, updated_at)
  SELECT $1::integer, o.material_type, o.supplier, o.price_date, o.price_per_foot, o.price_per_lb, o.price_per_sqft, o.source, o.notes, $3::timestamp
    FROM ${PRICE_RECORDSET}
  ON CONFLICT (shop_id, material_type, supplier) DO UPDATE SET
    price_date = EXCLUDED.price_date, price_per_foot = EXCLUDED.price_per_foot, price_per_lb = EXCLUDED.price_per_lb,
    price_per_sqft = EXCLUDED.price_per_sqft, source = EXCLUDED.source, notes = EXCLUDED.notes, updated_at = EXCLUDED.updated_at
    WHERE EXCLUDED.price_date > coalesce(existing.price_date, '-infinity'::date)
  RETURNING existing.id`;

function priceRow(price: PriceObservation) {
  return {
    material_type: price.materialType,
    supplier: price.supplier,
    price_date: price.priceDate,
    price_per_foot: price.pricePerFoot,
    price_per_lb: price.pricePerLb,
    price_per_sqft: price.pricePerSqft,
    source: price.source,
    notes: price.notes,
  };
}

export interface ActualCounts {
  /** Actuals inserted, or updated because a value changed. */
  loaded: number;
  /** Actuals stored with exactly these values already. */
  alreadyCurrent: number;
  /** Actuals whose quote_id names no quote of the scope, with where they were read. */
  rejected: { place: RecordPlace; reason: string }[];
}

interface PlacedActual {
  actual: LaborActual;
  place: RecordPlace;
}

/**
 * The labor actuals of one run, one per invoice (or per quote when there is no invoice number) and scope: a
 * later record of the same invoice replaces an earlier one, as re-loading an invoice updates it.
 */
export class ActualWriter {
  private readonly byIdentity = new Map<string, PlacedActual>();

  constructor(
    private readonly runner: QueryRunner,
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
        loaded += (await this.runner.query(statement, [this.shopId, JSON.stringify(batch.map(actualRow))])).length;
      }
    }
    return { loaded, alreadyCurrent: actuals.length - loaded, rejected };
  }

  /**
   * DECISION: an actual may name only a quote of its own scope (the --shop shop's quotes, or quotes without an
   * owner for the shared baseline); any other quote_id is rejected rather than linking another shop's quote.
   */
  private async withoutForeignQuotes(): Promise<ActualCounts['rejected']> {
    const quoteIds = [...new Set([...this.byIdentity.values()].flatMap(({ actual }) => (actual.quoteId === null ? [] : [actual.quoteId])))];
    if (quoteIds.length === 0) return [];
    const found: { id: number }[] = await this.runner.query(
      'SELECT id FROM quotes WHERE id = ANY($1::integer[]) AND user_id IS NOT DISTINCT FROM $2::integer',
      [quoteIds, this.shopId],
    );
    const known = new Set(found.map((row) => row.id));
    const rejected: ActualCounts['rejected'] = [];
    for (const [identity, { actual, place }] of this.byIdentity) {
      if (actual.quoteId === null || known.has(actual.quoteId)) continue;
      this.byIdentity.delete(identity);
      rejected.push({ place, reason: `quote_id ${actual.quoteId} is not a quote of ${this.shopId === null ? 'the shared baseline' : 'this shop'}` });
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

function* inBatches<T>(items: T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += WRITE_BATCH_SIZE) yield items.slice(start, start + WRITE_BATCH_SIZE);
}
