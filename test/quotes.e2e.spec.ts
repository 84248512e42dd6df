import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { JOB_TYPES } from '../src/common/reference-data';
import { bearer, createGuest, registerShop, type TokenResponse } from './support/auth';
import { insertLegacyQuote } from './support/factories';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

describe('quotes and quote sessions', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let shopA: TokenResponse;
  let shopB: TokenResponse;

  const http = () => request(app.getHttpServer());
  const createQuote = (shop: TokenResponse, body: Record<string, unknown> = { job_type: 'swing_gate' }) =>
    http().post('/api/quotes').set(bearer(shop.access_token)).send(body);

  beforeAll(async () => {
    ({ db, app } = await openTestApp());
    shopA = await registerShop(app);
    shopB = await registerShop(app);
  });

  afterAll(() => closeTestApp(db, app));

  it('quote attaches to user', async () => {
    const response = await createQuote(shopA, {
      job_type: 'cantilever_gate',
      project_description: '16 ft gate',
      inputs_json: { width_ft: 16 },
    }).expect(201);
    expect(response.body).toMatchObject({
      user_id: shopA.user_id,
      job_type: 'cantilever_gate',
      status: 'draft',
      project_description: '16 ft gate',
      inputs_json: { width_ft: 16 },
      outputs_json: {},
      selected_markup_pct: 15,
      session_id: null,
      pdf_url: null,
    });
    expect(response.body.quote_number).toMatch(new RegExp(`^Q${shopA.user_id}-\\d{5}$`));
    const [row] = await db.query('SELECT user_id FROM quotes WHERE id = $1', [response.body.id]);
    expect(row.user_id).toBe(shopA.user_id);
  });

  it('provisional account flow', async () => {
    const guest = await createGuest(app);
    const quote = await createQuote(guest, { job_type: 'stair_railing', session_id: guest.session_id }).expect(201);

    const claimed = await http()
      .post('/api/auth/register')
      .set(bearer(guest.access_token))
      .send({ email: `claimed-${guest.user_id}@example.com`, password: 'a long enough password' })
      .expect(200);
    expect(claimed.body.user_id).toBe(guest.user_id);
    expect(claimed.body.user.is_provisional).toBe(false);

    const list = await http().get('/api/quotes').set(bearer(claimed.body.access_token)).expect(200);
    expect(list.body.items.map((item: { id: number }) => item.id)).toEqual([quote.body.id]);
    expect(list.body.items[0]).toMatchObject({ user_id: guest.user_id, session_id: guest.session_id });
    await http().get(`/api/quote-sessions/${guest.session_id}`).set(bearer(claimed.body.access_token)).expect(200);
  });

  it('lists the accepted job types', async () => {
    const response = await http().get('/api/job-types').set(bearer(shopA.access_token)).expect(200);
    expect(response.body).toEqual([...JOB_TYPES]);
    await http().get('/api/job-types').expect(401);
  });

  it("answers 404 for another shop's quote and session, exactly as for missing ones", async () => {
    const quote = await createQuote(shopA).expect(201);
    const session = await http().post('/api/quote-sessions').set(bearer(shopA.access_token)).send({}).expect(201);

    const foreignQuote = await http().get(`/api/quotes/${quote.body.id}`).set(bearer(shopB.access_token)).expect(404);
    const missingQuote = await http().get('/api/quotes/2000000000').set(bearer(shopB.access_token)).expect(404);
    expect(foreignQuote.body).toEqual(missingQuote.body);

    const foreignSession = await http().get(`/api/quote-sessions/${session.body.id}`).set(bearer(shopB.access_token)).expect(404);
    const missingSession = await http()
      .get('/api/quote-sessions/00000000-0000-4000-8000-000000000000')
      .set(bearer(shopB.access_token))
      .expect(404);
    expect(foreignSession.body).toEqual(missingSession.body);

    await http().get(`/api/quotes/${quote.body.id}`).set(bearer(shopA.access_token)).expect(200);
    const listB = await http().get('/api/quotes?limit=100').set(bearer(shopB.access_token)).expect(200);
    expect(listB.body.items.filter((item: { user_id: number }) => item.user_id !== shopB.user_id)).toEqual([]);
  });

  it("answers 404 when a quote names another shop's session", async () => {
    const session = await http().post('/api/quote-sessions').set(bearer(shopA.access_token)).send({ job_type: 'bollard' }).expect(201);
    await createQuote(shopB, { job_type: 'bollard', session_id: session.body.id }).expect(404);
    const own = await createQuote(shopA, { job_type: 'bollard', session_id: session.body.id }).expect(201);
    expect(own.body.session_id).toBe(session.body.id);
  });

  it('creates sessions in the intake stage', async () => {
    const response = await http()
      .post('/api/quote-sessions')
      .set(bearer(shopB.access_token))
      .send({ job_type: 'spiral_stair' })
      .expect(201);
    expect(response.body).toMatchObject({
      user_id: shopB.user_id,
      job_type: 'spiral_stair',
      stage: 'intake',
      status: 'active',
      params_json: {},
      messages_json: [],
      photo_urls: [],
    });
    await http().post('/api/quote-sessions').set(bearer(shopB.access_token)).send({ job_type: 'moon_base' }).expect(400);
  });

  it.each([
    ['an unknown job_type', { job_type: 'moon_base' }],
    ['a user_id in the body', { job_type: 'swing_gate', user_id: 1 }],
    ['a quote_number in the body', { job_type: 'swing_gate', quote_number: 'Q1-00001' }],
    ['an array inputs_json', { job_type: 'swing_gate', inputs_json: [1, 2] }],
    ['a string inputs_json', { job_type: 'swing_gate', inputs_json: 'width=16' }],
    ['a non-object outputs_json', { job_type: 'swing_gate', outputs_json: 5 }],
    ['markup 101', { job_type: 'swing_gate', selected_markup_pct: 101 }],
    ['markup -1', { job_type: 'swing_gate', selected_markup_pct: -1 }],
    ['a fractional markup', { job_type: 'swing_gate', selected_markup_pct: 12.5 }],
    ['a session_id that is not a UUID', { job_type: 'swing_gate', session_id: 'abc' }],
  ])('rejects %s with 400 and creates nothing', async (_case, body) => {
    const before = await db.query('SELECT count(*)::int AS count FROM quotes');
    const response = await createQuote(shopB, body).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(await db.query('SELECT count(*)::int AS count FROM quotes')).toEqual(before);
  });

  it('answers 413 to a body over the limit and 400 to malformed JSON, and creates nothing', async () => {
    const before = await db.query('SELECT count(*)::int AS count FROM quotes');
    const oversized = { job_type: 'swing_gate', inputs_json: { notes: 'x'.repeat(1024 * 1024) } };
    const tooLarge = await createQuote(shopB, oversized).expect(413);
    expect(tooLarge.body).toMatchObject({ statusCode: 413 });
    const malformed = await http()
      .post('/api/quotes')
      .set(bearer(shopB.access_token))
      .set('Content-Type', 'application/json')
      .send('{"job_type": "swing_gate",')
      .expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400 });
    expect(await db.query('SELECT count(*)::int AS count FROM quotes')).toEqual(before);
  });

  it("defaults the markup to the shop's markup_default", async () => {
    await http().put('/api/auth/profile').set(bearer(shopB.access_token)).send({ markup_default: 22 }).expect(200);
    const response = await createQuote(shopB).expect(201);
    expect(response.body.selected_markup_pct).toBe(22);
    const explicit = await createQuote(shopB, { job_type: 'swing_gate', selected_markup_pct: 0 }).expect(201);
    expect(explicit.body.selected_markup_pct).toBe(0);
  });

  it('gives 50 concurrent creations of one shop 50 distinct numbers', async () => {
    const shop = await registerShop(app);
    const responses = await Promise.all(Array.from({ length: 50 }, () => createQuote(shop)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    const numbers = new Set(responses.map((response) => response.body.quote_number));
    expect(numbers.size).toBe(50);
    const expected = Array.from({ length: 50 }, (_, index) => `Q${shop.user_id}-${String(index + 1).padStart(5, '0')}`);
    expect([...numbers].sort()).toEqual(expected);
  });

  it('never gives two shops creating at once the same number', async () => {
    const [first, second] = await Promise.all([registerShop(app), registerShop(app)]);
    const responses = await Promise.all(Array.from({ length: 40 }, (_, index) => createQuote(index % 2 ? first : second)));
    expect(responses.every((response) => response.status === 201)).toBe(true);
    expect(new Set(responses.map((response) => response.body.quote_number)).size).toBe(40);
  });

  it('pages newest first with the right total', async () => {
    const shop = await registerShop(app);
    const created: number[] = [];
    for (let index = 0; index < 5; index++) created.push((await createQuote(shop).expect(201)).body.id);
    const page = await http().get('/api/quotes?limit=2&offset=1').set(bearer(shop.access_token)).expect(200);
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 1 });
    expect(page.body.items.map((item: { id: number }) => item.id)).toEqual([created[3], created[2]]);

    const defaults = await http().get('/api/quotes').set(bearer(shop.access_token)).expect(200);
    expect(defaults.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
    expect(defaults.body.items.map((item: { id: number }) => item.id)).toEqual([...created].reverse());

    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc']) {
      await http().get(`/api/quotes?${query}`).set(bearer(shop.access_token)).expect(400);
    }
  });

  it('never returns a legacy quote without owner', async () => {
    const legacy = await insertLegacyQuote(db, 'CS-2025-9999');
    await http().get(`/api/quotes/${legacy}`).set(bearer(shopA.access_token)).expect(404);
    const list = await http().get('/api/quotes?limit=100').set(bearer(shopA.access_token)).expect(200);
    expect(list.body.items.map((item: { id: number }) => item.id)).not.toContain(legacy);
  });

  it('requires an access token for every quote route', async () => {
    await http().get('/api/quotes').expect(401);
    await http().post('/api/quotes').send({ job_type: 'swing_gate' }).expect(401);
    await http().post('/api/quote-sessions').send({}).expect(401);
  });
});
