export type RawRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PostgreSQL text cannot hold a NUL, and a lone surrogate is no Unicode text at all. */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const OPENERS = new Set([123, 91]); // { [
const CLOSERS = new Set([125, 93]); // } ]

export interface JsonShapeLimits {
  maxDepth: number;
  /** Array items are not counted. */
  maxMembers?: number;
}

/** One pass over the characters before any parser recurses: every colon outside a string is one object member. */
export function jsonShapeBeyond(text: string, limits: JsonShapeLimits): 'depth' | 'members' | undefined {
  const maxMembers = limits.maxMembers ?? Infinity;
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === COLON) {
      if (++members > maxMembers) return 'members';
    } else if (OPENERS.has(code)) {
      if (++depth > limits.maxDepth) return 'depth';
    } else if (CLOSERS.has(code)) depth--;
  }
  return undefined;
}

/** Replaced by U+FFFD, for storing a copy of it. */
export function storableText(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([name, member]) => [storableText(name), storableJson(member)]));
  return value;
}
