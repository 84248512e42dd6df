import { join } from 'node:path';

import { WRITE_BATCH_SIZE } from '../src/price-loads/actual-writer';
import { exitCodeOf, formatReport, type LoadReport } from '../src/price-loads/load-report';
import { PriceLoadError } from '../src/price-loads/price-load.error';
import { runBuilt } from './support/processes';
import { createShop as createShopIn, NOTHING_SEEDED, openSeeder, price, printed, REAL_EXPORTS, type SeederHarness } from './support/seeder';
import { TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

interface LogLine {
  level: number;
  msg: string;
  duration_ms?: number;
  counts?: Record<string, unknown>;
}

describe('invoice seeder', () => {
  let harness: SeederHarness;
  let db: TestDatabase;

  beforeAll(async () => {
    harness = await openSeeder();
    db = harness.db;
  });

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    await harness.reset();
  });

  const run: SeederHarness['run'] = (directory, options) => harness.run(directory, options);
  const folder: SeederHarness['folder'] = (files) => harness.folder(files);
  const tables: SeederHarness['tables'] = () => harness.tables();
  const createShop = (email: string) => createShopIn(db, email);

  async function currentPrices(materialType: string): Promise<Record<string, unknown>[]> {
    return db.query(
      `SELECT supplier, shop_id, price_date::text AS price_date, price_per_foot, price_per_lb, price_per_sqft
         FROM material_prices WHERE material_type = $1 ORDER BY supplier, shop_id, unit`,
      [materialType],
    );
  }

  async function historyOf(materialType: string): Promise<Record<string, unknown>[]> {
    return db.query(
      `SELECT supplier, price_date::text AS price_date, price_per_foot, price_per_lb, price_per_sqft
         FROM material_price_history WHERE material_type = $1 ORDER BY price_date, id`,
      [materialType],
    );
  }

  describe('the canonical formats', () => {
    it('lets a newer price replace the current one, leaves it for older dates and lower prices of the same date, and keeps every observation', async () => {
      const first = await run(await folder({ 'march.json': price('sq_tube_2x11ga', 3.45, '2024-03-15') }));
      expect(printed(first)).toContain('Loaded 1 material prices, 0 already current');

      const olderAndLower = await run(
        await folder({ 'late.json': [price('sq_tube_2x11ga', 3.1, '2024-01-10'), price('sq_tube_2x11ga', 3.3, '2024-03-15')] }),
      );
      expect(printed(olderAndLower)).toContain('Loaded 0 material prices, 1 already current');
      expect(printed(olderAndLower)).toContain(
        'sq_tube_2x11ga from Osorio per foot has 2 prices on 2024-03-15: 3.45, 3.3; the highest, 3.45, is current',
      );
      expect(await currentPrices('sq_tube_2x11ga')).toEqual([
        { supplier: 'Osorio', shop_id: null, price_date: '2024-03-15', price_per_foot: 3.45, price_per_lb: null, price_per_sqft: null },
      ]);
      // Same date, higher price: it becomes current, and the report shows both values.
      const higher = await run(await folder({ 'again.json': price('sq_tube_2x11ga', 3.99, '2024-03-15') }));
      expect(printed(higher)).toContain('Loaded 1 material prices, 0 already current');
      expect(printed(higher)).toContain(
        'sq_tube_2x11ga from Osorio per foot has 2 prices on 2024-03-15: 3.99, 3.45; the highest, 3.99, is current',
      );

      const newer = await run(await folder({ 'june.json': price('sq_tube_2x11ga', 3.8, '2024-06-01') }));
      expect(printed(newer)).toContain('Loaded 1 material prices, 0 already current');
      expect(await currentPrices('sq_tube_2x11ga')).toEqual([expect.objectContaining({ price_date: '2024-06-01', price_per_foot: 3.8 })]);
      expect((await historyOf('sq_tube_2x11ga')).map((row) => [row.price_date, row.price_per_foot])).toEqual([
        ['2024-01-10', 3.1],
        ['2024-03-15', 3.45],
        ['2024-03-15', 3.3],
        ['2024-03-15', 3.99],
        ['2024-06-01', 3.8],
      ]);
    });

    it('keeps one current price per material and supplier, and never deletes one', async () => {
      await run(
        await folder({ 'a.json': [price('angle_2x2x0.125', 1.3, '2024-09-19'), price('angle_2x2x0.125', 1.5, '2024-09-19', 'Wexler')] }),
      );
      await run(await folder({ 'b.json': price('flat_bar_2x0.25', 1.28, '2025-01-28') }));
      expect((await currentPrices('angle_2x2x0.125')).map((row) => row.supplier)).toEqual(['Osorio', 'Wexler']);
      expect(await currentPrices('flat_bar_2x0.25')).toHaveLength(1);
    });

    it('changes nothing on a second run: Loaded 0 material prices, N already current', async () => {
      const directory = await folder({
        'prices.json': [
          price('sq_tube_2x11ga', 3.45, '2024-03-15'),
          price('sq_tube_2x11ga', 3.2, '2024-01-15'),
          price('angle_2x2x0.125', 1.29, '2024-12-02'),
        ],
        'lb.json': { material_type: 'flat_bar_4x0.5', price_per_lb: 0.96, supplier: 'Wexler', date: '2023-09-05' },
        'actual.json': {
          type: 'labor_actual',
          invoice: '12217',
          date: '2024-06-23',
          job_type: 'swing_gate',
          actual_hours_by_process: { fit_tack: 2.5, full_weld: 3 },
          total_hours: 7,
          shop_rate: 125,
          material_cost: 95,
          labor_cost: 875,
          total: 1255,
          quote_id: null,
          notes: 'gate',
        },
      });
      const first = await run(directory);
      expect(printed(first)).toContain('Loaded 3 material prices, 0 already current');
      expect(printed(first)).toContain('Loaded 1 labor actuals, 0 already current');
      const afterFirst = await tables();

      const second = await run(directory);
      expect(printed(second)).toContain('Loaded 0 material prices, 3 already current');
      expect(printed(second)).toContain('Loaded 0 labor actuals, 1 already current');
      expect(second.prices.newObservations).toBe(0);
      expect(exitCodeOf(second)).toBe(0);
      expect(await tables()).toEqual(afterFirst);
    });

    it('updates a re-loaded invoice in place instead of adding one', async () => {
      const actual = { type: 'labor_actual', invoice: '12217', date: '2024-06-23', total: 1255 };
      await run(await folder({ 'a.json': actual }));
      const [{ id }] = await db.query<{ id: number }>('SELECT id FROM historical_actuals');
      const report = await run(await folder({ 'a.json': { ...actual, labor_cost: 875 } }));
      expect(printed(report)).toContain('Loaded 1 labor actuals, 0 already current');
      expect(await db.query('SELECT id, invoice_total, labor_cost FROM historical_actuals')).toEqual([
        { id, invoice_total: 1255, labor_cost: 875 },
      ]);
    });

    it('writes nothing on a dry run, and reports the counts of the real run', async () => {
      await run(await folder({ 'old.json': [price('sq_tube_2x11ga', 3.45, '2024-03-15'), price('angle_2x2x0.125', 1.29, '2024-12-02')] }));
      const before = await tables();
      const directory = await folder({
        'new.json': [
          price('sq_tube_2x11ga', 3.8, '2024-06-01'),
          price('angle_2x2x0.125', 1.1, '2024-01-02'),
          price('channel_3x4.1', 3.29, '2024-07-05'),
        ],
        'actual.json': { type: 'labor_actual', invoice: '7', total: 100 },
      });

      const dryRun = await run(directory, { dryRun: true });
      expect(await tables()).toEqual(before);
      expect(printed(dryRun)).toContain('Dry run: nothing is written.');
      expect(printed(dryRun)).toContain('Would load 2 material prices, 1 already current');
      expect(printed(dryRun)).not.toContain('Loaded');

      const realRun = await run(directory);
      expect({
        prices: dryRun.prices,
        actuals: dryRun.actuals,
        rejects: dryRun.rejects,
        changes: dryRun.changes,
        warnings: dryRun.warnings,
      }).toEqual({
        prices: realRun.prices,
        actuals: realRun.actuals,
        rejects: realRun.rejects,
        changes: realRun.changes,
        warnings: realRun.warnings,
      });
      expect(printed(realRun)).toContain('Loaded 2 material prices, 1 already current');
    });

    it("loads --shop prices as that shop's own and leaves the shared baseline alone", async () => {
      const shopId = await createShop('owner@seed-shop.test');
      await run(await folder({ 'base.json': price('sq_tube_2x11ga', 3.45, '2024-03-15') }));
      const report = await run(await folder({ 'own.json': price('sq_tube_2x11ga', 2.99, '2024-01-01') }), {
        shopEmail: ' Owner@Seed-Shop.test ',
      });
      // An older date than the baseline's, yet loaded: the shop's scope has its own current price.
      expect(printed(report)).toContain('Loaded 1 material prices, 0 already current');
      expect(printed(report)).toContain('into the prices of shop  Owner@Seed-Shop.test ');
      expect((await currentPrices('sq_tube_2x11ga')).map((row) => [row.shop_id, row.price_per_foot])).toEqual([
        [shopId, 2.99],
        [null, 3.45],
      ]);
    });

    it('refuses an unknown --shop email before reading anything', async () => {
      await expect(
        run(await folder({ 'a.json': price('sq_tube_2x11ga', 3, '2024-01-01') }), { shopEmail: 'nobody@nowhere.test' }),
      ).rejects.toThrow(
        new PriceLoadError(
          'No shop account has the email nobody@nowhere.test: register the shop first, or leave out --shop to load the shared baseline',
        ),
      );
      expect(await tables()).toEqual(NOTHING_SEEDED);
    });

    it('says there is nothing to load in an empty folder or a missing default one, and refuses a missing --dir', async () => {
      const absent = join(await folder({}), 'no-such-folder');
      const missing = await run(absent);
      expect(missing.nothingToLoad).toMatch(/does not exist$/);
      await expect(run(absent, { directoryGiven: true })).rejects.toThrow(new PriceLoadError(`The folder ${absent} does not exist`));
      const empty = await run(await folder({ 'notes.txt': 'not json' }));
      expect(printed(empty)).toContain('Nothing to load: no .json, .csv or .xlsx files in');
      expect(printed(empty)).toContain('Ignored notes.txt: only .json, .csv and .xlsx files are read');
      expect(exitCodeOf(empty)).toBe(0);
    });
  });

  describe('bad input is reported as file:record: reason (records count from 1), and the good records still load', () => {
    const good = price('sq_tube_2x11ga', 3.45, '2024-03-15');
    const goodToo = price('angle_2x2x0.125', 1.29, '2024-12-02');
    // [case, content of bad.json, the reject line, material prices loaded from good.json and bad.json]
    const cases: [string, string, string | RegExp, number][] = [
      [
        'invalid JSON',
        '[\n  {"material_type": "angle_2x2x0.125", "price_per_foot": 1.29,}\n]',
        /^ {2}bad\.json: is not valid JSON: .+ \(line 2, column 63\)$/,
        1,
      ],
      [
        'a record that is not an object',
        JSON.stringify([goodToo, 'angle 2x2']),
        'bad.json:2: the record is the text "angle 2x2", not an object',
        2,
      ],
      [
        'a record without material_type',
        JSON.stringify([goodToo, { price_per_foot: 2, supplier: 'Osorio', date: '2024-01-01' }]),
        'bad.json:2: material_type is missing',
        2,
      ],
      [
        'a missing price',
        JSON.stringify([goodToo, { material_type: 'flat_bar_2x0.25', supplier: 'Osorio', date: '2024-01-01' }]),
        'bad.json:2: no price: give price_per_foot, price_per_lb, price_per_sqft or several',
        2,
      ],
      [
        'a zero price',
        JSON.stringify([goodToo, price('flat_bar_2x0.25', 0, '2024-01-01')]),
        'bad.json:2: price_per_foot must be more than 0 (got 0)',
        2,
      ],
      [
        'a negative price',
        JSON.stringify([goodToo, price('flat_bar_2x0.25', -1.28, '2024-01-01')]),
        'bad.json:2: price_per_foot must be more than 0 (got -1.28)',
        2,
      ],
      [
        'a price that is a string',
        JSON.stringify([goodToo, { ...price('flat_bar_2x0.25', 0, '2024-01-01'), price_per_foot: '1.28' }]),
        'bad.json:2: price_per_foot must be a number (got the text "1.28")',
        2,
      ],
      [
        'a NaN price',
        `[${JSON.stringify(goodToo)}, {"material_type": "flat_bar_2x0.25", "price_per_foot": NaN, "date": "2024-01-01"}]`,
        'bad.json:2: price_per_foot is NaN, not a number',
        2,
      ],
      [
        'an impossible date',
        JSON.stringify([goodToo, price('flat_bar_2x0.25', 1.28, '2024-02-30')]),
        'bad.json:2: date "2024-02-30" (read as YYYY-MM-DD): February has 29 days in 2024',
        2,
      ],
      [
        'an unknown record type',
        JSON.stringify([goodToo, { type: 'hardware_item', name: 'hinge', price: 12 }]),
        'bad.json:2: unknown record type "hardware_item" (known: material_price, labor_actual)',
        2,
      ],
    ];

    it.each(cases)('%s', async (_case, badFile, reject, loaded) => {
      const report = await run(await folder({ 'good.json': [good], 'bad.json': badFile }));
      expect(formatReport(report)).toContainEqual(typeof reject === 'string' ? `  ${reject}` : expect.stringMatching(reject));
      expect(report.rejects).toHaveLength(1);
      expect(exitCodeOf(report)).toBe(2);
      expect(printed(report)).toContain(`Loaded ${loaded} material prices, 0 already current`);
      expect(await currentPrices('sq_tube_2x11ga')).toHaveLength(1);
      expect(await currentPrices('flat_bar_2x0.25')).toEqual([]);
    });
  });

  it.each([
    // The second of three history batches, sent while the seeder reads on.
    ['material_price_history', WRITE_BATCH_SIZE + 2],
    ['material_prices', 2],
    ['historical_actuals', 1],
  ])('a failure in the middle of a run (the %s insert number %d) leaves the database exactly as before', async (table, failingInsert) => {
    await run(
      await folder({ 'first.json': [price('sq_tube_2x11ga', 3.45, '2024-03-15'), { type: 'labor_actual', invoice: '1', total: 10 }] }),
    );
    const before = await tables();
    await db.query(`
      CREATE SEQUENCE seed_fault_inserts;
      CREATE FUNCTION seed_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('seed_fault_inserts') = ${failingInsert} THEN RAISE EXCEPTION 'injected failure'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER seed_fault BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION seed_fault();`);
    try {
      const directory = await folder({
        'second.json': [
          price('sq_tube_2x11ga', 3.8, '2024-06-01'),
          price('angle_2x2x0.125', 1.29, '2024-12-02'),
          price('channel_3x4.1', 3.29, '2024-07-05'),
        ],
        'weekly.json': Array.from({ length: 2 * WRITE_BATCH_SIZE + 100 }, (_, week) =>
          price(`flat_bar_${1 + (week % 50)}x0.25`, 1 + week / 1000, '2024-01-01'),
        ),
        'actuals.json': [
          { type: 'labor_actual', invoice: '1', total: 12 },
          { type: 'labor_actual', invoice: '2', total: 20 },
        ],
      });
      await expect(run(directory)).rejects.toThrow('injected failure');
    } finally {
      await db.query(`DROP TRIGGER seed_fault ON ${table}; DROP FUNCTION seed_fault(); DROP SEQUENCE seed_fault_inserts;`);
    }
    expect(await tables()).toEqual(before);
  });

  describe('the real exports', () => {
    let report: LoadReport;
    beforeEach(async () => {
      report = await run(REAL_EXPORTS);
    });

    it('loads or reports every record, and counts exact duplicates once', async () => {
      expect(
        report.files.map(({ file, records, accepted, rejected, exactDuplicates }) => [file, records, accepted, rejected, exactDuplicates]),
      ).toEqual([
        ['createstage_invoices.json', 15, 15, 0, 0],
        ['firetable_pro_bom.json', 1, 12, 0, 0],
        ['osorio_prices_raw.json', 67, 61, 6, 18],
        ['osorio_prices_seed.json', 35, 31, 4, 0],
        ['wexler_prices_raw.json', 16, 10, 6, 0],
      ]);
      expect(report.rejects.map(({ file, record }) => `${file}:${record}`)).toEqual([
        ...[1, 2, 12, 15, 33, 47].map((record) => `osorio_prices_raw.json:${record}`),
        ...[8, 18, 19, 22].map((record) => `osorio_prices_seed.json:${record}`),
        ...[6, 8, 9, 10, 14, 16].map((record) => `wexler_prices_raw.json:${record}`),
      ]);
      // One line per item, the description as text, its records with price and date, and the mapping that fixes it.
      expect(formatReport(report)).toContain(
        '  Flat Bar 1/2" x — osorio_prices_raw.json:1 (5.6 per foot, 2023-09-05), osorio_prices_raw.json:2 (6.622 per foot, 2023-09-05), ' +
          'osorio_prices_seed.json:18 (5.6 per foot, 2023-09-05): the description stops at "x": it was cut off. ' +
          'Fix in the mappings: "materials": { "Flat Bar 1/2\\" x": "<material key>" } or "ignore": [ "Flat Bar 1/2\\" x" ] ' +
          '(closest known keys: flat_bar_0.5x0.125, flat_bar_4x0.5, flat_bar_1.25x0.125)',
      );
      expect(printed(report)).toContain('  HRRECTB-0295-24 — wexler_prices_raw.json:14 (7.28 per foot, 2022-11-28): it names no shape');
      // 31 Osorio materials, 8 Wexler items (one of them in two units) and 12 bill-of-materials lines, each its own
      // (material, supplier, unit).
      expect(printed(report)).toContain('Loaded 52 material prices, 0 already current');
      expect(printed(report)).toContain('Loaded 15 labor actuals, 0 already current');
      expect(printed(report)).toContain('Rejected 16 records (8 items):');
      expect(exitCodeOf(report)).toBe(2);

      // 49 distinct raw Osorio rows less 5 reported ones; the summary file's rows are all among them.
      expect(await db.query(`SELECT count(*)::int AS n FROM material_price_history WHERE supplier = 'Osorio'`)).toEqual([{ n: 44 }]);
      // Twice in the raw list (an exact duplicate) and once in the summary: one observation.
      expect(await historyOf('flat_bar_1x0.125')).toEqual([
        { supplier: 'Osorio', price_date: '2024-09-03', price_per_foot: 0.339, price_per_lb: null, price_per_sqft: null },
      ]);
    });

    it.each([
      // The summary file says 7/5/2024 at 1.8242 ("7/5/2024" > "1/22/2025" as text); the raw list has later prices.
      ['sq_tube_1.5x11ga', 'Osorio', { price_date: '2025-01-22', price_per_foot: 1.5504 }],
      // The summary file says 9/19/2024 at 3.141.
      ['angle_3x3x0.1875', 'Osorio', { price_date: '2025-02-24', price_per_foot: 2.365 }],
      ['angle_2x2x0.125', 'Osorio', { price_date: '2024-12-02', price_per_foot: 1.2865 }],
      ['sq_tube_1x11ga', 'Osorio', { price_date: '2025-01-28', price_per_foot: 1.1479 }],
      // "3/16ga" is a 3/16-inch wall.
      ['sq_tube_6x0.1875', 'Osorio', { price_date: '2024-06-03', price_per_foot: 13.6 }],
      ['sq_tube_1.5x0.1875', 'Osorio', { price_date: '2025-02-24', price_per_foot: 2.4833 }],
      ['al_angle_2x2x0.125', 'Osorio', { price_date: '2024-09-24', price_per_foot: 2.82 }],
      // "11 ga" and "11ga" are one key: 3/1/2024 at 2.8823, then 6/21/2024 at 2.4942.
      ['sq_tube_2x11ga', 'Osorio', { price_date: '2024-06-21', price_per_foot: 2.4942 }],
      // Missing inch mark: "1-3/4\" x 1-3/4 x 11ga".
      ['sq_tube_1.75x11ga', 'Osorio', { price_date: '2025-01-22', price_per_foot: 2.3979 }],
      ['channel_3x4.1', 'Osorio', { price_date: '2024-07-05', price_per_foot: 3.2865 }],
      // Per-lb prices stay per lb.
      ['flat_bar_4x0.5', 'Wexler', { price_date: '2023-09-05', price_per_lb: 0.96 }],
      ['ss316_flat_bar_4x0.1875', 'Wexler', { price_date: '2025-03-26', price_per_lb: 4.98 }],
      // Two prices on one day (3.50 and 2.57): the higher one is current.
      ['sq_tube_2x11ga', 'Wexler', { price_date: '2023-08-23', price_per_foot: 3.5 }],
      ['dom_tube_1.5x11ga', 'Wexler', { price_date: '2025-01-13', price_per_foot: 4.72 }],
      // Bill of materials, per stick: 169.58 / 20' and 37.21 / 24'; per sheet: 224.67 / (48" x 96" = 32 sq ft).
      ['ss304_angle_2x2x0.1875', 'Osorio Metals Supply Inc.', { price_date: null, price_per_foot: 8.479 }],
      ['sq_tube_1.5x11ga', 'Osorio Metals Supply Inc.', { price_date: null, price_per_foot: 1.5504 }],
      ['al_sheet_11ga', 'Osorio Metals Supply Inc.', { price_date: null, price_per_sqft: 7.0209 }],
    ] as const)('%s from %s is the price worked out by hand', async (materialType, supplier, expected) => {
      const rows = (await currentPrices(materialType)).filter((row) => row.supplier === supplier);
      expect(rows).toEqual([{ supplier, shop_id: null, price_per_foot: null, price_per_lb: null, price_per_sqft: null, ...expected }]);
    });

    it('keeps a current price per unit: per foot and per lb are never compared', async () => {
      // 11/3/2023 at 3.76 per ft, then 6/3/2024 at 3.42 per lb: each is the current price of its unit.
      expect((await currentPrices('rect_tube_4x2x11ga')).filter((row) => row.supplier === 'Wexler')).toEqual([
        { supplier: 'Wexler', shop_id: null, price_date: '2023-11-03', price_per_foot: 3.76, price_per_lb: null, price_per_sqft: null },
        { supplier: 'Wexler', shop_id: null, price_date: '2024-06-03', price_per_foot: null, price_per_lb: 3.42, price_per_sqft: null },
      ]);
    });

    it('keeps both units of an item in the history when the newer price is per lb', async () => {
      expect((await historyOf('rect_tube_4x2x11ga')).filter((row) => row.supplier === 'Wexler')).toEqual([
        { supplier: 'Wexler', price_date: '2023-11-03', price_per_foot: 3.76, price_per_lb: null, price_per_sqft: null },
        { supplier: 'Wexler', price_date: '2024-06-03', price_per_foot: null, price_per_lb: 3.42, price_per_sqft: null },
      ]);
    });

    it('loads the shop invoices as historical actuals with their dates and costs', async () => {
      const actuals = await db.query(
        `SELECT invoice_number, invoice_date::text AS invoice_date, invoice_total, actual_material_cost, labor_cost, shop_rate, quoted_hours, source_file, shop_id, quote_id
           FROM historical_actuals ORDER BY invoice_number`,
      );
      expect(actuals).toHaveLength(15);
      const byInvoice = Object.fromEntries(actuals.map((row) => [row.invoice_number, row]));
      expect(byInvoice['12216']).toEqual({
        invoice_number: '12216',
        invoice_date: '2024-06-18',
        invoice_total: 4867,
        actual_material_cost: 2367,
        labor_cost: 2500,
        shop_rate: null,
        quoted_hours: null,
        source_file: 'sqinv-12216.pdf',
        shop_id: null,
        quote_id: null,
      });
      expect(byInvoice['12217']).toMatchObject({
        invoice_date: '2024-06-23',
        invoice_total: 1255,
        actual_material_cost: 95,
        labor_cost: null,
        shop_rate: 125,
        quoted_hours: 7,
      });
      expect(byInvoice['12213']).toMatchObject({
        invoice_date: '2024-04-02',
        invoice_total: 3225.5,
        actual_material_cost: 38,
        shop_rate: 125,
        quoted_hours: 25.5,
      });
      expect(byInvoice['000001']).toMatchObject({ invoice_date: '2023-09-05', invoice_total: 288.4 });
      expect(byInvoice['12228']).toMatchObject({
        invoice_date: '2025-10-23',
        invoice_total: 2335,
        actual_material_cost: 150,
        labor_cost: 2185,
      });
    });

    it('changes nothing when run again, dry or real', async () => {
      const afterFirst = await tables();
      const dryRun = await run(REAL_EXPORTS, { dryRun: true });
      const again = await run(REAL_EXPORTS);
      for (const second of [dryRun, again]) {
        expect(printed(second)).toContain(`${second === dryRun ? 'Would load' : 'Loaded'} 0 material prices, 52 already current`);
        expect(printed(second)).toContain(`${second === dryRun ? 'Would load' : 'Loaded'} 0 labor actuals, 15 already current`);
        expect(second.prices.newObservations).toBe(0);
      }
      expect(await tables()).toEqual(afterFirst);
    });
  });

  describe('the command (dist/seed.js)', () => {
    const seed = (args: string[], env: Record<string, string> = {}) =>
      runBuilt('seed.js', args, { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, ...env });
    /** The command's log on stderr: JSON lines (LOG_FORMAT's default where stdout is not a terminal). */
    const logOf = (stderr: string) =>
      stderr
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine);
    const WARN = 40;
    const ERROR = 50;

    it('seed script runs clean: the report on stdout, its run logged on stderr through the app logger', async () => {
      const emptyFolder = await folder({});
      const result = await seed(['--dir', emptyFolder]);
      expect(result.stdout).toContain(`Nothing to load: no .json, .csv or .xlsx files in ${emptyFolder}`);
      expect(result.stdout).toContain('Loaded 0 material prices, 0 already current');
      expect(result.code).toBe(0);
      const log = logOf(result.stderr);
      expect(log.map((line) => line.msg)).toEqual(['seed run started', 'seed run finished']);
      expect(log.every((line) => line.level < WARN)).toBe(true);
      expect(log[0]).toMatchObject({ directory: emptyFolder, dry_run: false, scope: 'baseline' });
      expect(log[1]).toMatchObject({ exit_code: 0, counts: { material_prices: { loaded: 0 }, rejected: 0 } });
      expect(log[1].duration_ms).toEqual(expect.any(Number));
    });

    it('needs no JWT_SECRET: it signs no token', async () => {
      const result = await runBuilt('seed.js', ['--dir', await folder({ 'a.json': price('sq_tube_2x11ga', 3.45, '2024-03-15') })], {
        DATABASE_URL: db.url,
      });
      expect(logOf(result.stderr).filter((line) => line.level >= WARN)).toEqual([]);
      expect(result.stdout).toContain('Loaded 1 material prices');
      expect(result.code).toBe(0);
    });

    it('exits 0 when every record loads, and 2 with the rejects listed when some do not', async () => {
      const clean = await seed(['--dir', await folder({ 'a.json': price('sq_tube_2x11ga', 3.45, '2024-03-15') })]);
      expect(clean.stdout).toContain('Loaded 1 material prices, 0 already current');
      expect(clean.code).toBe(0);

      const real = await seed(['--dir', REAL_EXPORTS]);
      expect(real.stdout).toContain('Loaded 52 material prices, 0 already current');
      expect(real.stdout).toContain('  HRRECTB-0295-24 — wexler_prices_raw.json:14 (7.28 per foot, 2022-11-28)');
      expect(real.code).toBe(2);
      const finished = logOf(real.stderr).find((line) => line.msg === 'seed run finished');
      expect(finished).toMatchObject({ level: WARN, exit_code: 2, counts: { material_prices: { loaded: 52 } } });
      expect(finished?.counts).toMatchObject({ rejected: expect.any(Number) });
    });

    it('exits 1 with a clear message when it cannot run', async () => {
      const unknownShop = await seed(['--dir', REAL_EXPORTS, '--shop', 'nobody@nowhere.test']);
      expect(logOf(unknownShop.stderr).at(-1)).toMatchObject({
        level: ERROR,
        msg: expect.stringContaining('The seeder could not run: No shop account has the email nobody@nowhere.test') as string,
      });
      expect(unknownShop.code).toBe(1);

      const notAFolder = await seed(['--dir', join(REAL_EXPORTS, 'wexler_prices_raw.json')]);
      expect(notAFolder.stderr).toContain('The seeder could not run: Cannot read the folder');
      expect(notAFolder.code).toBe(1);

      const noDatabase = await seed(['--dir', REAL_EXPORTS], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
      expect(noDatabase.stderr).toContain('The seeder could not run: the database is unreachable');
      expect(noDatabase.code).toBe(1);

      const badFlag = await seed(['--force']);
      expect(badFlag.stderr).toContain('Unknown argument "--force"');
      expect(badFlag.code).toBe(1);
      expect(await tables()).toEqual(NOTHING_SEEDED);
    });
  });
});
