import type { RawRecord } from '../../common/json-values';
import type { MaterialMappingLookup } from '../../material-prices/price-mappings';
import type { CanonicalRecord, PriceTerms, Validated } from '../canonical-records';

/** Where a record sits: its file, its record number (from 1) and, inside a bill of materials, its line (from 1). */
export interface RecordPlace {
  file: string;
  record: number;
  line?: number;
}

/** What the owner needs to recognise a rejected price and map it: the supplier's words, price and date. */
export interface PriceOffer {
  /** The field the description was read from (`material`, `desc`, `material_type`, ...). */
  field: string;
  description: string;
  /** The stated price, such as `59.86 per piece` or `2.4942 per foot`. */
  stated: string | null;
  date: string | null;
  /** A mapping to a material key fixes the reject (its material could not be read); otherwise only `ignore` does. */
  mappable: boolean;
  /** Known keys closest to the description (closestKeys), set when the load ends. */
  closestKeys?: string[];
}

/** What a reader is given besides the record. */
export interface ReadContext {
  place: RecordPlace;
  mappings: MaterialMappingLookup;
  terms: PriceTerms;
}

/**
 * What a reader made of one record: canonical records (a bill of materials gives several), problems (with the
 * offer they concern, when the record states a price), or a price the owner's mappings say to skip.
 */
export type ReadItem =
  | { place: RecordPlace; record: CanonicalRecord }
  | { place: RecordPlace; problem: string; offer: PriceOffer | null }
  | { place: RecordPlace; ignored: PriceOffer };

/** One file shape, recognised by its fields (never by a file or supplier name). */
export interface RecordReader {
  /** How the report names the shape. */
  readonly shape: string;
  recognizes(record: RawRecord): boolean;
  read(record: RawRecord, context: ReadContext): ReadItem[];
}

/** `file:record`, or `file:record line N` inside a bill of materials; stored as the source of a price. */
export function describePlace(place: RecordPlace): string {
  return `${place.file}:${place.record}${place.line === undefined ? '' : ` line ${place.line}`}`;
}

export function itemOf(place: RecordPlace, validated: Validated, offer: PriceOffer | null = null): ReadItem {
  return 'record' in validated ? { place, record: validated.record } : { place, problem: validated.problems.join('; '), offer };
}

export function problemItem(place: RecordPlace, problems: string[]): ReadItem {
  return { place, problem: problems.join('; '), offer: null };
}

export function hasFields(record: RawRecord, names: readonly string[]): boolean {
  return names.every((name) => name in record);
}
