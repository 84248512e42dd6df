import { looksAlike, supplierKey } from '../src/material-prices/supplier-name';

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
});
