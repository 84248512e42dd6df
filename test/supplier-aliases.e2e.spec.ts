import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource, type QueryRunner } from 'typeorm';

import { bearer, registerShop, type TokenResponse } from './support/auth';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

/** The longest chain of the attack, and the cap raised to hold it. */
const CHAIN = 20_000;

/** Aliases s1 -> s0, s2 -> s1, ... s<length> -> s<length - 1> whose number is odd, or even: neither half chains by itself. */
const chainHalf = (length: number, half: 'odd' | 'even'): Record<string, string> =>
  Object.fromEntries(
    Array.from({ length }, (_, index) => index + 1)
      .filter((number) => number % 2 === (half === 'odd' ? 1 : 0))
      .map((number) => [`s${number}`, `s${number - 1}`]),
  );

/** Prices of a few suppliers along a chain of `length`: its end, an early link and its last alias. */
const pricesAlong = (length: number) =>
  [
    'material_type,price_per_foot,supplier,date',
    'sq_tube_2x11ga,3.00,s0,2024-01-01',
    `sq_tube_2x11ga,3.50,s${length},2024-05-01`,
    'angle_2x2x0.125,2.00,s0,2024-02-02',
    'angle_2x2x0.125,2.00,s2,2024-02-02',
    `flat_bar_2x0.25,1.20,s${length},2024-01-03`,
    'flat_bar_2x0.25,1.50,s2,2024-03-03',
    '',
  ].join('\n');

describe('supplier aliases in long chains (work bounds)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  /** The statements the app sent to the database since the last `countStatements`, per connection. */
  const statements = new Map<QueryRunner, string[]>();

  const http = () => request(app.getHttpServer());

  const upload = (shop: TokenResponse, files: { name: string; content: string }[], query = '') => {
    let call = http().post(`/api/material-prices/imports${query}`).set(bearer(shop.access_token));
    for (const file of files) call = call.attach('file', Buffer.from(file.content), file.name);
    return call;
  };

  /**
   * The statements the load of one request sent: those of the connection that took the shop's load lock (the guard's
   * query and a registration's mail, say, run on others).
   */
  const countStatements = async (call: () => PromiseLike<request.Response>, status: number): Promise<number> => {
    statements.clear();
    const response = await call();
    expect(response.status).toBe(status);
    const loads = [...statements.values()].filter((sent) => sent.some((sql) => sql.includes('pg_try_advisory_xact_lock')));
    expect(loads).toHaveLength(1);
    return loads[0].length;
  };

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ MAPPINGS_MAX_ENTRIES: String(CHAIN) }));
    app.get(DataSource).subscribers.push({
      beforeQuery: ({ queryRunner, query }) => {
        statements.set(queryRunner, [...(statements.get(queryRunner) ?? []), query]);
      },
    });
  });

  afterAll(async () => {
    await closeTestApp(db, app);
  });

  /**
   * A shop loads the odd half of a chain of `length` aliases with prices, previews the even half (merged, the two
   * form one chain), then loads it: the statements of each request, and what is stored.
   */
  async function chainInTwoDocuments(length: number) {
    const shop = await registerShop(app);
    const first = await countStatements(
      () =>
        upload(shop, [
          { name: 'mappings.json', content: JSON.stringify({ suppliers: chainHalf(length, 'odd') }) },
          { name: 'prices.csv', content: pricesAlong(length) },
        ]),
      201,
    );
    const secondDocument = [
      { name: 'mappings.json', content: JSON.stringify({ suppliers: chainHalf(length, 'even') }) },
      { name: 'more.csv', content: `material_type,price_per_foot,supplier,date\nsheet_11ga,4.85,s${length - 2},2024-06-01\n` },
    ];
    const preview = await countStatements(() => upload(shop, secondDocument, '?dry_run=true'), 201);
    const second = await countStatements(() => upload(shop, secondDocument), 201);
    const targets = await db.query<{ target: string; count: number }>(
      `SELECT target, count(*)::int AS count FROM price_mappings WHERE shop_id = $1 AND kind = 'supplier' GROUP BY target`,
      [shop.user_id],
    );
    const suppliers = await db.query<{ name: string }>('SELECT name FROM suppliers WHERE shop_id = $1 ORDER BY name', [shop.user_id]);
    const current = await db.query(
      `SELECT material_type, supplier, price_per_foot, price_date::text FROM material_prices WHERE shop_id = $1 ORDER BY material_type`,
      [shop.user_id],
    );
    return { statements: { first, preview, second }, targets, suppliers, current };
  }

  it('merges a chain of 20,000 aliases from two documents with as many statements as a chain of 20, and stores every alias pointing at its end', async () => {
    const short = await chainInTwoDocuments(20);
    const long = await chainInTwoDocuments(CHAIN);

    expect(long.statements).toEqual(short.statements);
    expect(long.targets).toEqual([{ target: 's0', count: CHAIN }]);
    expect(long.suppliers).toEqual([{ name: 's0' }]);
    // The aliased suppliers' prices moved to s0 under the price rules: the later date, the higher price.
    expect(long.current).toEqual([
      { material_type: 'angle_2x2x0.125', supplier: 's0', price_per_foot: 2, price_date: '2024-02-02' },
      { material_type: 'flat_bar_2x0.25', supplier: 's0', price_per_foot: 1.5, price_date: '2024-03-03' },
      { material_type: 'sheet_11ga', supplier: 's0', price_per_foot: 4.85, price_date: '2024-06-01' },
      { material_type: 'sq_tube_2x11ga', supplier: 's0', price_per_foot: 3.5, price_date: '2024-05-01' },
    ]);
  }, 120_000);

  it('names a circle the two documents make once in the 400, and keeps the stored aliases', async () => {
    const shop = await registerShop(app);
    // s1 -> s0, ... s1999 -> s1998, and s0 -> s1999 closes the circle: the odd aliases first, then the even ones
    // with the closing one (neither document chains by itself).
    const prices = { name: 'prices.csv', content: pricesAlong(1999) };
    await upload(shop, [{ name: 'mappings.json', content: JSON.stringify({ suppliers: chainHalf(1999, 'odd') }) }, prices]).expect(201);
    const circle = { name: 'mappings.json', content: JSON.stringify({ suppliers: { ...chainHalf(1999, 'even'), s0: 's1999' } }) };
    for (const query of ['?dry_run=true', '']) {
      const refused = await upload(shop, [circle, prices], query).expect(400);
      expect(refused.body.message).toEqual([
        'The mappings mappings.json cannot be used; nothing was loaded:',
        expect.stringMatching(/^the supplier aliases of "s\d+" lead back to "s\d+": .* -> 1,996 more -> "s\d+"$/),
      ]);
    }
    const stored = await http().get('/api/material-prices/mappings').set(bearer(shop.access_token)).expect(200);
    expect(stored.body.suppliers).toEqual(chainHalf(1999, 'odd'));
  });
});
