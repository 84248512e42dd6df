import { distance } from 'fastest-levenshtein';
import { LRUCache } from 'lru-cache';

// Every record's supplier is keyed, and exports repeat a handful of names: the keys of recent names are kept.
const recentKeys = new LRUCache<string, string>({ max: 10_000 });

/** Case, repeated spaces and punctuation are ignored; anything more is another supplier until the owner aliases it. */
export function supplierKey(name: string): string {
  let key = recentKeys.get(name);
  if (key === undefined) {
    key = keyOf(name);
    recentKeys.set(name, key);
  }
  return key;
}

function keyOf(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const SUPPLIER_NAME_MAX_LENGTH = 128;

export function supplierNameProblem(name: string, maxLength = SUPPLIER_NAME_MAX_LENGTH): string | null {
  const key = supplierKey(name);
  if (key === '') return 'needs a letter or a digit';
  // The key can be longer than the name: NFKC spells some single characters out.
  if (name.trim().length > maxLength || key.length > maxLength) return `is longer than ${maxLength} characters`;
  return null;
}

/** Words that differ by at most this many edits look alike ("Wexler" and "Wexlar")... */
const TYPO_EDITS = 2;
/** ...when both are at least this long: "Supplier A" and "Supplier B", or "Yard 1" and "Yard 2", are two. */
const TYPO_MIN_WORD_LENGTH = 4;

export function looksAlike(keyA: string, keyB: string): boolean {
  if (keyA === keyB) return false;
  const [shorter, longer] = keyA.length <= keyB.length ? [keyA, keyB] : [keyB, keyA];
  if (longer.startsWith(`${shorter} `)) return true;
  if (shorter.replace(/ /g, '') === longer.replace(/ /g, '')) return true;
  const [wordsA, wordsB] = [keyA.split(' '), keyB.split(' ')];
  const differing = wordsA.flatMap((word, index) => (word === wordsB[index] ? [] : [[word, wordsB[index]] as const]));
  if (wordsA.length !== wordsB.length || differing.length !== 1) return false;
  const [[wordA, wordB]] = differing;
  return Math.min(wordA.length, wordB.length) >= TYPO_MIN_WORD_LENGTH && distance(wordA, wordB) <= TYPO_EDITS;
}
