import { quoteInput } from '../common/quoted-input';
import type { SqlClient } from '../database/sql-client';
import { MaterialPricesRepository } from '../material-prices/material-prices.repository';
import type { MappingLookup } from '../material-prices/price-mappings';
import { looksAlike, supplierKey } from '../material-prices/supplier-name';
import { type SupplierRecord, SuppliersRepository } from '../material-prices/suppliers.repository';
import { compareText, listRecords, type PriceDecision } from './current-price-decision';
import type { PriceChange, PriceWarning } from './load-report';
import { type FileCandidates, type HistoryBatch, noteUnknownFamily, type UnknownFamily } from './price-reduction';
import type { SourceReaderPool } from './source-reader-pool';

export interface PriceCounts {
  loaded: number;
  alreadyCurrent: number;
  newObservations: number;
  changes: PriceChange[];
  warnings: PriceWarning[];
}

const NO_DECISION: PriceDecision = { items: 0, rows: [], changes: [], warnings: [] };

export class PriceWriter {
  private readonly suppliers: RunSuppliers;
  private readonly files: FileCandidates[] = [];
  private readonly unknownFamilies = new Map<string, UnknownFamily>();
  private historyInFlight: Promise<void> = Promise.resolve();
  private newObservations = 0;

  constructor(
    private readonly prices: MaterialPricesRepository,
    private readonly supplierRecords: SuppliersRepository,
    private readonly sql: SqlClient,
    private readonly shopId: number | null,
    private readonly mappings: MappingLookup,
    private readonly reader: Pick<SourceReaderPool, 'decideCurrentPrices'>,
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
  addCandidates(candidates: FileCandidates): void {
    this.files.push(candidates);
  }

  addUnknownFamilies(families: readonly [materialType: string, noted: UnknownFamily][]): void {
    for (const [materialType, noted] of families) noteUnknownFamily(this.unknownFamilies, materialType, noted);
  }

  async finish(now: Date): Promise<PriceCounts> {
    await this.historyInFlight;
    await this.suppliers.settleNames();

    const decision = this.files.every((file) => file.items === 0) ? NO_DECISION : await this.decide();
    let loaded = 0;
    for (const rows of decision.rows) loaded += await this.prices.upsertCurrent(this.sql, this.shopId, rows, now);

    const warnings = [...decision.warnings, ...this.unknownFamilyWarnings(), ...(await this.lookAlikes())];
    // Sorted, so that the report does not depend on the order the records came in either.
    warnings.sort(
      (a, b) =>
        compareText(a.kind, b.kind) || compareText(a.material_type ?? '', b.material_type ?? '') || compareText(a.message, b.message),
    );
    return { loaded, alreadyCurrent: decision.items - loaded, newObservations: this.newObservations, changes: decision.changes, warnings };
  }

  // DECISION: the decision runs in a reading thread, from bytes the main thread only passes on: with the stored prices as
  // objects here, a load's thousands of items filled the old generation and its collections paused every request.
  private async decide(): Promise<PriceDecision> {
    // Each file's JSON array of material types, put in one array as they are: the main thread never parses them.
    const materialTypes = Buffer.concat([
      Buffer.from('['),
      ...this.files.flatMap((file, index) => (index === 0 ? [file.materialTypes] : [Buffer.from(','), file.materialTypes])),
      Buffer.from(']'),
    ]);
    const stored = await this.prices.currentPricesJson(this.sql, this.shopId, materialTypes);
    return this.reader.decideCurrentPrices({
      files: this.files.map((file) => file.serialized),
      stored,
      suppliers: this.suppliers.list(),
    });
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

  list(): [key: string, supplier: Pick<SupplierRecord, 'id' | 'name'>][] {
    return [...this.records].map(([key, { id, name }]) => [key, { id, name }]);
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
