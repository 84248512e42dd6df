import type { RawRecord } from '../../common/json-values';
import type { MaterialMappingLookup } from '../../material-prices/price-mappings';
import type { CanonicalRecord, PriceTerms, Validated } from '../canonical-records';

export interface RecordPlace {
  file: string;
  record: number;
  line?: number;
}

export interface PriceOffer {
  field: string;
  description: string;
  stated: string | null;
  date: string | null;
  /** A mapping to a material key fixes the reject (its material could not be read); otherwise only `ignore` does. */
  mappable: boolean;
  /** Known keys closest to the description (closestKeys), set when the load ends. */
  closestKeys?: string[];
}

export interface ReadContext {
  place: RecordPlace;
  mappings: MaterialMappingLookup;
  terms: PriceTerms;
}

export type ReadItem =
  | { place: RecordPlace; record: CanonicalRecord }
  | { place: RecordPlace; problem: string; offer: PriceOffer | null }
  | { place: RecordPlace; ignored: PriceOffer };

export interface RecordReader {
  readonly shape: string;
  recognizes(record: RawRecord): boolean;
  read(record: RawRecord, context: ReadContext): ReadItem[];
}

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
