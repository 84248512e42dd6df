import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { MappingLookup } from '../src/material-prices/price-mappings';
import type { LaborActual, PriceObservation, PriceTerms } from '../src/price-loads/canonical-records';
import { readRecord } from '../src/price-loads/readers';

const NO_MAPPINGS = new MappingLookup([]);
/** What the seeder gives a reader for record `record` (from 1) of `file`. */
const JSON_TERMS: PriceTerms = { currency: 'USD', maxPerUnit: 100_000, decimalStyles: ['point'], dateFormats: ['iso'] };
const at = (file: string, record: number, terms = JSON_TERMS) => ({ place: { file, record }, mappings: NO_MAPPINGS, terms });

const EXPORTS = join(process.cwd(), 'test/fixtures/supplier-exports');
const load = (file: string): unknown => JSON.parse(readFileSync(join(EXPORTS, file), 'utf8'));
const asRecords = (content: unknown): unknown[] => (Array.isArray(content) ? content : [content]);

/** Every item read from `records`, as the seeder reads a file. */
function readAll(file: string, records: unknown[]) {
  return records.map((record, index) => readRecord(record, at(file, index + 1)));
}

function priceOf(reading: ReturnType<typeof readRecord>, index = 0): PriceObservation {
  const item = reading.items[index];
  if (!('record' in item) || item.record.kind !== 'material_price') throw new Error(`not a price: ${JSON.stringify(item)}`);
  return item.record.price;
}

function actualOf(reading: ReturnType<typeof readRecord>): LaborActual {
  const item = reading.items[0];
  if (!('record' in item) || item.record.kind !== 'labor_actual') throw new Error(`not an actual: ${JSON.stringify(item)}`);
  return item.record.actual;
}

describe('seed readers on the real exports', () => {
  it.each([
    ['osorio_prices_raw.json', 'supplier price list by stick', 67],
    ['osorio_prices_seed.json', 'supplier price summary', 35],
    ['wexler_prices_raw.json', 'supplier estimate line', 16],
    ['createstage_invoices.json', 'job invoice', 15],
    ['firetable_pro_bom.json', 'bill of materials', 1],
  ])('recognises every record of %s as a %s by its fields, and loads or reports each', (file, shape, count) => {
    const records = asRecords(load(file));
    expect(records).toHaveLength(count);
    // The file name plays no part: the same records under another name read the same.
    const readings = readAll('renamed.json', records);
    expect(new Set(readings.map((reading) => reading.shape))).toEqual(new Set([shape]));
    for (const reading of readings) {
      expect(reading.items.length).toBeGreaterThan(0);
      for (const item of reading.items) expect('record' in item || ('problem' in item && item.problem.length > 0)).toBe(true);
    }
  });

  it('reads a stick price list row as its per-foot price on its real date', () => {
    const [row] = readAll('osorio_prices_raw.json', [asRecords(load('osorio_prices_raw.json'))[10]]);
    expect(priceOf(row)).toEqual({
      materialType: 'sq_tube_6x0.1875',
      supplier: 'Osorio',
      priceDate: '2024-06-03',
      pricePerFoot: 13.6,
      pricePerLb: null,
      pricePerSqft: null,
      notes: '326.4 per 24\' 0" stick',
      source: 'osorio_prices_raw.json:1',
      rawDescription: 'Tubing - Square 6" x 6" x 3/16ga',
      unknownKeyFamily: false,
      currency: 'USD',
    });
  });

  it('falls back on the piece price and the stick size when a list row has no per-foot price', () => {
    const [row] = readAll('list.json', [
      { material: 'Angle 2" x 2" x 1/8"', size: '20\' 0"', price_per_piece: 26.07, supplier: 'S', date: '9/19/2024' },
    ]);
    expect(priceOf(row)).toMatchObject({ materialType: 'angle_2x2x0.125', pricePerFoot: 1.3035 });
  });

  it('keeps per-lb estimate lines per lb, and per-foot ones per foot', () => {
    const wexler = asRecords(load('wexler_prices_raw.json'));
    const [perLb, perFoot] = readAll('wexler_prices_raw.json', [wexler[2], wexler[3]]);
    expect(priceOf(perLb)).toMatchObject({
      materialType: 'flat_bar_4x0.5',
      pricePerLb: 0.96,
      pricePerFoot: null,
      priceDate: '2023-09-05',
      supplier: 'Wexler',
    });
    expect(priceOf(perFoot)).toMatchObject({
      materialType: 'rect_tube_4x2x11ga',
      pricePerFoot: 3.76,
      pricePerLb: null,
      priceDate: '2023-11-03',
    });
  });

  it('turns an estimate line per piece into per foot only where the stick length is known', () => {
    const line = { qty: 2, unit: 'ea', rate_per_unit: 84, supplier: 'S', date: '1/2/2025' };
    const [withLength, withoutLength, perCwt] = readAll('estimate.json', [
      { ...line, description: '2" x 2" x 11G HR SQUARE TUBE 24\'' },
      { ...line, description: '2" x 2" x 11G HR SQUARE TUBE' },
      { ...line, unit: 'CWT', rate_per_unit: 96, description: '1/2" x 4" HR FLATS 20\'' },
    ]);
    expect(priceOf(withLength)).toMatchObject({ materialType: 'sq_tube_2x11ga', pricePerFoot: 3.5 });
    // No key mapping fixes a missing stick length: only skipping the line does.
    expect(withoutLength.items[0]).toEqual({
      place: { file: 'estimate.json', record: 2 },
      problem: 'a price per piece (84) with no stick length (like 20\') or sheet size (like 48" x 96") to turn it into a unit price',
      offer: {
        field: 'description',
        description: '2" x 2" x 11G HR SQUARE TUBE',
        stated: '84 per piece',
        date: '2025-01-02',
        mappable: false,
      },
    });
    expect(priceOf(perCwt)).toMatchObject({ materialType: 'flat_bar_4x0.5', pricePerLb: 0.96 });
  });

  it('reads each line of a bill of materials, per foot from the stick length and per square foot from the sheet size', () => {
    const [bom] = readAll('firetable_pro_bom.json', asRecords(load('firetable_pro_bom.json')));
    expect(bom.items).toHaveLength(12);
    expect(bom.items.map((item) => item.place)).toEqual(
      Array.from({ length: 12 }, (_, index) => ({ file: 'firetable_pro_bom.json', record: 1, line: index + 1 })),
    );
    expect(priceOf(bom, 1)).toMatchObject({
      materialType: 'ss304_angle_2x2x0.1875',
      pricePerFoot: 8.479,
      supplier: 'Osorio Metals Supply Inc.',
      priceDate: null,
    });
    expect(priceOf(bom, 5)).toMatchObject({ materialType: 'ss304_sq_tube_1x0.125', pricePerFoot: 4.558 });
    expect(priceOf(bom, 7)).toMatchObject({ materialType: 'al_sheet_11ga', pricePerSqft: 7.0209 });
    expect(priceOf(bom, 0)).toMatchObject({ materialType: 'plate_0.75', pricePerSqft: 37.4841 });
    expect(priceOf(bom, 0).notes).toContain('Osorio Metals Supply Inc. Quotation 62028');
  });

  it('reads the shop invoices as labor actuals with real dates', () => {
    const invoices = asRecords(load('createstage_invoices.json'));
    const [first, withHours] = readAll('createstage_invoices.json', [invoices[0], invoices[4]]);
    expect(actualOf(first)).toEqual({
      invoiceNumber: '12216',
      quoteId: null,
      invoiceDate: '2024-06-18',
      jobType: null,
      actualHoursByProcess: {},
      totalHours: null,
      quotedHours: null,
      shopRate: null,
      materialCost: 2367,
      laborCost: 2500,
      total: 4867,
      notes: 'Invoice #12216',
      sourceFile: 'sqinv-12216.pdf',
    });
    expect(actualOf(withHours)).toMatchObject({
      invoiceNumber: '12217',
      invoiceDate: '2024-06-23',
      shopRate: 125,
      quotedHours: 7,
      materialCost: 95,
      laborCost: null,
      total: 1255,
    });
  });
});

