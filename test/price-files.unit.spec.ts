import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { closestKeys } from '../src/material-keys/closest-keys';
import { MappingLookup } from '../src/material-prices/price-mappings';
import { readAmount } from '../src/price-loads/amounts';
import { readRecord } from '../src/price-loads/readers';
import { readSourceFile, type SourceFormat } from '../src/price-loads/source-files';

const USD_SCOPE = { currency: 'USD', maxPerUnit: 100_000 };

/** What the reading thread makes of a file: its warnings, then per record its price (unit price and currency) or its problem. */
async function readPrices(folder: string, name: string, content: string, scope = USD_SCOPE) {
  const path = join(folder, name);
  await writeFile(path, content);
  const file = await readSourceFile(path, name.split('.').pop() as SourceFormat, { xlsxMaxUncompressedBytes: 1024 * 1024 });
  if ('problem' in file) return file;
  const mappings = new MappingLookup([]);
  const terms = { ...scope, ...file.terms };
  const prices: unknown[] = [];
  let record = 0;
  for await (const { value, line, problem } of file.records) {
    record += 1;
    if (problem !== undefined) {
      prices.push(problem);
      continue;
    }
    for (const item of readRecord(value, { place: { file: name, record, line }, mappings, terms }).items) {
      if ('problem' in item) prices.push(item.problem);
      else if ('record' in item && item.record.kind === 'material_price') {
        const { materialType, pricePerFoot, pricePerLb, supplier, priceDate, currency } = item.record.price;
        prices.push({ materialType, pricePerFoot, pricePerLb, supplier, priceDate, currency });
      }
    }
  }
  return { warnings: file.warnings, prices };
}

describe('amounts as spreadsheets write them', () => {
  it.each([
    ['3.45', ['point'], 3.45, null],
    ['$3.45', ['point'], 3.45, '$'],
    ['US$ 3.45', ['point'], 3.45, 'USD'],
    ['USD 3.45', ['point'], 3.45, 'USD'],
    ['3.45 $', ['point'], 3.45, '$'],
    ['3.45USD', ['point'], 3.45, 'USD'],
    ['\u20ac3,45', ['comma'], 3.45, 'EUR'],
    ['3,45 EUR', ['comma'], 3.45, 'EUR'],
    ['\u00a31,234.50', ['point'], 1234.5, 'GBP'],
    ['CAD 12', ['point'], 12, 'CAD'],
    ['1,234.56', ['point'], 1234.56, null],
    ['1,234,567', ['point'], 1234567, null],
    ['1.234,56', ['comma'], 1234.56, null],
    ['1 234,56', ['comma'], 1234.56, null],
    ['1.234', ['point'], 1.234, null],
    ['1,234', ['comma'], 1.234, null],
    ['-$3', ['point'], -3, '$'],
  ] as const)('%s in a %s file is %s', (text, styles, value, currency) => {
    expect(readAmount(text, styles)).toEqual({ value, currency });
  });

  it.each([
    ['1.234', ['comma'], '"1.234" reads as 1234 or as 1.234'],
    ['1,234', ['point'], '"1,234" reads as 1234 or as 1.234'],
    ['1.234', ['point', 'comma'], '"1.234" reads as 1.234 or as 1234'],
    ['$1,234', ['point'], '"$1,234" reads as 1234 or as 1.234'],
  ] as const)('%s in a %s file reads two ways: a problem naming both', (text, styles, problem) => {
    expect(readAmount(text, styles)).toEqual({ problem: `${problem}: write it without a thousands separator` });
  });

  it.each([['about 3'], ['3.45 dollars'], ['$ 3 $'], ['XYZ 3'], ['1.234,56 in a point file'], ['']])('%s is no amount', (text) => {
    expect(readAmount(text, ['point'])).toBeNull();
  });

  // A cell that made the amount's pattern backtrack on every split of its spaces: hours of a reading thread at 5 MB.
  it.each([
    ['a long cell', `1${' '.repeat(100_000)}x`],
    ['the longest cell read', `1${' '.repeat(60)}x`],
  ])('%s of spaces between a digit and a letter is no amount', (_name, text) => {
    expect(readAmount(text, ['point'])).toBeNull();
  });
});

