import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { exitCodeOf, formatReport, reportAsJson } from '../src/price-loads/load-report';
import { PriceLoadError } from '../src/price-loads/price-load.error';
import { runBuilt } from './support/processes';
import { createShop, NOTHING_SEEDED, openSeeder, price, printed, REAL_EXPORTS, type SeederHarness } from './support/seeder';
import { TEST_JWT_SECRET } from './support/test-database';

/** The owner's mappings the issue describes: the bill of materials' supplier is Osorio; two descriptions mapped. */
const OWNER_MAPPINGS = {
  suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' },
  materials: { 'Flat Bar 1/2" x': 'flat_bar_4x0.5', 'HRRECTB-0295-24': 'RECT_TUBE_3x2x.1875' },
  ignore: ['Tubing - Round 4" OD x sch 40'],
};

describe('prices a quote can trust (seeder)', () => {
  let harness: SeederHarness;

  beforeAll(async () => {
    harness = await openSeeder();
  });

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    await harness.reset();
  });

  const currentPrices = (where = 'TRUE', params: unknown[] = []) =>
    harness.db.query(
      `SELECT material_type, supplier, unit, coalesce(price_per_foot, price_per_lb, price_per_sqft) AS price, price_date::text AS price_date
         FROM material_prices WHERE ${where} ORDER BY material_type, supplier, unit`,
      params,
    );

  /** The real exports as the shop has them, plus `extra` files. */
  async function realExports(extra: Record<string, unknown> = {}): Promise<string> {
    const files: Record<string, unknown> = { ...extra };
    for (const name of await readdir(REAL_EXPORTS)) files[name] = await readFile(join(REAL_EXPORTS, name), 'utf8');
    return harness.folder(files);
  }

  describe('suppliers are records', () => {
    it('treats spellings that differ in case, spacing and punctuation as one supplier, shown by its most used spelling', async () => {
      const report = await harness.run(
        await harness.folder({
          'a.json': [price('sq_tube_2x11ga', 3.1, '2024-01-01', 'OSORIO'), price('angle_2x2x0.125', 1.2, '2024-01-01', ' osorio ')],
          'b.json': [price('sq_tube_2x11ga', 3.3, '2024-02-01', 'Osorio.'), price('flat_bar_2x0.25', 1.1, '2024-01-01', 'Osorio.')],
        }),
      );
      expect(exitCodeOf(report)).toBe(0);
      expect(await harness.db.query(`SELECT name, name_key FROM suppliers`)).toEqual([{ name: 'Osorio.', name_key: 'osorio' }]);
      expect(await currentPrices()).toEqual([
        { material_type: 'angle_2x2x0.125', supplier: 'Osorio.', unit: 'foot', price: 1.2, price_date: '2024-01-01' },
        { material_type: 'flat_bar_2x0.25', supplier: 'Osorio.', unit: 'foot', price: 1.1, price_date: '2024-01-01' },
        { material_type: 'sq_tube_2x11ga', supplier: 'Osorio.', unit: 'foot', price: 3.3, price_date: '2024-02-01' },
      ]);
      const suppliersOfHistory = await harness.db.query(`SELECT DISTINCT supplier, supplier_id FROM material_price_history`);
      expect(suppliersOfHistory).toHaveLength(1);
    });

    it('never merges look-alike names by itself, and reports the alias that would', async () => {
      const report = await harness.run(
        await harness.folder({
          'a.json': [
            price('sq_tube_2x11ga', 3.1, '2024-01-01', 'Osorio'),
            price('sq_tube_2x11ga', 3.2, '2024-01-01', 'Osorio Metals Supply Inc.'),
          ],
        }),
      );
      expect((await currentPrices()).map((row) => row.supplier)).toEqual(['Osorio', 'Osorio Metals Supply Inc.']);
      expect(report.warnings).toContainEqual(
        expect.objectContaining({ kind: 'supplier_look_alike', alias: { 'Osorio Metals Supply Inc.': 'Osorio' } }),
      );
      expect(printed(report)).toContain('add to the mappings: "suppliers": { "Osorio Metals Supply Inc.": "Osorio" }');
    });
  });

  describe("the owner's mappings", () => {
    it('alias the supplier, map and ignore descriptions, so the real exports give one trustworthy price per material', async () => {
      const report = await harness.run(await realExports({ 'mappings.json': OWNER_MAPPINGS }));
      expect(report.mappings).toEqual({ file: expect.stringMatching(/mappings\.json$/), entries: 4 });
      // 16 rejects before: 3 "Flat Bar 1/2" x" and 1 "HRRECTB-0295-24" load, 3 "Tubing - Round 4" OD" are ignored.
      expect(report.rejects).toHaveLength(9);
      expect(report.prices.ignored).toBe(3);
      expect(printed(report)).toContain('Ignored 3 prices the mappings say to skip');
      expect(await harness.db.query(`SELECT name FROM suppliers ORDER BY name`)).toEqual([{ name: 'Osorio' }, { name: 'Wexler' }]);

      // The bill of materials' undated price no longer competes with Osorio's dated one.
      expect(await currentPrices('material_type = $1', ['sq_tube_1.5x11ga'])).toEqual([
        { material_type: 'sq_tube_1.5x11ga', supplier: 'Osorio', unit: 'foot', price: 1.5504, price_date: '2025-01-22' },
      ]);
      // Mapped descriptions load under their keys (the target in its normal spelling); the higher same-day price is current.
      expect(await currentPrices('material_type IN ($1, $2)', ['flat_bar_4x0.5', 'rect_tube_3x2x0.1875'])).toEqual([
        { material_type: 'flat_bar_4x0.5', supplier: 'Osorio', unit: 'foot', price: 6.622, price_date: '2023-09-05' },
        { material_type: 'flat_bar_4x0.5', supplier: 'Wexler', unit: 'lb', price: 0.96, price_date: '2023-09-05' },
        { material_type: 'rect_tube_3x2x0.1875', supplier: 'Wexler', unit: 'foot', price: 7.28, price_date: '2022-11-28' },
      ]);
      // The history keeps the supplier's own words for every key.
      expect(
        await harness.db.query(`SELECT DISTINCT raw_description FROM material_price_history WHERE material_type = 'rect_tube_3x2x0.1875'`),
      ).toEqual([{ raw_description: 'HRRECTB-0295-24' }]);
      expect(await harness.db.query(`SELECT kind, match_text, target FROM price_mappings ORDER BY id`)).toEqual([
        { kind: 'supplier', match_text: 'Osorio Metals Supply Inc.', target: 'Osorio' },
        { kind: 'material', match_text: 'Flat Bar 1/2" x', target: 'flat_bar_4x0.5' },
        { kind: 'material', match_text: 'HRRECTB-0295-24', target: 'rect_tube_3x2x0.1875' },
        { kind: 'ignore', match_text: 'Tubing - Round 4" OD x sch 40', target: null },
      ]);
    });

    it('merges what an earlier run stored under the aliased name, and keeps the mappings for the next run', async () => {
      await harness.run(await realExports());
      expect((await currentPrices('material_type = $1', ['sq_tube_1.5x11ga'])).map((row) => row.supplier)).toEqual([
        'Osorio',
        'Osorio Metals Supply Inc.',
      ]);
      const mappingsOnly = await harness.folder({ 'mappings.json': OWNER_MAPPINGS });
      await harness.run(mappingsOnly);
      expect((await currentPrices('material_type = $1', ['sq_tube_1.5x11ga'])).map((row) => row.supplier)).toEqual(['Osorio']);
      expect(
        await harness.db.query(
          `SELECT count(*)::int AS n FROM material_price_history WHERE supplier_id IS DISTINCT FROM (SELECT id FROM suppliers WHERE name = 'Osorio') AND supplier <> 'Wexler'`,
        ),
      ).toEqual([{ n: 0 }]);

      // Stored mappings apply to a later run without the file.
      const again = await harness.run(await realExports());
      expect(again.rejects).toHaveLength(9);
    });

    it('refuses a mapping document with a bad entry, naming it, and writes nothing', async () => {
      const bad = { materials: { 'Flat Bar 1/2" x': 'flat_bar_4x' }, ignore: 'everything' };
      const directory = await realExports({ 'mappings.json': bad });
      await expect(harness.run(directory)).rejects.toThrow(PriceLoadError);
      await expect(harness.run(directory)).rejects.toThrow(
        /materials\["Flat Bar 1\/2\\" x"\]: "flat_bar_4x" is not a valid material key: .*\n.*ignore must be a list/,
      );
      expect(await harness.tables()).toEqual(Object.fromEntries(Object.keys(await harness.tables()).map((table) => [table, []])));
    });

    it("takes --mappings FILE instead of the folder's mappings.json", async () => {
      const elsewhere = join(await harness.folder({ 'owner.json': OWNER_MAPPINGS }), 'owner.json');
      const report = await harness.run(await realExports(), { mappingsFile: elsewhere });
      expect(report.mappings).toEqual({ file: elsewhere, entries: 4 });
      expect(report.rejects).toHaveLength(9);
      await expect(harness.run(await realExports(), { mappingsFile: `${elsewhere}.missing` })).rejects.toThrow(/cannot be read/);
    });
  });

  it("merges the aliased supplier's stored prices into the target's: the rules keep the better one, an equal one stays the target's", async () => {
    await harness.run(
      await harness.folder({
        'both.json': [
          price('sq_tube_2x11ga', 3.0, '2024-01-01', 'Osorio'),
          price('sq_tube_2x11ga', 3.5, '2024-05-01', 'Osorio Metals Supply Inc.'),
          { ...price('angle_2x2x0.125', 2.0, '2024-02-02', 'Osorio'), notes: 'the target' },
          { ...price('angle_2x2x0.125', 2.0, '2024-02-02', 'Osorio Metals Supply Inc.'), notes: 'the alias' },
          price('flat_bar_2x0.25', 1.5, '2024-03-03', 'Osorio'),
          price('flat_bar_2x0.25', 1.2, '2024-01-03', 'Osorio Metals Supply Inc.'),
        ],
      }),
    );
    await harness.run(await harness.folder({ 'mappings.json': { suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' } } }));
    expect(await harness.db.query(`SELECT name FROM suppliers`)).toEqual([{ name: 'Osorio' }]);
    expect(await currentPrices()).toEqual([
      { material_type: 'angle_2x2x0.125', supplier: 'Osorio', unit: 'foot', price: 2, price_date: '2024-02-02' },
      { material_type: 'flat_bar_2x0.25', supplier: 'Osorio', unit: 'foot', price: 1.5, price_date: '2024-03-03' },
      { material_type: 'sq_tube_2x11ga', supplier: 'Osorio', unit: 'foot', price: 3.5, price_date: '2024-05-01' },
    ]);
    expect(await harness.db.query(`SELECT notes FROM material_prices WHERE material_type = 'angle_2x2x0.125'`)).toEqual([
      { notes: 'the target' },
    ]);
    // Every observation stays, once: the two equal ones of angle_2x2x0.125 are one observation of Osorio.
    expect(
      await harness.db.query(`SELECT material_type, supplier, count(*)::int AS n FROM material_price_history GROUP BY 1, 2 ORDER BY 1`),
    ).toEqual([
      { material_type: 'angle_2x2x0.125', supplier: 'Osorio', n: 1 },
      { material_type: 'flat_bar_2x0.25', supplier: 'Osorio', n: 2 },
      { material_type: 'sq_tube_2x11ga', supplier: 'Osorio', n: 2 },
    ]);
  });

  it('merges several aliased suppliers at once, and stores a chain two runs make as aliases of its end', async () => {
    await harness.run(
      await harness.folder({
        'prices.json': [
          price('sq_tube_2x11ga', 3.0, '2024-01-01', 'Osorio'),
          price('sq_tube_2x11ga', 3.5, '2024-05-01', 'Osorio Metals'),
          price('sq_tube_2x11ga', 3.2, '2024-05-01', 'OMS'),
          price('flat_bar_2x0.25', 1.2, '2024-01-03', 'Osorio Metals'),
          price('flat_bar_2x0.25', 1.5, '2024-03-03', 'OMS'),
          price('angle_2x2x0.125', 2.0, '2024-02-02', 'Osorio Metals'),
          price('angle_2x2x0.125', 2.0, '2024-02-02', 'OMS'),
        ],
      }),
    );
    await harness.run(await harness.folder({ 'mappings.json': { suppliers: { 'Osorio Metals': 'Osorio', OMS: 'Osorio' } } }));
    expect(await harness.db.query(`SELECT name FROM suppliers`)).toEqual([{ name: 'Osorio' }]);
    expect(await currentPrices()).toEqual([
      { material_type: 'angle_2x2x0.125', supplier: 'Osorio', unit: 'foot', price: 2, price_date: '2024-02-02' },
      { material_type: 'flat_bar_2x0.25', supplier: 'Osorio', unit: 'foot', price: 1.5, price_date: '2024-03-03' },
      { material_type: 'sq_tube_2x11ga', supplier: 'Osorio', unit: 'foot', price: 3.5, price_date: '2024-05-01' },
    ]);
    // The two equal observations of angle_2x2x0.125, from two merged suppliers, are one observation of Osorio.
    expect(
      await harness.db.query(`SELECT material_type, supplier, count(*)::int AS n FROM material_price_history GROUP BY 1, 2 ORDER BY 1`),
    ).toEqual([
      { material_type: 'angle_2x2x0.125', supplier: 'Osorio', n: 1 },
      { material_type: 'flat_bar_2x0.25', supplier: 'Osorio', n: 2 },
      { material_type: 'sq_tube_2x11ga', supplier: 'Osorio', n: 3 },
    ]);

    await harness.run(
      await harness.folder({
        'mappings.json': { suppliers: { 'O.M.S. Steel': 'OMS' } },
        'more.json': [price('sheet_11ga', 4.85, '2024-06-01', 'O.M.S. Steel')],
      }),
    );
    expect(await harness.db.query(`SELECT match_text, target FROM price_mappings ORDER BY match_key`)).toEqual([
      { match_text: 'O.M.S. Steel', target: 'Osorio' },
      { match_text: 'OMS', target: 'Osorio' },
      { match_text: 'Osorio Metals', target: 'Osorio' },
    ]);
    expect(await currentPrices('material_type = $1', ['sheet_11ga'])).toEqual([
      { material_type: 'sheet_11ga', supplier: 'Osorio', unit: 'foot', price: 4.85, price_date: '2024-06-01' },
    ]);
  });

  it('refuses mappings whose aliases, with the stored ones, lead in a circle', async () => {
    await harness.run(await harness.folder({ 'mappings.json': { suppliers: { 'Osorio Metals': 'Osorio' } } }));
    const directory = await harness.folder({
      'a.json': [price('sq_tube_2x11ga', 3, '2024-01-01', 'Osorio')],
      'mappings.json': { suppliers: { Osorio: 'Osorio Metals' } },
    });
    await expect(harness.run(directory)).rejects.toThrow(/the supplier aliases of "osorio( metals)?" lead back to/);
    expect(await harness.db.query(`SELECT match_text, target FROM price_mappings`)).toEqual([
      { match_text: 'Osorio Metals', target: 'Osorio' },
    ]);
    expect(await currentPrices()).toEqual([]);
  });

  it('names a mapping entry the database could not hold', async () => {
    const directory = await harness.folder({
      'mappings.json': {
        materials: { 'Long key': `sq_tube_${'1'.repeat(8)}x${'0'.repeat(200)}11ga`, ['x'.repeat(600)]: 'sq_tube_2x11ga' },
        suppliers: { 'Osorio Metals': 'ﷺ'.repeat(20), '...': 'Osorio' },
      },
    });
    const failure = harness.run(directory);
    await expect(failure).rejects.toThrow(/materials\["Long key"\]: .* is not a valid material key: .*longer than 200 characters/);
    await expect(harness.run(directory)).rejects.toThrow(/materials\["x{600}"\]: is longer than 512 characters/);
    await expect(harness.run(directory)).rejects.toThrow(/suppliers\["Osorio Metals"\]: the supplier name is longer than 128 characters/);
    await expect(harness.run(directory)).rejects.toThrow(/suppliers\["\.\.\."\]: needs a letter or a digit/);
  });

  it('keeps two loads of one scope at the same time apart: both complete, as one after the other would', async () => {
    const first = await harness.folder({
      'a.json': Array.from({ length: 300 }, (_, index) =>
        price(
          `flat_bar_${(index % 30) + 1}x0.25`,
          1 + index / 100,
          `2024-01-${String((index % 28) + 1).padStart(2, '0')}`,
          ['Acme', 'Bolt'][index % 2],
        ),
      ),
    });
    const second = await harness.folder({
      'b.json': Array.from({ length: 300 }, (_, index) =>
        price(
          `flat_bar_${30 - (index % 30)}x0.25`,
          2 + index / 100,
          `2024-02-${String((index % 28) + 1).padStart(2, '0')}`,
          ['Bolt', 'Acme'][index % 2],
        ),
      ),
    });
    const reports = await Promise.all([harness.run(first), harness.run(second)]);
    expect(reports.map((report) => report.rejects)).toEqual([[], []]);
    const together = { current: await currentPrices(), history: await historyRows() };
    await harness.reset();
    await harness.run(first);
    await harness.run(second);
    expect({ current: await currentPrices(), history: await historyRows() }).toEqual(together);
  });

  it('gives the same current prices, history and warnings whatever the order of files and records', async () => {
    const forwardRun = await harness.run(await realExports({ 'mappings.json': OWNER_MAPPINGS }));
    const forward = { current: await currentPrices(), history: await historyRows() };

    await harness.reset();
    const names = (await readdir(REAL_EXPORTS)).sort();
    const reversed: Record<string, unknown> = { 'mappings.json': OWNER_MAPPINGS };
    for (const [index, name] of names.entries()) {
      const content = JSON.parse(await readFile(join(REAL_EXPORTS, name), 'utf8'));
      // Prefixes that sort the files in reverse; records reversed inside each file, lines inside each bill of materials.
      reversed[`${names.length - index}-${name}`] = Array.isArray(content)
        ? [...content].reverse()
        : { ...content, materials: [...content.materials].reverse() };
    }
    const reversedRun = await harness.run(await harness.folder(reversed));
    expect({ current: await currentPrices(), history: await historyRows() }).toEqual(forward);
    expect(reversedRun.changes).toEqual(forwardRun.changes);
    // Warnings name the records they come from, which the reversed files number differently.
    const withoutRecords = (warnings: typeof forwardRun.warnings) =>
      warnings.map(({ records: _records, message: _message, ...warning }) => warning);
    expect(withoutRecords(reversedRun.warnings)).toEqual(withoutRecords(forwardRun.warnings));
  });

  function historyRows() {
    return harness.db.query(
      `SELECT material_type, supplier, price_date::text AS price_date, price_per_foot, price_per_lb, price_per_sqft, raw_description
         FROM material_price_history ORDER BY material_type, supplier, price_date, price_per_foot, price_per_lb, price_per_sqft`,
    );
  }

  it('checks keys typed by hand: equivalent spellings normalised, malformed ones rejected with the reason, unknown families warned', async () => {
    const typed = [
      ['SQ_TUBE_2.0x11GA', 'sq_tube_2x11ga'],
      ['flat_bar_2x.25', 'flat_bar_2x0.25'],
      ['flat_bar_.25x2', 'flat_bar_2x0.25'],
      ['rect_tube_2x4x11ga', 'rect_tube_4x2x11ga'],
      ['angle_2.000x2x0.1250', 'angle_2x2x0.125'],
      ['pipe_1.50_sch40', 'pipe_1.5_sch40'],
      ['SS304_SQ_TUBE_1.250x11g', 'ss304_sq_tube_1.25x11ga'],
      ['al_sheet_0.0800', 'al_sheet_0.08'],
      ['channel_4.0x5.40', 'channel_4x5.4'],
      ['round_bar_00.5', 'round_bar_0.5'],
    ];
    const malformed = ['sq_tube_2.0.x11ga', 'sq_tube_2x', 'pipe_1.5', 'channel_4', 'flat_bar_2x0x1'];
    const report = await harness.run(
      await harness.folder({
        'typed.json': [
          ...typed.map(([key], index) => price(key, 1 + index, '2024-05-01')),
          ...malformed.map((key) => price(key, 2, '2024-05-01')),
          price('expanded_metal_13ga', 4.5, '2024-05-01'),
        ],
      }),
    );
    expect((await currentPrices()).map((row) => row.material_type).sort()).toEqual(
      [...new Set(typed.map(([, key]) => key)), 'expanded_metal_13ga'].sort(),
    );
    expect(report.rejects.map((reject) => [reject.record, reject.offer?.description])).toEqual(
      malformed.map((key, index) => [typed.length + index + 1, key]),
    );
    for (const reject of report.rejects) expect(reject.reason).toMatch(/keys are /);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ kind: 'unknown_key_family', material_type: 'expanded_metal_13ga', records: ['typed.json:16'] }),
    );
    // A malformed key can be mapped like a description.
    const fixed = await harness.run(
      await harness.folder({
        'again.json': [price('sq_tube_2.0.x11ga', 2, '2024-05-02')],
        'mappings.json': { materials: { 'SQ_TUBE_2.0.X11GA': 'sq_tube_2x11ga' } },
      }),
    );
    expect(fixed.rejects).toEqual([]);
    expect(await currentPrices('material_type = $1', ['sq_tube_2x11ga'])).toEqual([
      { material_type: 'sq_tube_2x11ga', supplier: 'Osorio', unit: 'foot', price: 2, price_date: '2024-05-02' },
    ]);
  });

  it('rejects a record whose value the database cannot hold, naming file and record, and loads the rest', async () => {
    const actual = { type: 'labor_actual', invoice: '1', total: 10 };
    const report = await harness.run(
      await harness.folder({
        'limits.json': [
          price('sq_tube_2x11ga', 3.45, '2024-03-15'),
          { ...actual, invoice: '2', quote_id: 2147483648 },
          { ...price('angle_2x2x0.125', 1.29, '2024-12-02'), notes: 'cut\u0000list' },
          { ...price('flat_bar_2x0.25', 1.28, '2025-01-28'), notes: 'x'.repeat(50_000) },
          { ...price('channel_3x4.1', 3.29, '2024-07-05'), supplier: 'Wex\ud800ler' },
          // NFKC spells this character out in 18 letters: the supplier's key would not fit its column.
          { ...price('channel_4x5.4', 4.5, '2024-07-05'), supplier: 'ﷺ'.repeat(10) },
          { ...price('channel_4x5.4', 4.5, '2024-07-05'), material_type: `expanded_metal_${'9'.repeat(200)}` },
          actual,
        ],
      }),
    );
    expect(formatReport(report)).toEqual(
      expect.arrayContaining([
        '  limits.json:2: quote_id 2147483648 is out of range (at most 2147483647)',
        '  limits.json:3: notes holds a NUL character or broken Unicode, which cannot be stored',
        '  limits.json:4: notes is longer than 2000 characters (50000)',
        '  limits.json:5: supplier holds a NUL character or broken Unicode, which cannot be stored',
        '  limits.json:6: supplier is longer than 128 characters',
      ]),
    );
    expect(report.rejects.find((reject) => reject.record === 7)?.reason).toBe('the key is longer than 200 characters');
    expect(exitCodeOf(report)).toBe(2);
    expect((await currentPrices()).map((row) => row.material_type)).toEqual(['sq_tube_2x11ga']);
    expect(await harness.db.query(`SELECT invoice_number FROM historical_actuals`)).toEqual([{ invoice_number: '1' }]);
  });

  describe('warnings', () => {
    it('warns of two prices of one day only where they decide the current price', async () => {
      await harness.run(await harness.folder({ 'later.json': [price('sq_tube_2x11ga', 3.4, '2024-06-01')] }));
      const older = await harness.run(
        await harness.folder({ 'older.json': [price('sq_tube_2x11ga', 3.1, '2024-03-01'), price('sq_tube_2x11ga', 3.2, '2024-03-01')] }),
      );
      expect(older.warnings).toEqual([]);
      const sameDay = await harness.run(await harness.folder({ 'same.json': [price('sq_tube_2x11ga', 3.3, '2024-06-01')] }));
      expect(sameDay.warnings.map((warning) => [warning.kind, warning.prices])).toEqual([['same_day_conflict', [3.4, 3.3]]]);
    });

    it("pools one day's prices across the files of a run", async () => {
      const report = await harness.run(
        await harness.folder({
          'a.json': [price('sq_tube_2x11ga', 3.1, '2024-06-01'), price('sq_tube_2x11ga', 3.6, '2024-05-01')],
          'b.json': [price('sq_tube_2x11ga', 2.9, '2024-04-01'), price('sq_tube_2x11ga', 3.3, '2024-06-01')],
          'c.json': [price('sq_tube_2x11ga', 3.2, '2024-06-01')],
        }),
      );
      expect(report.warnings.map((warning) => [warning.kind, warning.prices])).toEqual([['same_day_conflict', [3.3, 3.2, 3.1]]]);
      expect(await currentPrices()).toEqual([
        { material_type: 'sq_tube_2x11ga', supplier: 'Osorio', unit: 'foot', price: 3.3, price_date: '2024-06-01' },
      ]);
    });

    it('reports undated prices that became current, and outliers against the other suppliers', async () => {
      const report = await harness.run(
        await harness.folder({
          'a.json': [
            price('sq_tube_2x11ga', 3.1, '2024-01-01', 'Osorio'),
            price('sq_tube_2x11ga', 3.3, '2024-01-01', 'Wexler'),
            price('sq_tube_2x11ga', 2.9, '2024-01-01', 'Acme'),
            price('sq_tube_2x11ga', 31, '2024-02-01', 'Bolt'),
            price('angle_2x2x0.125', 1.3, null, 'Osorio'),
          ],
        }),
      );
      expect(report.warnings.map((warning) => [warning.kind, warning.material_type, warning.supplier])).toEqual(
        expect.arrayContaining([
          ['undated_current', 'angle_2x2x0.125', 'Osorio'],
          ['outlier', 'sq_tube_2x11ga', 'Bolt'],
        ]),
      );
      expect(report.warnings.filter((warning) => warning.kind === 'outlier')).toHaveLength(1);
      // An undated price never replaces a dated one.
      await harness.run(await harness.folder({ 'b.json': [price('angle_2x2x0.125', 1.1, '2024-03-01', 'Osorio')] }));
      const undatedAgain = await harness.run(await harness.folder({ 'c.json': [price('angle_2x2x0.125', 9.9, null, 'Osorio')] }));
      expect(printed(undatedAgain)).toContain('Loaded 0 material prices, 1 already current');
      expect(await currentPrices('material_type = $1', ['angle_2x2x0.125'])).toEqual([
        { material_type: 'angle_2x2x0.125', supplier: 'Osorio', unit: 'foot', price: 1.1, price_date: '2024-03-01' },
      ]);
    });
  });

  describe('the command (dist/seed.js)', () => {
    const seed = (args: string[], env: Record<string, string> = {}) =>
      runBuilt('seed.js', args, { DATABASE_URL: harness.db.url, JWT_SECRET: TEST_JWT_SECRET, ...env });

    it('writes the whole report as JSON with --report, matching the printed counts', async () => {
      const reportFile = join(await harness.folder({}), 'report.json');
      const result = await seed(['--dir', await realExports({ 'mappings.json': OWNER_MAPPINGS }), '--report', reportFile]);
      expect(result.code).toBe(2);
      const json = JSON.parse(await readFile(reportFile, 'utf8')) as ReturnType<typeof reportAsJson>;
      const { material_prices: prices, labor_actuals: actuals, rejected, warnings } = json.counts;
      expect(result.stdout).toContain(`Loaded ${prices.loaded} material prices, ${prices.already_current} already current`);
      expect(result.stdout).toContain(`Loaded ${actuals.loaded} labor actuals, ${actuals.already_current} already current`);
      expect(result.stdout).toContain(`Rejected ${rejected} records`);
      expect(result.stdout).toContain(`Warnings: ${warnings}`);
      expect(json.rejects).toHaveLength(rejected);
      expect(json.warnings).toHaveLength(warnings);
      expect(json.changes).toHaveLength(prices.loaded);
      expect(json.changes).toContainEqual({
        material_type: 'sq_tube_1.5x11ga',
        supplier: 'Osorio',
        unit: 'foot',
        old: null,
        new: { price: 1.5504, price_date: '2025-01-22' },
      });
      expect(json.rejects[0]).toMatchObject({ file: expect.any(String), record: expect.any(Number), reason: expect.any(String) });
    });

    it('says what a dry run would load and writes nothing', async () => {
      const result = await seed(['--dry-run', '--dir', await realExports()]);
      expect(result.stdout).toContain('Dry run: nothing is written.');
      expect(result.stdout).toContain('Would load 52 material prices, 0 already current');
      expect(result.stdout).not.toContain('Loaded');
      expect(await harness.db.query(`SELECT count(*)::int AS n FROM material_price_history`)).toEqual([{ n: 0 }]);
    });

    it('refuses to write when npm kept a --dry-run for itself (npm run seed --dry-run, without "--")', async () => {
      const result = await seed(['--dir', await realExports()], { npm_config_dry_run: 'true' });
      expect(result.stderr).toContain('npm took --dry-run as its own setting');
      expect(result.code).toBe(1);
      expect(await harness.db.query(`SELECT count(*)::int AS n FROM material_price_history`)).toEqual([{ n: 0 }]);
    });

    it('exits 1 when a --dir that was given does not exist', async () => {
      const result = await seed(['--dir', 'data/no-such-folder']);
      expect(result.stderr).toContain('The seeder could not run: The folder data/no-such-folder does not exist');
      expect(result.code).toBe(1);
    });

    it('exits 1 naming the mappings file and the cap when a section would hold more than MAPPINGS_MAX_ENTRIES', async () => {
      const directory = await harness.folder({
        'mappings.json': { suppliers: { 'Osorio Metals': 'Osorio', OMS: 'Osorio', 'O.M.S. Steel': 'Osorio' } },
        'a.json': [price('sq_tube_2x11ga', 3, '2024-01-01', 'OMS')],
      });
      const result = await seed(['--dir', directory], { MAPPINGS_MAX_ENTRIES: '2' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`The seeder could not run: The mappings ${join(directory, 'mappings.json')} cannot be used`);
      expect(result.stderr).toContain('suppliers would hold 3 entries, more than the 2 MAPPINGS_MAX_ENTRIES allows');
      expect(await harness.tables()).toEqual(NOTHING_SEEDED);
    });

    it("loads a shop's prices with the shop's own mappings", async () => {
      await createShop(harness.db, 'mapper@example.com');
      const result = await seed(['--shop', 'mapper@example.com', '--dir', await realExports({ 'mappings.json': OWNER_MAPPINGS })]);
      expect(result.code).toBe(2);
      expect(await harness.db.query(`SELECT count(*)::int AS n FROM price_mappings WHERE shop_id IS NULL`)).toEqual([{ n: 0 }]);
      expect(await harness.db.query(`SELECT count(*)::int AS n FROM price_mappings WHERE shop_id IS NOT NULL`)).toEqual([{ n: 4 }]);
    });
  });
});
