import { EventLoopSlices } from '../common/event-loop-slices';
import { quoteInput } from '../common/quoted-input';
import type { PriceUnit } from '../database/entities';
import type { SqlClient } from '../database/sql-client';
import { type CurrentPrice, type CurrentPriceRow, MaterialPricesRepository } from '../material-prices/material-prices.repository';
import type { MappingLookup } from '../material-prices/price-mappings';
import { comparePrices } from '../material-prices/price-rules';
import { looksAlike, supplierKey } from '../material-prices/supplier-name';
import { type SupplierRecord, SuppliersRepository } from '../material-prices/suppliers.repository';
import { inBatches } from './actual-writer';
import type { PriceChange, PriceWarning } from './load-report';
import {
  type Candidate,
  type HistoryBatch,
  identityOf,
  keepBest,
  noteUnknownFamily,
  RECORDS_LISTED,
  type UnknownFamily,
} from './price-reduction';

export interface PriceCounts {
  loaded: number;
  alreadyCurrent: number;
  newObservations: number;
  changes: PriceChange[];
  warnings: PriceWarning[];
}

/** An outlier is more than this many times above or below the median of the other suppliers' current prices. */
const OUTLIER_FACTOR = 3;

/** The current price is decided in memory, then against the stored ones, so order of files or records never matters. */
export class PriceWriter {
  private readonly suppliers: RunSuppliers;
  private readonly best = new Map<string, Candidate>();
  private readonly unknownFamilies = new Map<string, UnknownFamily>();
  private historyInFlight: Promise<void> = Promise.resolve();
  private newObservations = 0;

  constructor(
    private readonly prices: MaterialPricesRepository,
    private readonly supplierRecords: SuppliersRepository,
    private readonly sql: SqlClient,
    private readonly shopId: number | null,
    private readonly mappings: MappingLookup,
  ) {
    this.suppliers = new RunSuppliers(supplierRecords, sql, shopId);
  }

  async applySupplierAliases(): Promise<void> {
    await this.suppliers.mergeAliased(this.mappings.supplierAliases());
  }

  /** At most one batch is in flight; its failure surfaces at the next batch or at finish(). */
  async addHistory(batch: HistoryBatch): Promise<void> {
    await this.historyInFlight;
    for (const [name, records] of batch.spellings) this.suppliers.count(name, records);
    this.historyInFlight = (async () => {
      const names = batch.spellings.map(([name]) => name);
      await this.suppliers.ensure(names);
      const suppliers = [...new Set(names.map(supplierKey))].map((key) => this.suppliers.recordOf(key));
      this.newObservations += await this.prices.insertHistory(this.sql, this.shopId, batch.rows, suppliers);
    })();
    // Marks the rejection as handled until it is awaited, so that it fails the run instead of the process.
    this.historyInFlight.catch(() => undefined);
  }

  /** Once no statement of the writer is running; a failure among them is the load's, thrown by addHistory() or finish(). */
  async settled(): Promise<void> {
    await this.historyInFlight.catch(() => undefined);
  }

  /** A file's best candidates, in the order the files are read: of equal prices the first seen stays. */
  addCandidates(candidates: readonly Candidate[]): void {
    for (const candidate of candidates) keepBest(this.best, candidate);
  }

  addUnknownFamilies(families: readonly [materialType: string, noted: UnknownFamily][]): void {
    for (const [materialType, noted] of families) noteUnknownFamily(this.unknownFamilies, materialType, noted);
  }

  async finish(now: Date): Promise<PriceCounts> {
    await this.historyInFlight;
    await this.suppliers.settleNames();

    const materials = [...new Set([...this.best.values()].map((candidate) => candidate.materialType))];
    const stored = new Map<string, CurrentPrice>();
    for (const batch of inBatches(materials)) {
      for (const price of await this.prices.currentPricesOf(this.sql, [this.shopId], batch))
        stored.set(currentKey(price.materialType, price.supplierId, price.unit), price);
    }

    const changes: PriceChange[] = [];
    const warnings: PriceWarning[] = [];
    const rows: CurrentPriceRow[] = [];
    const slices = new EventLoopSlices();
    for (const candidate of this.best.values()) {
      if (slices.due()) await slices.turn();
      const supplier = candidate.supplierKey === null ? null : this.suppliers.recordOf(candidate.supplierKey);
      const identity = currentKey(candidate.materialType, supplier?.id ?? null, candidate.unit);
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
        shopId: this.shopId,
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
    let loaded = 0;
    for (const batch of inBatches(rows)) loaded += await this.prices.upsertCurrent(this.sql, this.shopId, batch, now);

    warnings.push(...(await outliers(changes, stored.values())), ...this.unknownFamilyWarnings(), ...(await this.lookAlikes()));
    // Sorted, so that the report does not depend on the order the records came in either.
    changes.sort(
      (a, b) =>
        compareText(a.material_type, b.material_type) || compareText(a.supplier ?? '', b.supplier ?? '') || compareText(a.unit, b.unit),
    );
    warnings.sort(
      (a, b) =>
        compareText(a.kind, b.kind) || compareText(a.material_type ?? '', b.material_type ?? '') || compareText(a.message, b.message),
    );
    return { loaded, alreadyCurrent: this.best.size - loaded, newObservations: this.newObservations, changes, warnings };
  }

  private unknownFamilyWarnings(): PriceWarning[] {
    return [...this.unknownFamilies].map(([materialType, { records, count }]) => ({
      kind: 'unknown_key_family',
      material_type: materialType,
      records,
      message: `${materialType} is of no known shape family (sq_tube_, flat_bar_, ...): loaded as typed; check the spelling (${listRecords(records, count)})`,
    }));
  }

  private async lookAlikes(): Promise<PriceWarning[]> {
    const runKeys = this.suppliers.keysOfRun();
    if (runKeys.size === 0) return [];
    const all = await this.supplierRecords.findAll(this.sql, this.shopId);
    const warnings: PriceWarning[] = [];
    for (const [index, a] of all.entries()) {
      for (const b of all.slice(index + 1)) {
        if ((!runKeys.has(a.nameKey) && !runKeys.has(b.nameKey)) || !looksAlike(a.nameKey, b.nameKey)) continue;

        const [from, to] = a.name.length > b.name.length || (a.name.length === b.name.length && a.name > b.name) ? [a, b] : [b, a];
        warnings.push({
          kind: 'supplier_look_alike',
          supplier: from.name,
          alias: { [from.name]: to.name },
          message: `suppliers ${quoteInput(from.name)} and ${quoteInput(to.name)} look alike; if they are one supplier, add to the mappings: "suppliers": { ${JSON.stringify(from.name)}: ${JSON.stringify(to.name)} }`,
        });
      }
    }
    return warnings;
  }
}

class RunSuppliers {
  private readonly spellings = new Map<string, Map<string, number>>();
  private readonly records = new Map<string, SupplierRecord & { createdHere: boolean }>();

