import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { bearer, registerShop, type TokenResponse } from './support/auth';
import { runBuilt } from './support/processes';
import { closeTestApp, openTestApp } from './support/test-app';
import { TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const PRICE_FIELDS = ['id', 'material_type', 'supplier', 'price_per_foot', 'price_per_lb', 'price_per_sqft', 'price_date', 'scope', 'source', 'notes'];

describe('GET /api/material-prices', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let shopA: TokenResponse & { email: string };
  let shopB: TokenResponse & { email: string };
  let shopFolder: string;

  const http = () => request(app.getHttpServer());
  const seed = (args: string[]) => runBuilt('seed.js', args, { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });

  beforeAll(async () => {
    ({ db, app } = await openTestApp());
    shopA = await registerShop(app);
    shopB = await registerShop(app);

    // As an admin would: the real exports into the shared baseline, then one shop's own price list.
    expect((await seed(['--dir', 'test/fixtures/supplier-exports'])).code).toBe(2);
    shopFolder = await mkdtemp(join(tmpdir(), 'shop-prices-'));
    await writeFile(
      join(shopFolder, 'own.json'),
      JSON.stringify([{ material_type: 'sq_tube_1.5x11ga', price_per_foot: 1.25, supplier: 'Osorio', date: '2025-03-01', notes: 'our contract price' }]),
    );
    const ownRun = await seed(['--dir', shopFolder, '--shop', shopA.email]);
    expect(ownRun.stdout).toContain('Loaded 1 material prices, 0 already current');
    expect(ownRun.code).toBe(0);
  });

  afterAll(async () => {
    await closeTestApp(db, app);
    if (shopFolder) await rm(shopFolder, { recursive: true, force: true });
  });

  it('needs an access token', async () => {
    await http().get('/api/material-prices').expect(401);
    await http().get('/api/material-prices/sq_tube_1.5x11ga/history').expect(401);
  });

  it('lists the shared baseline to every shop, with exactly the documented fields', async () => {
    const response = await http().get('/api/material-prices').set(bearer(shopB.access_token)).expect(200);
    expect(response.body).toHaveLength(51);
    for (const price of response.body) expect(Object.keys(price).sort()).toEqual([...PRICE_FIELDS, 'updated_at'].sort());
    expect(new Set(response.body.map((price: { scope: string }) => price.scope))).toEqual(new Set(['baseline']));
  });

  it("shows a shop its own prices beside the baseline, and no other shop's", async () => {
    const own = await http().get('/api/material-prices').query({ material_type: ' SQ_TUBE_1.5x11GA ' }).set(bearer(shopA.access_token)).expect(200);
    expect(own.body.map((price: Record<string, unknown>) => [price.supplier, price.scope, price.price_per_foot, price.price_date])).toEqual([
      ['Osorio', 'shop', 1.25, '2025-03-01'],
      ['Osorio', 'baseline', 1.5504, '2025-01-22'],
      ['Osorio Metals Supply Inc.', 'baseline', 1.5504, null],
    ]);
    expect(own.body[0]).toMatchObject({ material_type: 'sq_tube_1.5x11ga', notes: 'our contract price', source: 'own.json:0', price_per_lb: null, price_per_sqft: null });

    const other = await http().get('/api/material-prices').query({ material_type: 'sq_tube_1.5x11ga' }).set(bearer(shopB.access_token)).expect(200);
    expect(other.body.map((price: Record<string, unknown>) => [price.supplier, price.scope])).toEqual([
      ['Osorio', 'baseline'],
      ['Osorio Metals Supply Inc.', 'baseline'],
    ]);
    const all = await http().get('/api/material-prices').set(bearer(shopB.access_token)).expect(200);
    expect(all.body.some((price: { notes: string | null }) => price.notes === 'our contract price')).toBe(false);
  });

  it('lists the history of a material newest first, undated observations last', async () => {
    const response = await http().get('/api/material-prices/sq_tube_1.5x11ga/history').set(bearer(shopB.access_token)).expect(200);
    expect(response.body.map((observation: Record<string, unknown>) => [observation.price_date, observation.price_per_foot])).toEqual([
      ['2025-01-22', 1.5504],
      ['2024-10-03', 1.5804],
      ['2024-07-05', 1.8242],
      ['2023-11-03', 2.1633],
      ['2023-11-03', 3.8196],
      ['2023-11-03', 2.2667],
      ['2023-11-03', 4.2792],
      [null, 1.5504],
    ]);
    expect(Object.keys(response.body[0]).sort()).toEqual([...PRICE_FIELDS, 'recorded_at'].sort());

    const own = await http().get('/api/material-prices/SQ_TUBE_1.5X11GA/history').set(bearer(shopA.access_token)).expect(200);
    expect(own.body[0]).toMatchObject({ price_date: '2025-03-01', price_per_foot: 1.25, scope: 'shop' });
    expect(own.body).toHaveLength(9);
  });

  it('answers an empty history for a material nobody priced, and 400 for an unknown query field', async () => {
    const response = await http().get('/api/material-prices/unobtainium_bar_1/history').set(bearer(shopA.access_token)).expect(200);
    expect(response.body).toEqual([]);
    await http().get('/api/material-prices').query({ supplier: 'Osorio' }).set(bearer(shopA.access_token)).expect(400);
  });

  it('is in the OpenAPI document', async () => {
    const response = await http().get('/api/docs/json').expect(200);
    expect(response.body.paths['/api/material-prices']).toBeDefined();
    expect(response.body.paths['/api/material-prices/{material_type}/history']).toBeDefined();
  });
});
