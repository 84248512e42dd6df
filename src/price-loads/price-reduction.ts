import { serialize } from 'node:v8';

import type { PriceUnit } from '../database/entities';
import type { MappingLookup } from '../material-prices/price-mappings';
import { comparePrices } from '../material-prices/price-rules';
import { supplierKey } from '../material-prices/supplier-name';
import type { PriceObservation } from './canonical-records';

export const RECORDS_LISTED = 5;

const PRICE_FIELD_OF_UNIT = { foot: 'pricePerFoot', lb: 'pricePerLb', sqft: 'pricePerSqft' } as const satisfies Record<PriceUnit, string>;
const UNITS = Object.keys(PRICE_FIELD_OF_UNIT) as PriceUnit[];

/** The best price of one (material, supplier, unit) so far, and every price seen on its date. */
export interface Candidate {
  materialType: string;
  supplierKey: string | null;
  unit: PriceUnit;
  price: number;
  priceDate: string | null;
  observation: PriceObservation;
  pricesOnItsDate: Set<number>;
}

/** Records of a material key of no known family: the first few sources, and how many there were. */
export interface UnknownFamily {
  records: string[];
  count: number;
}

/** A batch's observations, each once, as the history statement's JSON; suppliers are named by key until they are stored. */
export interface HistoryBatch {
  /** Each supplier name as the batch's records spell it (after the aliases), with how many records spelled it so. */
  spellings: [name: string, records: number][];
  /** UTF-8 JSON, handed to the main thread by transfer (never a string there). */
  rows: Uint8Array<ArrayBuffer>;
}

/** A file's best candidates, handed to the main thread by transfer: it only passes them on to the decision. */
export interface FileCandidates {
  /** How many candidates: a load without any asks nothing of the database or of a thread for its decision. */
  items: number;
  /** v8-serialized Candidate[]. */
  serialized: Uint8Array<ArrayBuffer>;
  /** UTF-8 JSON of the candidates' material types, each once: the stored prices they are decided against. */
  materialTypes: Uint8Array<ArrayBuffer>;
}

// NUL cannot occur in stored text; JSON.stringify of an array costs several times as much, for every record.
export function identityOf(...values: (string | number | null)[]): string {
  return values.map((value) => (value === null ? '' : `=${value}`)).join('\u0000');
}

/** Keeps the better of the held candidate and this one under the price rules; prices on one date are pooled. */
export function keepBest(best: Map<string, Candidate>, candidate: Candidate): void {
  const identity = identityOf(candidate.materialType, candidate.supplierKey, candidate.unit);
  const held = best.get(identity);
  if (!held) {
    best.set(identity, candidate);
    return;
  }
  const sameDate = held.priceDate === candidate.priceDate;
  if (sameDate) for (const price of candidate.pricesOnItsDate) held.pricesOnItsDate.add(price);
  if (comparePrices(candidate, held) <= 0) return;
  best.set(identity, { ...candidate, pricesOnItsDate: sameDate ? held.pricesOnItsDate : candidate.pricesOnItsDate });
}

export function noteUnknownFamily(families: Map<string, UnknownFamily>, materialType: string, noted: UnknownFamily): void {
  const held = families.get(materialType);
  if (!held) {
    families.set(materialType, { records: noted.records.slice(0, RECORDS_LISTED), count: noted.count });
    return;
  }
  held.count += noted.count;
  held.records.push(...noted.records.slice(0, RECORDS_LISTED - held.records.length));
}

/**
 * A file's price observations reduced where the file is read (a reading thread): the best candidate per item and
 * each batch's history rows, so that the writer handles keys, not records.
 */
export class PriceReduction {
  private readonly best = new Map<string, Candidate>();
  private readonly families = new Map<string, UnknownFamily>();
  private readonly pendingHistory = new Map<string, object>();
  private readonly spellings = new Map<string, number>();

  constructor(private readonly aliases: Pick<MappingLookup, 'supplierName'>) {}

  add(observation: PriceObservation): void {
    const supplier = observation.supplier === null ? null : this.aliases.supplierName(observation.supplier);
    const key = supplier === null ? null : supplierKey(supplier);
    if (supplier !== null) this.spellings.set(supplier, (this.spellings.get(supplier) ?? 0) + 1);
    const price = supplier === observation.supplier ? observation : { ...observation, supplier };
    if (price.unknownKeyFamily) noteUnknownFamily(this.families, price.materialType, { records: [price.source], count: 1 });
    for (const unit of UNITS) {
      const amount = price[PRICE_FIELD_OF_UNIT[unit]];
      if (amount !== null) {
        keepBest(this.best, {
          materialType: price.materialType,
          supplierKey: key,
          unit,
          price: amount,
          priceDate: price.priceDate,
          observation: price,
          pricesOnItsDate: new Set([amount]),
        });
      }
    }
    const identity = identityOf(price.materialType, key, price.priceDate, price.pricePerFoot, price.pricePerLb, price.pricePerSqft);
    if (!this.pendingHistory.has(identity)) this.pendingHistory.set(identity, historyRow(price, key));
  }

  takeHistory(): HistoryBatch | null {
    if (this.pendingHistory.size === 0) return null;
    const rows = new TextEncoder().encode(JSON.stringify([...this.pendingHistory.values()]));
    const batch: HistoryBatch = { spellings: [...this.spellings], rows };
    this.pendingHistory.clear();
    this.spellings.clear();
    return batch;
  }

  /** The best candidates, in the order first seen. */
  candidates(): FileCandidates {
    const candidates = [...this.best.values()];
    return {
      items: candidates.length,
      // A copy of its own: the serializer's buffer may be a view into a larger one, which cannot be transferred alone.
      serialized: new Uint8Array(serialize(candidates)),
      materialTypes: new TextEncoder().encode(JSON.stringify([...new Set(candidates.map((candidate) => candidate.materialType))])),
    };
  }

  unknownFamilies(): [materialType: string, noted: UnknownFamily][] {
    return [...this.families];
  }
}

// DECISION: one-letter members and no null ones, about half the bytes: the rows cross the main thread on their way to PostgreSQL,
// and the buffers that carry them are what brings on its full collections during a load.
/** The row of MaterialPricesRepository.insertHistory. */
function historyRow(observation: PriceObservation, key: string | null): object {
  const row: Record<string, string | number> = { m: observation.materialType, s: observation.source, c: observation.currency };
  if (key !== null) row.k = key;
  if (observation.priceDate !== null) row.d = observation.priceDate;
  if (observation.pricePerFoot !== null) row.f = observation.pricePerFoot;
  if (observation.pricePerLb !== null) row.l = observation.pricePerLb;
  if (observation.pricePerSqft !== null) row.q = observation.pricePerSqft;
  if (observation.notes !== null) row.n = observation.notes;
  if (observation.rawDescription !== null) row.r = observation.rawDescription;
  return row;
}
