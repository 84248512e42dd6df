import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, registerShop } from './support/auth';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

describe('quotas per shop', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ db, app } = await openTestApp({
      QUOTA_QUOTES_PER_DAY: '3',
      QUOTA_QUOTE_SESSIONS_PER_DAY: '2',
      QUOTA_QUOTE_JSON_BYTES: '2048',
      RATE_LIMIT_GUEST_IP: '100/1h',
      RATE_LIMIT_REGISTER_IP: '100/1h',
    }));
  });

  afterAll(() => closeTestApp(db, app));

  it('refuses the quote past the day quota with 429, Retry-After and the reason, even when asked all at once', async () => {
    const guest = await createGuest(app);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => http().post('/api/quotes').set(bearer(guest.access_token)).send({ job_type: 'swing_gate' })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
    const refused = responses.find((response) => response.status === 429)!;
    expect(refused.body.message).toBe('A shop may create 3 quotes a day; try again later');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter > 23 * 3600 && retryAfter <= 24 * 3600).toBe(true);
    // Another shop has its own quota.
    const other = await registerShop(app);
    await http().post('/api/quotes').set(bearer(other.access_token)).send({ job_type: 'swing_gate' }).expect(201);
  });

  it('counts the last 24 hours: a quote older than a day frees its place', async () => {
    const shop = await registerShop(app);
    for (let quote = 0; quote < 3; quote++)
      await http().post('/api/quotes').set(bearer(shop.access_token)).send({ job_type: 'swing_gate' }).expect(201);
    await http().post('/api/quotes').set(bearer(shop.access_token)).send({ job_type: 'swing_gate' }).expect(429);
    await db.query(
      `UPDATE quotes SET created_at = created_at - interval '25 hours' WHERE id = (SELECT min(id) FROM quotes WHERE user_id = $1)`,
      [shop.user_id],
    );
    await http().post('/api/quotes').set(bearer(shop.access_token)).send({ job_type: 'swing_gate' }).expect(201);
  });

  it('refuses inputs_json or outputs_json over QUOTA_QUOTE_JSON_BYTES with 413 naming the field', async () => {
    const shop = await registerShop(app);
    const big = { text: 'x'.repeat(2100) };
    const inputs = await http()
      .post('/api/quotes')
      .set(bearer(shop.access_token))
      .send({ job_type: 'swing_gate', inputs_json: big })
      .expect(413);
    expect(inputs.body.message).toMatch(/^inputs_json holds 21\d\d bytes; a quote may hold at most 2048/);
    const outputs = await http()
      .post('/api/quotes')
      .set(bearer(shop.access_token))
      .send({ job_type: 'swing_gate', outputs_json: big })
      .expect(413);
    expect(outputs.body.message).toMatch(/^outputs_json holds/);
    await http()
      .post('/api/quotes')
      .set(bearer(shop.access_token))
      .send({ job_type: 'swing_gate', inputs_json: { text: 'x'.repeat(1000) } })
      .expect(201);
  });

  it('refuses the quote session past the day quota', async () => {
    const shop = await registerShop(app);
    const session = () => http().post('/api/quote-sessions').set(bearer(shop.access_token)).send({});
    await session().expect(201);
    await session().expect(201);
    const refused = await session().expect(429);
    expect(refused.body.message).toBe('A shop may create 2 quote sessions a day; try again later');
  });
});
