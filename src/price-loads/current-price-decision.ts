import { deserialize } from 'node:v8';

import type { PriceUnit } from '../database/entities';
import type { CurrentPriceRow, StoredPrice } from '../material-prices/material-prices.repository';
import { comparePrices } from '../material-prices/price-rules';
import type { SupplierRecord } from '../material-prices/suppliers.repository';
import { inBatches } from './actual-writer';
import type { PriceChange, PriceWarning } from './load-report';
import { type Candidate, identityOf, keepBest, RECORDS_LISTED } from './price-reduction';

/** An outlier is more than this many times above or below the median of the other suppliers' current prices. */
const OUTLIER_FACTOR = 3;

/**
 * What a load decides its current prices from, in the reading threads: the best candidates of each file (v8-serialized
 * Candidate[], in the order the files were read), the stored current prices of their materials (JSON of a
 * StoredPrice[]) and the load's suppliers by key.
 */
export interface PriceDecisionTask {
  files: Uint8Array<ArrayBuffer>[];
  stored: string;
  suppliers: [key: string, supplier: Pick<SupplierRecord, 'id' | 'name'>][];
}

export interface PriceDecision {
  /** Items of the load (one candidate each). */
  items: number;
  /** The CurrentPriceRow[] that win over the stored prices, as UTF-8 JSON in batches of WRITE_BATCH_SIZE: a statement each. */
  rows: Uint8Array[];
  /** Sorted by material, supplier and unit. */
  changes: PriceChange[];
  warnings: PriceWarning[];
}

/** The current price is decided in memory, then against the stored ones, so order of files or records never matters. */
export function decideCurrentPrices({ files, stored: storedText, suppliers }: PriceDecisionTask): PriceDecision {
  const best = new Map<string, Candidate>();
  for (const file of files) for (const candidate of deserialize(file) as Candidate[]) keepBest(best, candidate);
  const supplierOf = new Map(suppliers);
  const stored = new Map<string, StoredPrice>();
  for (const price of JSON.parse(storedText) as StoredPrice[])
    stored.set(identityOf(price.materialType, price.supplierId, price.unit), price);

  const changes: PriceChange[] = [];
  const warnings: PriceWarning[] = [];
  const rows: CurrentPriceRow[] = [];
  for (const candidate of best.values()) {
    const supplier = candidate.supplierKey === null ? null : supplierOf.get(candidate.supplierKey);
    if (supplier === undefined) throw new Error(`supplier ${candidate.supplierKey} was not stored before its prices`);
    const identity = identityOf(candidate.materialType, supplier?.id ?? null, candidate.unit);
    const before = stored.get(identity);
    const sameDay = new Set(candidate.pricesOnItsDate);
    if (before && before.priceDate === candidate.priceDate) sameDay.add(before.price);
    const wins = !before || comparePrices(candidate, before) > 0;
    const where = { material_type: candidate.materialType, supplier: supplier?.name ?? null, unit: candidate.unit };
    // Only a conflict on the date of the current price decides anything; one on an older date is history.
    const decidesCurrent = wins || before.priceDate === candidate.priceDate;
    if (candidate.priceDate !== null && sameDay.size > 1 && decidesCurrent) {
      const prices = [...sameDay].sort((a, b) => b - a);
      const listed = prices.slice(0, RECORDS_LISTED);
      warnings.push({
        kind: 'same_day_conflict',
        ...where,
        date: candidate.priceDate,
        prices: listed,
        message: `${describeItem(where)} has ${prices.length} prices on ${candidate.priceDate}: ${listRecords(listed.map(String), prices.length)}; the highest, ${prices[0]}, is current`,
      });
    }
    if (!wins) continue;
    if (candidate.priceDate === null) {
      warnings.push({
        kind: 'undated_current',
        ...where,
        records: [candidate.observation.source],
        message: `${describeItem(where)}: the undated price ${candidate.price} (${candidate.observation.source}) became current because no dated price exists; give it a date`,
      });
    }
    changes.push({
      ...where,
      old: before ? { price: before.price, price_date: before.priceDate } : null,
      new: { price: candidate.price, price_date: candidate.priceDate },
    });
    stored.set(identity, {
      materialType: candidate.materialType,
      supplierId: supplier?.id ?? null,
      supplier: supplier?.name ?? null,
      unit: candidate.unit,
      price: candidate.price,
      priceDate: candidate.priceDate,
    });
    rows.push({
      ...where,
      supplier_id: supplier?.id ?? null,
      price: candidate.price,
      price_date: candidate.priceDate,
      source: candidate.observation.source,
      notes: candidate.observation.notes,
    });
  }
  warnings.push(...outliers(changes, stored.values()));
  // Sorted, so that the report does not depend on the order the records came in either.
  changes.sort(
    (a, b) =>
      compareText(a.material_type, b.material_type) || compareText(a.supplier ?? '', b.supplier ?? '') || compareText(a.unit, b.unit),
  );
  const encoder = new TextEncoder();
  return { items: best.size, rows: [...inBatches(rows)].map((batch) => encoder.encode(JSON.stringify(batch))), changes, warnings };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function listRecords(records: string[], count: number): string {
  return count > records.length ? `${records.join(', ')} and ${count - records.length} more` : records.join(', ');
}

function describeItem(item: { material_type: string; supplier: string | null; unit: PriceUnit }): string {
  return `${item.material_type} from ${item.supplier ?? '(no supplier)'} per ${item.unit}`;
}

function outliers(changes: readonly PriceChange[], current: Iterable<StoredPrice>): PriceWarning[] {
  const byItem = new Map<string, StoredPrice[]>();
  for (const price of current) {
    const item = identityOf(price.materialType, price.unit);
    const prices = byItem.get(item);
    if (prices) prices.push(price);
    else byItem.set(item, [price]);
  }
  const warnings: PriceWarning[] = [];
  for (const change of changes) {
    const others = (byItem.get(identityOf(change.material_type, change.unit)) ?? [])
      .filter((price) => price.supplier !== change.supplier)
      .map((price) => price.price);
    if (others.length === 0) continue;
    const middle = median(others);
    const price = change.new.price;
    if (price <= middle * OUTLIER_FACTOR && price >= middle / OUTLIER_FACTOR) continue;
    warnings.push({
      kind: 'outlier',
      material_type: change.material_type,
      supplier: change.supplier,
      unit: change.unit,
      prices: [price],
      median: middle,
      message: `${describeItem(change)}: ${price} is more than ${OUTLIER_FACTOR}x ${price > middle ? 'above' : 'below'} the median ${middle} of the other suppliers' current prices; check the unit and the amount`,
    });
  }
  return warnings;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
