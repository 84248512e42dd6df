/** An object as JSON gave it (a record of a file, a request's document). */
export type RawRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PostgreSQL text cannot hold a NUL, and a lone surrogate is no Unicode text at all. */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}