describe('price files as shops have them', () => {
  let folder: string;
  beforeAll(async () => (folder = await mkdtemp(join(tmpdir(), 'price-files-'))));
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('reads a spreadsheet export: currency signs, thousands separators, header spellings in any order, extra columns named once', async () => {
    const csv = [
      'Qty,Supplier Name,Item,Part #,Price/ft,Date,Vendor SKU',
      '3,Osorio,sq_tube_2x11ga,A-1,$3.45,2/14/2024,X9',
      '1,Osorio,flat_bar_2x0.25,A-2,"USD 1,234.50",2024-02-15,X8',
      '2,Osorio,angle_2x2x0.25,A-3,"1,234",2024-02-15,X7',
      '2,Osorio,angle_2x2x0.125,A-4,\u20ac3.00,2024-02-15,X6',
      '2,Osorio,angle_2x2x0.1875,A-5,150000,2024-02-15,X5',
      '2,Osorio,round_bar_0.5,A-6,0,2024-02-15,X5',
      '2,Osorio,round_bar_0.75,A-7,2.5,2/30/2024,X5',
      '2,Osorio,round_bar_1,A-8,2.5,1/5/1985,X5',
    ].join('\n');
    expect(await readPrices(folder, 'spreadsheet.csv', csv)).toEqual({
      warnings: ['the columns "Qty", "Part #", "Vendor SKU" are not used and were ignored'],
      prices: [
        {
          materialType: 'sq_tube_2x11ga',
          pricePerFoot: 3.45,
          pricePerLb: null,
          supplier: 'Osorio',
          priceDate: '2024-02-14',
          currency: 'USD',
        },
        {
          materialType: 'flat_bar_2x0.25',
          pricePerFoot: 1234.5,
          pricePerLb: null,
          supplier: 'Osorio',
          priceDate: '2024-02-15',
          currency: 'USD',
        },
        'price_per_foot "1,234" reads as 1234 or as 1.234: write it without a thousands separator',
        "the price is in EUR and this scope's prices are in USD: prices are never converted",
        'price_per_foot 150000 is above 100000, the most a price per unit may be',
        'price_per_foot must be more than 0 (got 0)',
        'date "2/30/2024" (read as M/D/YYYY): February has 29 days in 2024',
        'date "1/5/1985" (read as M/D/YYYY): the year 1985 is before 1990',
      ],
    });
  });

  it('reads a semicolon export in its decimal-comma style, and rejects a number that reads two ways there', async () => {
    const csv =
      'Description;Price per Foot;Price per lb;Supplier;Date\nangle_2x2x0.25;3,45 \u20ac;1.234,5;Acier;22.01.2025\nangle_2x2x0.25;1.234;;Acier;23.01.2025\n';
    expect(await readPrices(folder, 'european.csv', csv, { currency: 'EUR', maxPerUnit: 100_000 })).toEqual({
      warnings: [],
      prices: [
        {
          materialType: 'angle_2x2x0.25',
          pricePerFoot: 3.45,
          pricePerLb: 1234.5,
          supplier: 'Acier',
          priceDate: '2025-01-22',
          currency: 'EUR',
        },
        'price_per_foot "1.234" reads as 1234 or as 1.234: write it without a thousands separator',
      ],
    });
  });

  it('reads tab- and pipe-separated files like comma ones', async () => {
    const rows = (separator: string) =>
      [
        ['material_type', 'Unit Price', 'Supplier'],
        ['sq_tube_2x11ga', '3,45', 'Osorio'],
        ['sq_tube_2x11ga', '2.000', 'Osorio'],
      ]
        .map((row) => row.join(separator))
        .join('\n');
    for (const [name, separator] of [
      ['prices.tsv.csv', '\t'],
      ['prices.pipe.csv', '|'],
    ]) {
      expect(await readPrices(folder, name, rows(separator))).toEqual({
        warnings: [],
        prices: [
          { materialType: 'sq_tube_2x11ga', pricePerFoot: 3.45, pricePerLb: null, supplier: 'Osorio', priceDate: null, currency: 'USD' },
          'price_per_foot "2.000" reads as 2 or as 2000: write it without a thousands separator',
        ],
      });
    }
  });

  it("rejects a JSON record with a repeated key naming it, a price given as text, and a currency not the scope's", async () => {
    const json =
      '[{"material_type": "sq_tube_2x11ga", "price_per_foot": 1, "price_per_foot": 1000},' +
      ' {"material_type": "sq_tube_2x11ga", "price_per_foot": "$3.45", "notes": "{\\"a\\": 1, \\"a\\": 2}"},' +
      ' {"material_type": "sq_tube_2x11ga", "price_per_foot": 2, "currency": "CAD"},' +
      ' {"material_type": "sq_tube_3x11ga", "price_per_foot": 1e26}]';
    expect(await readPrices(folder, 'keys.json', json)).toEqual({
      warnings: [],
      prices: [
        'the key "price_per_foot" is given twice in one object: say it once',
        'price_per_foot must be a number (got the text "$3.45")',
        "the price is in CAD and this scope's prices are in USD: prices are never converted",
        'price_per_foot 1e+26 is above 100000, the most a price per unit may be',
      ],
    });
  });
});

describe('the known keys closest to a description no key could be read from', () => {
  const known = [
    'flat_bar_2x0.25',
    'flat_bar_4x0.5',
    'flat_bar_1x0.5',
    'angle_2x2x0.5',
    'ss304_sq_tube_1x0.125',
    'sq_tube_1x0.125',
    'sq_tube_2x11ga',
  ];

  it.each([
    ['Flat Bar 1/2" x', ['flat_bar_1x0.5', 'flat_bar_4x0.5', 'flat_bar_2x0.25']],
    ['SS - Square Tube 1" x 1" x 1/8"', ['ss304_sq_tube_1x0.125']],
    ['2" SQ TUBE 11 GA', ['sq_tube_2x11ga', 'sq_tube_1x0.125']],
    ['HRRECTB-0295-24', []],
  ])('%s: %j', (description, keys) => {
    expect(closestKeys(description, known)).toEqual(keys);
  });
});
