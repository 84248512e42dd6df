import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, registerShop, type TokenResponse } from './support/auth';
import { runBuilt } from './support/processes';
import { REAL_EXPORTS } from './support/seeder';
import { closeTestApp, openTestApp } from './support/test-app';
import { TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const PRICE_FIELDS = [
  'id',
  'material_type',
  'supplier',
  'price_per_foot',
  'price_per_lb',
  'price_per_sqft',
  'price_date',
  'scope',
  'source',
  'notes',
];
const RESOLVED_FIELDS = ['material_type', 'unit', 'price', 'supplier', 'price_date', 'age_days', 'stale', 'scope', 'rule', 'alternatives'];
const STALE_DAYS = 180;

/** `days` days before today, as an ISO date. */
const daysAgo = (days: number): string => new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
// Fixed once: a run that crosses midnight (UTC) sees every age one day older, never a different date.
const [ONE, FIVE, TEN, FORTY, THREE_HUNDRED] = [1, 5, 10, 40, 300].map(daysAgo);
/** An age in days as the server counts it: `days`, or one more if midnight passed since the dates were fixed. */
const ageOf = (days: number) => ({
  asymmetricMatch: (age: unknown) => age === days || age === days + 1,
  toAsymmetricMatcher: () => `${days} or ${days + 1}`,
});

describe('/api/material-prices', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let shopA: TokenResponse & { email: string };
  let shopB: TokenResponse & { email: string };
  let shopC: TokenResponse & { email: string };
  let workdir: string;

  const http = () => request(app.getHttpServer());
  const seed = (args: string[]) => runBuilt('seed.js', args, { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });

  async function seedFolder(name: string, files: Record<string, unknown>, args: string[] = []): Promise<void> {
    const folder = join(workdir, name);
    await mkdir(folder);
    for (const [file, content] of Object.entries(files))
      await writeFile(join(folder, file), typeof content === 'string' ? content : JSON.stringify(content));
    const result = await seed(['--dir', folder, ...args]);
    if (result.code === 1) throw new Error(`the seeder could not run: ${result.stderr}`);
  }

  const price = (material_type: string, amount: number, date: string | null, supplier: string, unit: 'foot' | 'lb' | 'sqft' = 'foot') => ({
    material_type,
    [`price_per_${unit}`]: amount,
    supplier,
    date,
  });

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ PRICE_STALE_DAYS: String(STALE_DAYS) }));
    [shopA, shopB, shopC] = [await registerShop(app), await registerShop(app), await registerShop(app)];
    workdir = await mkdtemp(join(tmpdir(), 'material-prices-'));

    // As an admin would: the real exports with the owner's mappings into the shared baseline...
    const exports: Record<string, unknown> = {
      'mappings.json': {
        suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' },
        materials: { 'Flat Bar 1/2" x': 'flat_bar_4x0.5', 'HRRECTB-0295-24': 'rect_tube_3x2x0.1875' },
        ignore: ['Tubing - Round 4" OD x sch 40'],
      },
    };
    for (const name of await readdir(REAL_EXPORTS)) exports[name] = await readFile(join(REAL_EXPORTS, name), 'utf8');
    await seedFolder('baseline', exports);
    // ...then shop A's own price list, and shop C's prices made for the resolution rules.
    await seedFolder(
      'shop-a',
      { 'own.json': [{ ...price('sq_tube_1.5x11ga', 1.25, '2025-03-01', 'Osorio'), notes: 'our contract price' }] },
      ['--shop', shopA.email],
    );
    await seedFolder(
      'shop-c',
      {
        'rules.json': [
          // Latest date wins; on the same date the higher price; undated never beats dated.
          price('flat_bar_5x0.375', 5, TEN, 'Acme'),
          price('flat_bar_5x0.375', 6, TEN, 'Bolt'),
          price('flat_bar_5x0.375', 9, FORTY, 'Cord'),
          price('flat_bar_5x0.375', 20, null, 'Dull'),
          // Nothing dated: the higher undated price.
          price('round_bar_0.75', 2, null, 'Acme'),
          price('round_bar_0.75', 3, null, 'Bolt'),
          // Two units: the latest wins when no unit is asked.
          price('angle_3x3x0.25', 0.9, FIVE, 'Acme', 'lb'),
          price('angle_3x3x0.25', 3.1, THREE_HUNDRED, 'Bolt', 'foot'),
          // Only shop C prices this key.
          price('sq_bar_1.25', 7.5, ONE, 'Acme'),
          // Shop C's own price is undated; the baseline's is dated.
          price('sq_tube_1.5x11ga', 0.99, null, 'Dull'),
          // Two units on one day: per foot before per lb, whatever the amounts.
          price('round_tube_2x11ga', 5, FIVE, 'Acme', 'lb'),
          price('round_tube_2x11ga', 2, FIVE, 'Bolt', 'foot'),
        ],
      },
      ['--shop', shopC.email],
    );
  });

  afterAll(async () => {
    await closeTestApp(db, app);
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  it('needs an access token', async () => {
    await http().get('/api/material-prices').expect(401);
    await http().get('/api/material-prices/sq_tube_1.5x11ga/history').expect(401);
    await http().get('/api/material-prices/resolve').query({ material_type: 'sq_tube_1.5x11ga' }).expect(401);
    await http()
      .post('/api/material-prices/resolve')
      .send({ material_types: ['sq_tube_1.5x11ga'] })
      .expect(401);
  });

  describe('GET /api/material-prices', () => {
    it('lists the shared baseline to every shop, one row per material, supplier and unit, with exactly the documented fields', async () => {
      const response = await http().get('/api/material-prices?limit=100').set(bearer(shopB.access_token)).expect(200);
      expect(response.body).toMatchObject({ total: 51, limit: 100, offset: 0 });
      expect(response.body.items).toHaveLength(51);
      for (const row of response.body.items) expect(Object.keys(row).sort()).toEqual([...PRICE_FIELDS, 'unit', 'updated_at'].sort());
      expect(new Set(response.body.items.map((row: { scope: string }) => row.scope))).toEqual(new Set(['baseline']));
      expect(new Set(response.body.items.map((row: { supplier: string }) => row.supplier))).toEqual(new Set(['Osorio', 'Wexler']));
    });

    it("shows a shop its own prices beside the baseline, and no other shop's", async () => {
      const own = await http()
        .get('/api/material-prices')
        .query({ material_type: ' SQ_TUBE_1.5x11GA ' })
        .set(bearer(shopA.access_token))
        .expect(200);
      expect(
        own.body.items.map((row: Record<string, unknown>) => [row.supplier, row.scope, row.unit, row.price_per_foot, row.price_date]),
      ).toEqual([
        ['Osorio', 'shop', 'foot', 1.25, '2025-03-01'],
        ['Osorio', 'baseline', 'foot', 1.5504, '2025-01-22'],
      ]);
      expect(own.body.items[0]).toMatchObject({
        material_type: 'sq_tube_1.5x11ga',
        notes: 'our contract price',
        source: 'own.json:1',
        price_per_lb: null,
        price_per_sqft: null,
      });

      const other = await http()
        .get('/api/material-prices')
        .query({ material_type: 'sq_tube_1.5x11ga' })
        .set(bearer(shopB.access_token))
        .expect(200);
      expect(other.body.items.map((row: Record<string, unknown>) => [row.supplier, row.scope])).toEqual([['Osorio', 'baseline']]);
      const all = await http().get('/api/material-prices?limit=100').set(bearer(shopB.access_token)).expect(200);
      expect(all.body.items.some((row: { notes: string | null }) => row.notes === 'our contract price')).toBe(false);
    });

    it("lists the history of a material newest first, undated observations last, with the supplier's own words", async () => {
      const response = await http().get('/api/material-prices/sq_tube_1.5x11ga/history').set(bearer(shopB.access_token)).expect(200);
      expect(response.body).toMatchObject({ total: 8, limit: 50, offset: 0 });
      expect(
        response.body.items.map((observation: Record<string, unknown>) => [
          observation.price_date,
          observation.price_per_foot,
          observation.supplier,
        ]),
      ).toEqual([
        ['2025-01-22', 1.5504, 'Osorio'],
        ['2024-10-03', 1.5804, 'Osorio'],
        ['2024-07-05', 1.8242, 'Osorio'],
        ['2023-11-03', 2.1633, 'Osorio'],
        ['2023-11-03', 3.8196, 'Osorio'],
        ['2023-11-03', 2.2667, 'Osorio'],
        ['2023-11-03', 4.2792, 'Osorio'],
        [null, 1.5504, 'Osorio'],
      ]);
      expect(Object.keys(response.body.items[0]).sort()).toEqual([...PRICE_FIELDS, 'raw_description', 'recorded_at'].sort());
      expect(response.body.items[0].raw_description).toMatch(/^Tubing - Square 1-1\/2" x 1-1\/2" x 11 ?ga$/i);

      const own = await http().get('/api/material-prices/SQ_TUBE_1.5X11GA/history').set(bearer(shopA.access_token)).expect(200);
      expect(own.body.items[0]).toMatchObject({
        price_date: '2025-03-01',
        price_per_foot: 1.25,
        scope: 'shop',
        raw_description: 'sq_tube_1.5x11ga',
      });
      expect(own.body.items).toHaveLength(9);
    });

    it('pages a long history: 50 newest by default with the total, up to 500 a page with limit and offset', async () => {
      const shop = await registerShop(app);
      const OBSERVATIONS = 120;
      // One observation a day from 2024-01-01, each from its own supplier: newest first is highest index first.
      const dateOf = (index: number) => new Date(Date.UTC(2024, 0, 1 + index)).toISOString().slice(0, 10);
      const rows = Array.from({ length: OBSERVATIONS }, (_, index) => `flat_bar_11x0.875,${10 + index},Supplier ${index},${dateOf(index)}`);
      await http()
        .post('/api/material-prices/imports')
        .set(bearer(shop.access_token))
        .attach('file', Buffer.from(`material_type,price_per_foot,supplier,date\n${rows.join('\n')}\n`), 'history.csv')
        .expect(201);
      const history = (query: Record<string, number> = {}) =>
        http().get('/api/material-prices/flat_bar_11x0.875/history').query(query).set(bearer(shop.access_token));
      const datesOf = (body: { items: { price_date: string }[] }) => body.items.map((observation) => observation.price_date);
      const newestFirst = (from: number, count: number) => Array.from({ length: count }, (_, index) => dateOf(from - index));

      const first = await history().expect(200);
      expect(first.body).toMatchObject({ total: OBSERVATIONS, limit: 50, offset: 0 });
      expect(datesOf(first.body)).toEqual(newestFirst(OBSERVATIONS - 1, 50));

      const second = await history({ limit: 50, offset: 50 }).expect(200);
      expect(datesOf(second.body)).toEqual(newestFirst(OBSERVATIONS - 51, 50));
      const widest = await history({ limit: 500, offset: 100 }).expect(200);
      expect(widest.body).toMatchObject({ total: OBSERVATIONS, limit: 500, offset: 100 });
      expect(datesOf(widest.body)).toEqual(newestFirst(OBSERVATIONS - 101, 20));

      for (const query of [{ limit: 501 }, { limit: 0 }, { offset: -1 }] as Record<string, number>[]) {
        const refused = await history(query).expect(400);
        expect(JSON.stringify(refused.body.message)).toMatch(/limit|offset/);
      }
    });

    it('answers an empty history for a material nobody priced, and 400 for an unknown query field or a key that cannot be one', async () => {
      const response = await http().get('/api/material-prices/unobtainium_bar_1/history').set(bearer(shopA.access_token)).expect(200);
      expect(response.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
      await http().get('/api/material-prices').query({ supplier: 'Osorio' }).set(bearer(shopA.access_token)).expect(400);
      await http().get('/api/material-prices').query({ material_type: 'sq_tube\u0000' }).set(bearer(shopA.access_token)).expect(400);
      await http().get('/api/material-prices/sq_tube%002x11ga/history').set(bearer(shopA.access_token)).expect(400);
      const malformed = await http().get('/api/material-prices/sq_tube_2x/history').set(bearer(shopA.access_token)).expect(400);
      expect(malformed.body.message).toMatch(/^material_type sq_tube_2x: /);
    });
  });

  describe('GET /api/material-prices/resolve', () => {
    const resolve = (shop: TokenResponse, query: Record<string, string>) =>
      http().get('/api/material-prices/resolve').query(query).set(bearer(shop.access_token));

    it("answers the baseline's latest dated price, never the bill of materials' undated one", async () => {
      const before = Date.now();
      const response = await resolve(shopB, { material_type: 'sq_tube_1.5x11ga' }).expect(200);
      expect(Object.keys(response.body).sort()).toEqual([...RESOLVED_FIELDS].sort());
      const ages = [before, Date.now()].map((now) => Math.floor((now - Date.parse('2025-01-22T00:00:00Z')) / 86_400_000));
      expect(response.body).toEqual({
        material_type: 'sq_tube_1.5x11ga',
        unit: 'foot',
        price: 1.5504,
        supplier: 'Osorio',
        price_date: '2025-01-22',
        age_days: expect.any(Number),
        stale: true,
        scope: 'baseline',
        rule: "latest dated price of the shared baseline (the caller's shop has no price for this key and unit)",
        alternatives: [],
      });
      expect(ages).toContain(response.body.age_days);
    });

    it("answers the caller's own shop price before the baseline's, listing the baseline's as an alternative", async () => {
      const response = await resolve(shopA, { material_type: 'SQ_TUBE_1.50x11GA' }).expect(200);
      expect(response.body).toMatchObject({
        material_type: 'sq_tube_1.5x11ga',
        price: 1.25,
        price_date: '2025-03-01',
        scope: 'shop',
        rule: "latest dated price of the caller's shop",
      });
      expect(response.body.alternatives).toEqual([
        { supplier: 'Osorio', unit: 'foot', price: 1.5504, price_date: '2025-01-22', scope: 'baseline' },
      ]);
    });

    it('takes the latest date, the higher price on the same date, and an undated price never over a dated one', async () => {
      const response = await resolve(shopC, { material_type: 'flat_bar_5x0.375' }).expect(200);
      expect(response.body).toMatchObject({
        supplier: 'Bolt',
        price: 6,
        price_date: TEN,
        age_days: ageOf(10),
        stale: false,
        scope: 'shop',
      });
      expect(response.body.rule).toBe("latest dated price of the caller's shop; on the same date the higher price");
      expect(response.body.alternatives.map((alternative: { supplier: string }) => alternative.supplier)).toEqual(['Acme', 'Cord', 'Dull']);
    });

    it('answers an undated price only when nothing is dated, as stale', async () => {
      const response = await resolve(shopC, { material_type: 'round_bar_0.75' }).expect(200);
      expect(response.body).toMatchObject({ supplier: 'Bolt', price: 3, price_date: null, age_days: null, stale: true });
      expect(response.body.rule).toBe("no dated price: the highest undated price of the caller's shop");
    });

    it('answers the unit of the winning price when none is asked, and never converts units', async () => {
      expect((await resolve(shopC, { material_type: 'angle_3x3x0.25' }).expect(200)).body).toMatchObject({
        unit: 'lb',
        price: 0.9,
        supplier: 'Acme',
        stale: false,
      });
      expect((await resolve(shopC, { material_type: 'angle_3x3x0.25', unit: 'foot' }).expect(200)).body).toMatchObject({
        unit: 'foot',
        price: 3.1,
        supplier: 'Bolt',
        age_days: ageOf(300),
        stale: true,
        alternatives: [],
      });
      const none = await resolve(shopC, { material_type: 'angle_3x3x0.25', unit: 'sqft' }).expect(404);
      expect(none.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'no price for angle_3x3x0.25 per sqft in this shop or the shared baseline',
      });
    });

    it("answers the baseline's dated price over the shop's own undated one", async () => {
      const response = await resolve(shopC, { material_type: 'sq_tube_1.5x11ga' }).expect(200);
      expect(response.body).toMatchObject({ supplier: 'Osorio', price: 1.5504, scope: 'baseline' });
      expect(response.body.rule).toBe(
        "latest dated price of the shared baseline (the caller's shop has only undated prices for this key and unit)",
      );
      expect(response.body.alternatives).toEqual([{ supplier: 'Dull', unit: 'foot', price: 0.99, price_date: null, scope: 'shop' }]);
    });

    it('never compares amounts across units: on one day, per foot comes before per lb', async () => {
      const response = await resolve(shopC, { material_type: 'round_tube_2x11ga' }).expect(200);
      expect(response.body).toMatchObject({ unit: 'foot', price: 2, supplier: 'Bolt' });
      expect(response.body.alternatives).toEqual([{ supplier: 'Acme', unit: 'lb', price: 5, price_date: FIVE, scope: 'shop' }]);
    });

    it("answers 404 with the reason for a key nobody priced, and never shows another shop's price", async () => {
      const unknown = await resolve(shopB, { material_type: 'sq_tube_9x11ga' }).expect(404);
      expect(unknown.body.message).toBe('no price for sq_tube_9x11ga in this shop or the shared baseline');
      await resolve(shopC, { material_type: 'sq_bar_1.25' }).expect(200);
      await resolve(shopA, { material_type: 'sq_bar_1.25' }).expect(404);
      const baselineOnly = await resolve(shopB, { material_type: 'flat_bar_5x0.375' }).expect(404);
      expect(baselineOnly.body.message).toContain('no price for flat_bar_5x0.375');
    });

    it('answers 400 with the reason for a malformed key, a bad unit or an unknown field', async () => {
      const malformed = await resolve(shopB, { material_type: 'sq_tube_2.0.x11ga' }).expect(400);
      expect(malformed.body.message).toMatch(/^material_type sq_tube_2\.0\.x11ga: .*sq_tube_ keys are/);
      await resolve(shopB, { material_type: 'sq_tube_2x11ga', unit: 'meter' }).expect(400);
      await resolve(shopB, { material_type: 'sq_tube_2x11ga', supplier: 'Osorio' }).expect(400);
      await resolve(shopB, {}).expect(400);
    });
  });

  describe('POST /api/material-prices/resolve', () => {
    const resolveMany = (shop: TokenResponse, body: unknown) =>
      http()
        .post('/api/material-prices/resolve')
        .send(body as object)
        .set(bearer(shop.access_token));

    it('answers a bill of materials in one round trip, in the order asked, listing the keys without a price', async () => {
      const response = await resolveMany(shopC, {
        material_types: ['flat_bar_5x0.375', 'sq_tube_9x11ga', 'SQ_TUBE_1.5X11GA', 'flat_bar_.375x5', 'round_bar_0.75'],
      }).expect(200);
      expect(
        response.body.prices.map((price: Record<string, unknown>) => [price.material_type, price.supplier, price.price, price.scope]),
      ).toEqual([
        ['flat_bar_5x0.375', 'Bolt', 6, 'shop'],
        ['sq_tube_1.5x11ga', 'Osorio', 1.5504, 'baseline'],
        ['round_bar_0.75', 'Bolt', 3, 'shop'],
      ]);
      expect(response.body.missing).toEqual([
        { material_type: 'sq_tube_9x11ga', reason: 'no price for sq_tube_9x11ga in this shop or the shared baseline' },
      ]);

      const single = await http()
        .get('/api/material-prices/resolve')
        .query({ material_type: 'flat_bar_5x0.375' })
        .set(bearer(shopC.access_token))
        .expect(200);
      expect(response.body.prices[0]).toEqual(single.body);
    });

    it("filters by unit, and never answers with another shop's price", async () => {
      const response = await resolveMany(shopB, { material_types: ['angle_3x3x0.25', 'sq_bar_1.25', 'flat_bar_4x0.5'], unit: 'lb' }).expect(
        200,
      );
      expect(response.body.prices.map((price: Record<string, unknown>) => [price.material_type, price.supplier, price.unit])).toEqual([
        ['flat_bar_4x0.5', 'Wexler', 'lb'],
      ]);
      expect(response.body.missing.map((missing: { material_type: string }) => missing.material_type)).toEqual([
        'angle_3x3x0.25',
        'sq_bar_1.25',
      ]);
    });

    it('refuses an empty list, more than 500 keys, a malformed key and unknown fields', async () => {
      await resolveMany(shopB, { material_types: [] }).expect(400);
      await resolveMany(shopB, { material_types: Array.from({ length: 501 }, (_, index) => `sq_tube_${index + 101}x7ga`) }).expect(400);
      expect(
        (await resolveMany(shopB, { material_types: Array.from({ length: 500 }, (_, index) => `sq_tube_${index + 101}x7ga`) }).expect(200))
          .body.missing,
      ).toHaveLength(500);
      const malformed = await resolveMany(shopB, { material_types: ['sq_tube_2x11ga', 'pipe_1.5'] }).expect(400);
      expect(malformed.body.message).toMatch(/^material_type pipe_1\.5: /);
      await resolveMany(shopB, { material_types: ['sq_tube_2x11ga'], shop_id: shopC.user_id }).expect(400);
    });
  });

  it('is in the OpenAPI document with a summary and its error responses', async () => {
    const response = await http().get('/api/docs/json').expect(200);
    const paths = response.body.paths;
    for (const [path, method] of [
      ['/api/material-prices', 'get'],
      ['/api/material-prices/{material_type}/history', 'get'],
      ['/api/material-prices/resolve', 'get'],
      ['/api/material-prices/resolve', 'post'],
    ]) {
      expect(paths[path][method].summary).toEqual(expect.any(String));
      expect(paths[path][method].responses['401'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ErrorResponse',
      });
    }
    expect(paths['/api/material-prices/resolve'].get.responses['404'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorResponse',
    });
  });
});
