/** The shape family a description's words name, most specific first; the family names are the keys' prefixes. */
const FAMILY_WORDS: readonly [RegExp, string][] = [
  [/\bflat/, 'flat_bar'],
  [/\bangle/, 'angle'],
  [/\bchannel/, 'channel'],
  [/\bpipe\b|\bsch/, 'pipe'],
  [/\bdom\b/, 'dom_tube'],
  [/\brect/, 'rect_tube'],
  [/\bsq(uare)?\b.*\btub|\btub.*\bsq(uare)?\b/, 'sq_tube'],
  [/\bround\b.*\btub|\btub.*\bround\b/, 'round_tube'],
  [/\bround\b.*\bbar|\bbar\b.*\bround\b|\brod\b/, 'round_bar'],
  [/\bsq(uare)?\b.*\bbar|\bbar\b.*\bsq(uare)?\b/, 'sq_bar'],
  [/\bsheet/, 'sheet'],
  [/\bplate/, 'plate'],
];
const SUGGESTIONS_MAX = 3;

/** The alloy prefixes a description's words allow (stainless without its grade: either). */
function alloysOf(words: string): string[] {
  if (/\balum/.test(words)) return ['al_'];
  if (/\bss\b|stainless/.test(words)) return ['ss304_', 'ss316_'];
  return [''];
}

/** The sizes a description states, as keys write them: `1/2` and `.5` are `0.5`, `1-1/2` is `1.5`, `11 ga` is `11ga`. */
function sizesOf(words: string): Set<string> {
  const sizes = new Set<string>();
  const fraction = /(?:(\d+)[\s-]+)?(\d+)\/(\d+)/g;
  for (const [, whole, numerator, denominator] of words.matchAll(fraction))
    sizes.add(String(Number(whole ?? 0) + Number(numerator) / Number(denominator)));
  for (const [number] of words.replace(fraction, ' ').matchAll(/\d*\.?\d+/g)) sizes.add(String(Number(number)));
  for (const [, gauge] of words.matchAll(/(\d+)\s*g(?:a|auge)?\b/g)) sizes.add(`${gauge}ga`);
  return sizes;
}

/**
 * Up to three of `knownKeys` closest to a description no key could be read from: of the family (and alloy) its words
 * name, those sharing the most of its sizes first. None when the words name no family.
 */
export function closestKeys(description: string, knownKeys: Iterable<string>): string[] {
  const words = description.toLowerCase();
  const family = FAMILY_WORDS.find(([pattern]) => pattern.test(words))?.[1];
  if (family === undefined) return [];
  const prefixes = alloysOf(words).map((alloy) => `${alloy}${family}_`);
  const sizes = sizesOf(words);
  const scored: [string, number][] = [];
  for (const key of knownKeys) {
    const prefix = prefixes.find((candidate) => key.startsWith(candidate));
    if (prefix === undefined) continue;
    const shared = key
      .slice(prefix.length)
      .split(/[x_]/)
      .filter((size) => sizes.has(size.replace(/^sch/, ''))).length;
    scored.push([key, shared]);
  }
  scored.sort(([a, sharedA], [b, sharedB]) => sharedB - sharedA || (a < b ? -1 : a > b ? 1 : 0));
  return scored.slice(0, SUGGESTIONS_MAX).map(([key]) => key);
}