describe('seed record recognition', () => {
  it.each([
    [42, 'the record is number 42, not an object'],
    [['a'], 'the record is a list, not an object'],
    [null, 'the record is null, not an object'],
    [{ type: 'hardware_item', name: 'hinge' }, 'unknown record type "hardware_item" (known: material_price, labor_actual)'],
    [{ colour: 'red' }, 'no known format has the fields "colour"'],
  ])('rejects %j', (record, problem) => {
    expect(readRecord(record, at('f.json', 5))).toEqual({
      shape: null,
      items: [{ place: { file: 'f.json', record: 5 }, problem, offer: null }],
    });
  });

  it('reads canonical records whether or not they name their type', () => {
    const price = { material_type: ' SQ_TUBE_2x11GA ', price_per_foot: 3.45, supplier: 'Osorio', date: '2024-03-15' };
    expect(priceOf(readRecord(price, at('f.json', 1)))).toMatchObject({ materialType: 'sq_tube_2x11ga', pricePerFoot: 3.45 });
    expect(readRecord({ type: 'material_price', ...price }, at('f.json', 1)).shape).toBe('material price');
  });

  it('names every problem of a canonical record at once, misspelt fields included', () => {
    const reading = readRecord({ material_type: 'Square tube', price_per_ft: 3, date: '2024-02-30' }, at('f.json', 1));
    expect(reading.items).toEqual([
      {
        place: { file: 'f.json', record: 1 },
        problem: expect.stringMatching(
          /^unknown field "price_per_ft"; .*a key may hold only .*; no price: give price_per_foot, price_per_lb, price_per_sqft or several; date "2024-02-30" \(read as YYYY-MM-DD\): February has 29 days in 2024$/,
        ),
        offer: { field: 'material_type', description: 'Square tube', stated: '', date: '2024-02-30', mappable: true },
      },
    ]);
  });

  it('checks labor actuals against the job types and labor processes', () => {
    const reading = readRecord(
      {
        type: 'labor_actual',
        date: '2024-06-23',
        job_type: 'gazebo',
        actual_hours_by_process: { fit_tack: 2.5, welding: 3, full_weld: -1 },
      },
      at('f.json', 1),
    );
    const item = reading.items[0];
    expect('problem' in item && item.problem.split('; ')).toEqual([
      'needs an invoice or a quote_id',
      expect.stringMatching(/^job_type "gazebo" is not one of cantilever_gate, /),
      expect.stringMatching(/^actual_hours_by_process: "welding" is not one of layout_setup, /),
      'actual_hours_by_process: full_weld must not be negative (got -1)',
    ]);
  });
});