  constructor(
    private readonly repository: SuppliersRepository,
    private readonly sql: SqlClient,
    private readonly shopId: number | null,
  ) {}

  count(name: string, records = 1): void {
    const key = supplierKey(name);
    const counts = this.spellings.get(key) ?? new Map<string, number>();
    counts.set(name, (counts.get(name) ?? 0) + records);
    this.spellings.set(key, counts);
  }

  keysOfRun(): Set<string> {
    return new Set(this.spellings.keys());
  }

  recordOf(key: string): SupplierRecord {
    const record = this.records.get(key);
    if (!record) throw new Error(`supplier ${key} was not stored before its prices`);
    return record;
  }

  async ensure(names: readonly string[]): Promise<void> {
    const missing = [...new Set(names.map(supplierKey))].filter((key) => !this.records.has(key));
    if (missing.length === 0) return;
    for (const record of await this.repository.findByKeys(this.sql, this.shopId, missing))
      this.records.set(record.nameKey, { ...record, createdHere: false });
    const toCreate = missing.filter((key) => !this.records.has(key)).map((key) => ({ nameKey: key, name: this.preferredSpelling(key) }));
    for (const record of await this.repository.createMissing(this.sql, this.shopId, toCreate))
      this.records.set(record.nameKey, { ...record, createdHere: true });
    // Created by another run in the meantime.
    const stillMissing = toCreate.filter(({ nameKey }) => !this.records.has(nameKey)).map(({ nameKey }) => nameKey);
    for (const record of await this.repository.findByKeys(this.sql, this.shopId, stillMissing))
      this.records.set(record.nameKey, { ...record, createdHere: false });
  }

  async settleNames(): Promise<void> {
    for (const [key, record] of this.records) {
      const preferred = this.preferredSpelling(key);
      if (record.createdHere && preferred !== record.name) {
        await this.repository.rename(this.sql, record.id, preferred);
        record.name = preferred;
      }
    }
  }

  async mergeAliased(aliases: readonly [aliasedKey: string, targetName: string][]): Promise<void> {
    const targetOf = new Map(aliases.filter(([aliasedKey, targetName]) => supplierKey(targetName) !== aliasedKey));
    if (targetOf.size === 0) return;
    const aliased = await this.repository.findByKeys(this.sql, this.shopId, [...targetOf.keys()]);
    if (aliased.length === 0) return;
    const targets = aliased.map((supplier) => targetOf.get(supplier.nameKey)!);
    for (const targetName of targets) this.count(targetName);
    await this.ensure(targets);
    await this.repository.merge(
      this.sql,
      aliased.map((from, index) => ({ from, into: this.recordOf(supplierKey(targets[index])) })),
    );
  }

  private preferredSpelling(key: string): string {
    const counts = [...(this.spellings.get(key) ?? new Map<string, number>())];
    counts.sort(([a, countA], [b, countB]) => countB - countA || compareText(a, b));
    return counts[0][0];
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function currentKey(materialType: string, supplierId: number | null, unit: PriceUnit): string {
  return identityOf(materialType, supplierId, unit);
}

function describeItem(item: { material_type: string; supplier: string | null; unit: PriceUnit }): string {
  return `${item.material_type} from ${item.supplier ?? '(no supplier)'} per ${item.unit}`;
}

function listRecords(records: string[], count: number): string {
  return count > records.length ? `${records.join(', ')} and ${count - records.length} more` : records.join(', ');
}

async function outliers(changes: readonly PriceChange[], current: Iterable<CurrentPrice>): Promise<PriceWarning[]> {
  const slices = new EventLoopSlices();
  const byItem = new Map<string, CurrentPrice[]>();
  for (const price of current) {
    if (slices.due()) await slices.turn();
    const item = identityOf(price.materialType, price.unit);
    const prices = byItem.get(item);
    if (prices) prices.push(price);
    else byItem.set(item, [price]);
  }
  const warnings: PriceWarning[] = [];
  for (const change of changes) {
    if (slices.due()) await slices.turn();
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
