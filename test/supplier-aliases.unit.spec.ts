import { flattenSupplierAliases, type MappingEntry, MappingLookup, mergeMappingEntries } from '../src/material-prices/price-mappings';

/** An alias map that counts how often an alias is looked up: the work of following chains. */
class CountingAliases extends Map<string, string> {
  lookups = 0;

  override get(key: string): string | undefined {
    this.lookups += 1;
    return super.get(key);
  }
}

const alias = (from: string, to: string): MappingEntry => ({ kind: 'supplier', matchText: from, matchKey: from.toLowerCase(), target: to });

/** s1 -> s0, s2 -> s1, ... s<length> -> s<length - 1>: one chain of `length` aliases. */
const chain = (length: number): [string, string][] => Array.from({ length }, (_, index) => [`s${index + 1}`, `s${index}`]);

/** The chain's aliases whose number is odd (first) or even (second): two documents without a chain of their own. */
const halves = (length: number): [MappingEntry[], MappingEntry[]] => {
  const entries = chain(length).map(([from, to]) => alias(from, to));
  return [entries.filter((_, index) => index % 2 === 0), entries.filter((_, index) => index % 2 === 1)];
};

describe('supplier aliases', () => {
  const LENGTH = 20_000;

  it.each([
    ['listed from its last alias', (pairs: [string, string][]) => [...pairs].reverse()],
    ['listed from its first alias', (pairs: [string, string][]) => pairs],
    [
      'in a shuffled order',
      (pairs: [string, string][]) =>
        [...pairs].sort(([a], [b]) => ((Number(a.slice(1)) * 7919) % LENGTH) - ((Number(b.slice(1)) * 7919) % LENGTH)),
    ],
  ])('follows a chain of 20,000 aliases %s to its end, looking each alias up at most twice', (_order, order) => {
    const aliases = new CountingAliases(order(chain(LENGTH)));
    const { finalNames, circles } = flattenSupplierAliases(aliases);
    expect(circles).toEqual([]);
    expect(finalNames.size).toBe(LENGTH);
    expect(new Set(finalNames.values())).toEqual(new Set(['s0']));
    expect(aliases.lookups).toBeLessThanOrEqual(2 * LENGTH);
  });

  it('ends a chain at the spelling a name is aliased to under its own key', () => {
    const { finalNames } = flattenSupplierAliases(
      new Map([
        ['osorio metals supply inc', 'osorio'],
        ['osorio', 'Osorio'],
      ]),
    );
    expect(Object.fromEntries(finalNames)).toEqual({ 'osorio metals supply inc': 'Osorio', osorio: 'Osorio' });
  });

  it('finds each circle once, and the aliases that run into it', () => {
    const aliases = new CountingAliases([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['x', 'a'],
      ['p', 'q'],
      ['q', 'p'],
      ['fine', 'Final'],
    ]);
    const { finalNames, circles } = flattenSupplierAliases(aliases);
    expect(circles).toEqual([
      ['a', 'b', 'c'],
      ['p', 'q'],
    ]);
    expect(Object.fromEntries(finalNames)).toEqual({ a: null, b: null, c: null, x: null, p: null, q: null, fine: 'Final' });
    expect(aliases.lookups).toBeLessThanOrEqual(2 * aliases.size);
  });

  describe('a document merged into the stored entries', () => {
    it('re-points a chain of 20,000 across two documents at its end: what is stored never chains', () => {
      const [first, second] = halves(LENGTH);
      const stored = mergeMappingEntries([], first, LENGTH);
      if ('refused' in stored) throw new Error(stored.problems.join('\n'));
      expect(stored.changed).toEqual(first);

      const merged = mergeMappingEntries(stored.entries, second, LENGTH);
      if ('refused' in merged) throw new Error(merged.problems.join('\n'));
      expect(merged.entries).toHaveLength(LENGTH);
      expect(new Set(merged.entries.map((entry) => entry.target))).toEqual(new Set(['s0']));
      // Everything but s1 -> s0 points elsewhere now.
      expect(merged.changed).toHaveLength(LENGTH - 1);
      const lookup = new MappingLookup(merged.entries);
      expect([lookup.supplierName('S20000'), lookup.supplierName('s1'), lookup.supplierName('s0'), lookup.supplierName('Acme')]).toEqual([
        's0',
        's0',
        's0',
        'Acme',
      ]);
    });

    it('keeps the stored entries a document does not name, and replaces those it does', () => {
      const stored: MappingEntry[] = [
        alias('Osorio Metals', 'Osorio'),
        { kind: 'ignore', matchText: 'Scrap', matchKey: 'scrap', target: null },
        { kind: 'material', matchText: 'Bar', matchKey: 'bar', target: 'flat_bar_2x0.25' },
      ];
      const incoming: MappingEntry[] = [
        { kind: 'material', matchText: 'scrap', matchKey: 'scrap', target: 'sheet_11ga' },
        alias('Osorio', 'Osorio Steel'),
      ];
      const merged = mergeMappingEntries(stored, incoming, 10);
      expect(merged).toEqual({
        entries: [alias('Osorio Metals', 'Osorio Steel'), incoming[0], stored[2], incoming[1]],
        changed: [alias('Osorio Metals', 'Osorio Steel'), incoming[0], incoming[1]],
      });
    });

    it('refuses aliases that lead in a circle with the stored ones, naming each circle once and briefly', () => {
      const [first, second] = halves(2000);
      const merged = mergeMappingEntries(first, [...second, alias('s0', 's2000')], LENGTH);
      expect(merged).toEqual({
        refused: 'circles',
        problems: ['the supplier aliases of "s1" lead back to "s1": "s1" -> "s0" -> "s2000" -> "s1999" -> 1,997 more -> "s1"'],
      });
      expect(mergeMappingEntries([alias('Osorio Metals', 'Osorio')], [alias('Osorio', 'Osorio Metals')], 10)).toEqual({
        refused: 'circles',
        problems: ['the supplier aliases of "osorio metals" lead back to "osorio metals": "osorio metals" -> "osorio" -> "osorio metals"'],
      });
    });

    it('refuses a section that would hold more than the cap, naming the count and the cap', () => {
      const [first, second] = halves(12);
      expect(mergeMappingEntries(first, second, 11)).toEqual({
        refused: 'too_many',
        problems: ['suppliers would hold 12 entries, more than the 11 MAPPINGS_MAX_ENTRIES allows'],
      });
      expect(mergeMappingEntries(first, second, 12)).not.toHaveProperty('refused');
      // What is stored alone is not checked: a lowered cap does not stop loads that bring no document.
      expect(mergeMappingEntries([...first, ...second], [], 5)).not.toHaveProperty('refused');
    });
  });
});
