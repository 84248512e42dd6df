import { looksAlike, supplierKey } from '../src/material-prices/supplier-name';
import { supplierKeyAtMigration } from '../src/migrations/1764201600002-SuppliersAndMappings';

describe('supplier names', () => {
  it.each([
    ['OSORIO', 'osorio'],
    [' osorio ', 'osorio'],
    ['Osorio.', 'osorio'],
    ['Osorio   Metals, Inc.', 'osorio metals inc'],
    ['Smith-Jones / Steel', 'smith jones steel'],
    ['Ｏｓｏｒｉｏ', 'osorio'],
  ])('%j has the key %j', (name, key) => {
    expect(supplierKey(name)).toBe(key);
  });

  it.each([
    ['osorio', 'osorio metals supply inc', true],
    ['osorio metals', 'osoriometals', true],
    ['wexler', 'wexlar', true],
    ['wexler steel', 'wexlar steel', true],
    ['osorio metals', 'osorio metal', true],
    ['supplier a', 'supplier b', false],
    ['yard 1', 'yard 2', false],
    ['acme', 'apex', false],
    ['osorio', 'wexler', false],
    ['metals osorio', 'osorio', false],
    ['osorio', 'osorio', false],
  ])('%j and %j look alike: %s', (a, b, alike) => {
    expect(looksAlike(a, b)).toBe(alike);
    expect(looksAlike(b, a)).toBe(alike);
  });

  it("keys names as the SuppliersAndMappings migration's frozen copy did", () => {
    const names = [
      'OSORIO',
      ' Osorio   Metals, Inc. ',
      'Smith-Jones / Steel',
      'Ｏｓｏｒｉｏ',
      'ﬁne Steel',
      'İstanbul Çelik',
      'Straße\tMetall',
      'a\u00a0b',
      'e\u0301',
      '🔩 Bolts & Co',
      '',
    ];
    // Every code point up to the supplementary planes, 64 at a time, so a change of normalization or case shows.
    for (let start = 0; start < 0x30000; start += 64) {
      names.push(
        String.fromCodePoint(
          ...Array.from({ length: 64 }, (_, offset) => start + offset).filter((point) => point < 0xd800 || point > 0xdfff),
        ),
      );
    }
    for (const name of names) expect(supplierKey(name)).toBe(supplierKeyAtMigration(name));
  });
});
