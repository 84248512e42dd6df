import type { CanonicalRecord, Validated } from '../canonical-records';
import type { RawRecord } from '../fields';

/** Where a record sits: its file and its index (`3`, or `0.materials[2]` inside a bill of materials). */
export interface RecordPlace {
  file: string;
  locator: string;
}

/** What a reader made of one record: canonical records (a bill of materials gives several) or problems. */
export type ReadItem = { locator: string; record: CanonicalRecord } | { locator: string; problem: string };

/** One file shape, recognised by its fields (never by a file or supplier name). */
export interface RecordReader {
  /** How the report names the shape. */
  readonly shape: string;
  recognizes(record: RawRecord): boolean;
  read(record: RawRecord, place: RecordPlace): ReadItem[];
}

export function sourceOf(place: RecordPlace): string {
  return `${place.file}:${place.locator}`;
}

export function itemOf(locator: string, validated: Validated): ReadItem {
  return 'record' in validated ? { locator, record: validated.record } : { locator, problem: validated.problems.join('; ') };
}

export function hasFields(record: RawRecord, names: readonly string[]): boolean {
  return names.every((name) => name in record);
}
