import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { DatabaseService } from '../src/database/database.service';
import { PriceLoadService } from '../src/price-loads/price-load.service';
import { bearer, createGuest, registerShop, type TokenResponse } from './support/auth';
import { pollUntil } from './support/poll';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

// Loads may hold half of the pool: five slots.
const POOL_MAX = 10;
const GUESTS = POOL_MAX / 2;
// A bound on the waits of this test, not a wait: nothing here should need more than a fraction of it.
const LOAD_WAIT_MS = 30_000;

const PRICE_CSV = 'material_type,price_per_foot,supplier,date\nsq_tube_2x11ga,2.5,Osorio,2025-03-01\n';

describe('the load slots: guests cannot starve a shop', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ DATABASE_POOL_MAX: String(POOL_MAX), PRICE_LOAD_WAIT_MS: String(LOAD_WAIT_MS) }));
    // A port of its own: supertest's per-request listener would close under requests that are still starting.
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await closeTestApp(db, app);
  });

  const importPrices = (account: TokenResponse, query = '') =>
    request(url)
      .post(`/api/material-prices/imports${query}`)
      .set(bearer(account.access_token))
      .attach('file', Buffer.from(PRICE_CSV), 'prices.csv');

  it("loads a registered shop's import while guests' previews hold every slot they may", async () => {
    const shop = await registerShop(app);
    const guests = await Promise.all(Array.from({ length: GUESTS }, () => createGuest(app)));

    // The loads that take a slot while `holding` is on start their transaction only once the test lets them, so
    // they keep their slot as long as the test likes (a load waiting for its scope's lock would hold it the same
    // way), and none holds the embedded database's one session meanwhile.
    const database = app.get(DatabaseService);
    const holdConnection = database.holdConnection.bind(database);
    let holding = true;
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    jest.spyOn(database, 'holdConnection').mockImplementation(() => {
      const connection = holdConnection();
      if (holding) {
        const startTransaction = connection.startTransaction.bind(connection);
        connection.startTransaction = async (isolation) => {
          await released;
          return startTransaction(isolation);
        };
      }
      return connection;
    });
    const loads = jest.spyOn(app.get(PriceLoadService), 'load');

    const previews = guests.map((guest) => importPrices(guest, '?dry_run=true').then((response) => response));
    try {
      // Every preview has been received and has asked for a slot.
      await pollUntil(() => loads.mock.calls.length === GUESTS);
      holding = false;

      const imported = await importPrices(shop);
      expect({ status: imported.status, message: imported.body.message }).toEqual({ status: 201, message: undefined });
      expect(imported.body).toMatchObject({ dry_run: false, counts: { material_prices: { loaded: 1 } } });
    } finally {
      holding = false;
      letGo();
    }
    for (const preview of await Promise.all(previews)) {
      expect(preview.status).toBe(201);
      expect(preview.body).toMatchObject({ dry_run: true, counts: { material_prices: { loaded: 1 } } });
    }
  });
});
