import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, registerShop, type TokenResponse } from './support/auth';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

type Move = 'send' | 'accept' | 'decline' | 'reopen';

// The moves that lead from a new draft to each status.
const PATH_TO: Record<string, Move[]> = {
  draft: [],
  sent: ['send'],
  accepted: ['send', 'accept'],
  declined: ['send', 'decline'],
};
const ALLOWED: Record<string, Partial<Record<Move, string>>> = {
  draft: { send: 'sent' },
  sent: { accept: 'accepted', decline: 'declined', reopen: 'draft' },
  accepted: {},
  declined: { reopen: 'draft' },
};

describe('the quote lifecycle', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let shopA: TokenResponse;
  let shopB: TokenResponse;

  const http = () => request(app.getHttpServer());
  const as = (shop: TokenResponse) => ({
    get: (path: string) => http().get(path).set(bearer(shop.access_token)),
    post: (path: string, body?: object) => http().post(path).set(bearer(shop.access_token)).send(body),
    patch: (path: string, body: object) => http().patch(path).set(bearer(shop.access_token)).send(body),
    delete: (path: string) => http().delete(path).set(bearer(shop.access_token)),
  });
  const createQuote = async (shop: TokenResponse, body: object = { job_type: 'swing_gate' }) =>
    (await as(shop).post('/api/quotes', body).expect(201)).body as { id: number; version: number; quote_number: string };
  const quoteIn = async (shop: TokenResponse, status: string) => {
    const quote = await createQuote(shop);
    for (const move of PATH_TO[status]) await as(shop).post(`/api/quotes/${quote.id}/${move}`).expect(200);
    return quote.id;
  };
  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0].n;

  beforeAll(async () => {
    ({ db, app } = await openTestApp());
    shopA = await registerShop(app);
    shopB = await registerShop(app);
  });

  afterAll(() => closeTestApp(db, app));

  describe('PATCH', () => {
    it('changes the fields of a draft, answers the next version with its ETag, and records the edit', async () => {
      const session = await as(shopA).post('/api/quote-sessions', {}).expect(201);
      const quote = await createQuote(shopA);
      expect(quote.version).toBe(1);
      const changes = {
        project_description: '12 ft swing gate',
        notes: 'gate latch on the left',
        job_type: 'cantilever_gate',
        inputs_json: { width_ft: 12 },
        outputs_json: { total: 4200 },
        selected_markup_pct: 30,
        pdf_url: 'https://files.example.com/q.pdf',
        session_id: session.body.id,
      };
      const patched = await as(shopA).patch(`/api/quotes/${quote.id}`, changes).expect(200);
      expect(patched.body).toMatchObject({ ...changes, version: 2, status: 'draft' });
      expect(patched.headers.etag).toBe('"2"');
      const read = await as(shopA).get(`/api/quotes/${quote.id}`).expect(200);
      expect(read.body).toEqual(patched.body);
      expect(read.headers.etag).toBe('"2"');

      const cleared = await as(shopA).patch(`/api/quotes/${quote.id}`, { pdf_url: null }).expect(200);
      expect(cleared.body).toMatchObject({ pdf_url: null, notes: 'gate latch on the left', version: 3 });
      const events = await as(shopA).get(`/api/quotes/${quote.id}/events`).expect(200);
      expect(events.body.items.map((event: { action: string; fields: string[] }) => [event.action, event.fields])).toEqual([
        ['create', []],
        ['edit', Object.keys(changes).sort()],
        ['edit', ['pdf_url']],
      ]);
    });

    it.each([
      ['an unknown field', { status: 'sent' }],
      ['a user_id', { user_id: 1 }],
      ['a null job_type', { job_type: null }],
      ['an unknown job_type', { job_type: 'moon_base' }],
      ['a plain http pdf_url', { pdf_url: 'http://files.example.com/q.pdf' }],
      ['a markup of 101', { selected_markup_pct: 101 }],
      ['an array inputs_json', { inputs_json: [1] }],
      ['a null markup', { selected_markup_pct: null }],
      ['a null inputs_json', { inputs_json: null }],
    ])('refuses %s with 400 and changes nothing', async (_case, body) => {
      const quote = await createQuote(shopA);
      await as(shopA).patch(`/api/quotes/${quote.id}`, body).expect(400);
      expect((await as(shopA).get(`/api/quotes/${quote.id}`).expect(200)).body.version).toBe(1);
    });

    it("refuses JSON over QUOTA_QUOTE_JSON_BYTES (413) and another shop's session (404)", async () => {
      const quote = await createQuote(shopA);
      await as(shopA)
        .patch(`/api/quotes/${quote.id}`, { outputs_json: { blob: 'x'.repeat(70_000) } })
        .expect(413);
      const foreign = await as(shopB).post('/api/quote-sessions', {}).expect(201);
      await as(shopA).patch(`/api/quotes/${quote.id}`, { session_id: foreign.body.id }).expect(404);
      expect((await as(shopA).get(`/api/quotes/${quote.id}`).expect(200)).body).toMatchObject({ version: 1, session_id: null });
    });

    it.each(['sent', 'accepted', 'declined'])('refuses to edit a %s quote with 409 naming its status', async (status) => {
      const id = await quoteIn(shopA, status);
      const refused = await as(shopA).patch(`/api/quotes/${id}`, { notes: 'late change' }).expect(409);
      expect(refused.body.message).toContain(status);
    });
  });

  describe('status moves', () => {
    const cases = Object.keys(PATH_TO).flatMap((from) =>
      (['send', 'accept', 'decline', 'reopen'] as Move[]).map((move) => [from, move, ALLOWED[from][move]] as const),
    );

    it.each(cases)('from %s, %s goes to %s (undefined: refused)', async (from, move, to) => {
      const id = await quoteIn(shopA, from);
      const before = (await as(shopA).get(`/api/quotes/${id}`).expect(200)).body;
      const response = await as(shopA).post(`/api/quotes/${id}/${move}`);
      if (to === undefined) {
        expect(response.status).toBe(409);
        expect(response.body).toMatchObject({ status: from, allowed_moves: Object.keys(ALLOWED[from]) });
        expect(response.body.message).toContain(from);
        expect((await as(shopA).get(`/api/quotes/${id}`).expect(200)).body).toEqual(before);
        return;
      }
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: to, version: before.version + 1 });
      expect(response.headers.etag).toBe(`"${before.version + 1}"`);
      if (move === 'send') expect(Date.parse(response.body.sent_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
      if (move === 'accept' || move === 'decline') expect(response.body.decided_at).not.toBeNull();
      if (move === 'reopen') expect(response.body).toMatchObject({ sent_at: null, decided_at: null });
      const events = (await as(shopA).get(`/api/quotes/${id}/events?limit=100`).expect(200)).body;
      expect(events.items.at(-1)).toMatchObject({ action: move, actor: shopA.user_id, from, to });
    });

    it('keeps every step in the history: who, what, when, from, to', async () => {
      const id = await quoteIn(shopA, 'declined');
      await as(shopA).post(`/api/quotes/${id}/reopen`).expect(200);
      await as(shopA).delete(`/api/quotes/${id}`).expect(204);
      await as(shopA).post(`/api/quotes/${id}/restore`).expect(200);
      const page = await as(shopA).get(`/api/quotes/${id}/events?limit=2&offset=1`).expect(200);
      expect(page.body).toMatchObject({ total: 6, limit: 2, offset: 1 });
      const all = (await as(shopA).get(`/api/quotes/${id}/events`).expect(200)).body.items;
      expect(all.map((event: { action: string; from: string | null; to: string }) => [event.action, event.from, event.to])).toEqual([
        ['create', null, 'draft'],
        ['send', 'draft', 'sent'],
        ['decline', 'sent', 'declined'],
        ['reopen', 'declined', 'draft'],
        ['archive', 'draft', 'draft'],
        ['restore', 'draft', 'draft'],
      ]);
      expect(page.body.items).toEqual(all.slice(1, 3));
      expect(
        all.every((event: { actor: number; at: string }) => event.actor === shopA.user_id && !Number.isNaN(Date.parse(event.at))),
      ).toBe(true);
    });
  });

  describe('archive and restore', () => {
    it('archives out of the default list, lists archived ones apart, restores, and never reuses the number', async () => {
      const shop = await registerShop(app);
      const kept = await createQuote(shop);
      const archived = await createQuote(shop);
      await as(shop).delete(`/api/quotes/${archived.id}`).expect(204);
      await as(shop).delete(`/api/quotes/${archived.id}`).expect(204);

      const listed = (await as(shop).get('/api/quotes').expect(200)).body;
      expect(listed.items.map((quote: { id: number }) => quote.id)).toEqual([kept.id]);
      expect(listed.total).toBe(1);
      const archivedList = (await as(shop).get('/api/quotes?archived=true').expect(200)).body;
      expect(archivedList.items.map((quote: { id: number }) => quote.id)).toEqual([archived.id]);
      const read = (await as(shop).get(`/api/quotes/${archived.id}`).expect(200)).body;
      expect(read).toMatchObject({ version: 2 });
      expect(read.archived_at).not.toBeNull();

      await as(shop).patch(`/api/quotes/${archived.id}`, { notes: 'x' }).expect(409);
      await as(shop).post(`/api/quotes/${archived.id}/send`).expect(409);
      const next = await createQuote(shop);
      expect(next.quote_number).toBe(`Q${shop.user_id}-00003`);

      const restored = await as(shop).post(`/api/quotes/${archived.id}/restore`).expect(200);
      expect(restored.body).toMatchObject({ archived_at: null, version: 3, status: 'draft' });
      await as(shop).post(`/api/quotes/${archived.id}/restore`).expect(409);
      expect((await as(shop).get('/api/quotes').expect(200)).body.total).toBe(3);
      expect(await count('SELECT count(*)::int AS n FROM quotes WHERE user_id = $1', [shop.user_id])).toBe(3);
    });
  });

  describe('If-Match', () => {
    it('lets one of two edits from the same version through and answers the other 412 with the current version', async () => {
      const quote = await createQuote(shopA);
      const edit = (notes: string) => as(shopA).patch(`/api/quotes/${quote.id}`, { notes }).set('If-Match', '"1"');
      const answers = await Promise.all([edit('first tab'), edit('second tab')]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
      const lost = answers.find((answer) => answer.status === 412)!;
      const won = answers.find((answer) => answer.status === 200)!;
      expect(lost.body).toMatchObject({ statusCode: 412, error: 'Precondition Failed', version: 2 });
      const stored = (await as(shopA).get(`/api/quotes/${quote.id}`).expect(200)).body;
      expect(stored.notes).toBe(won.body.notes);
      expect(await count(`SELECT count(*)::int AS n FROM quote_events WHERE quote_id = $1 AND action = 'edit'`, [quote.id])).toBe(1);
    });

    it('is honoured by moves and DELETE; the ETag, W/ and * match', async () => {
      const quote = await createQuote(shopA);
      await as(shopA).post(`/api/quotes/${quote.id}/send`).set('If-Match', '"7"').expect(412);
      await as(shopA).delete(`/api/quotes/${quote.id}`).set('If-Match', '"7"').expect(412);
      const sent = await as(shopA).post(`/api/quotes/${quote.id}/send`).set('If-Match', '"1"').expect(200);
      await as(shopA).post(`/api/quotes/${quote.id}/reopen`).set('If-Match', `W/${sent.headers.etag}`).expect(200);
      await as(shopA).delete(`/api/quotes/${quote.id}`).set('If-Match', '*').expect(204);
      await as(shopA).post(`/api/quotes/${quote.id}/restore`).set('If-Match', '"3", "4"').expect(200);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a storm of 20 identical creations with one key with one quote, 20 times the same', async () => {
      const shop = await registerShop(app);
      const body = { job_type: 'bollard', project_description: 'retried after a timeout' };
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => as(shop).post('/api/quotes', body).set('Idempotency-Key', 'create-bollard-1')),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
      for (const answer of answers) {
        expect(answer.body).toEqual(answers[0].body);
        expect(answer.headers.etag).toBe('"1"');
      }
      expect(await count('SELECT count(*)::int AS n FROM quotes WHERE user_id = $1', [shop.user_id])).toBe(1);
      expect(await count('SELECT count(*)::int AS n FROM quote_events WHERE actor_id = $1', [shop.user_id])).toBe(1);
      expect((await createQuote(shop)).quote_number).toBe(`Q${shop.user_id}-00002`);
    });

    it('refuses the same key with another body (422), keeps keys per shop, and runs a failed request again', async () => {
      const shop = await registerShop(app);
      const first = await as(shop).post('/api/quotes', { job_type: 'bollard' }).set('Idempotency-Key', 'k-1').expect(201);
      const reordered = { notes: 'n', job_type: 'bollard' };
      const ordered = await as(shop).post('/api/quotes', { job_type: 'bollard', notes: 'n' }).set('Idempotency-Key', 'k-order').expect(201);
      expect((await as(shop).post('/api/quotes', reordered).set('Idempotency-Key', 'k-order').expect(201)).body).toEqual(ordered.body);
      const other = await as(shop).post('/api/quotes', { job_type: 'swing_gate' }).set('Idempotency-Key', 'k-1').expect(422);
      expect(other.body.message).toContain('Idempotency-Key');
      await as(shop).post('/api/quote-sessions', {}).set('Idempotency-Key', 'k-1').expect(422);
      const otherShop = await as(shopB).post('/api/quotes', { job_type: 'bollard' }).set('Idempotency-Key', 'k-1').expect(201);
      expect(otherShop.body.id).not.toBe(first.body.id);

      await as(shop).post('/api/quotes', { job_type: 'moon_base' }).set('Idempotency-Key', 'k-2').expect(400);
      await as(shop).post('/api/quotes', { job_type: 'moon_base' }).set('Idempotency-Key', 'k-2').expect(400);
      await as(shop).post('/api/quotes', { job_type: 'bollard', session_id: otherShop.body.id }).set('Idempotency-Key', 'k-3').expect(400);
      expect(await count('SELECT count(*)::int AS n FROM idempotency_keys WHERE shop_id = $1', [shop.user_id])).toBe(2);
    });

    it('replays a move and a restore instead of refusing them as already done', async () => {
      const quote = await createQuote(shopA);
      const sent = await as(shopA).post(`/api/quotes/${quote.id}/send`).set('Idempotency-Key', `send-${quote.id}`).expect(200);
      const again = await as(shopA).post(`/api/quotes/${quote.id}/send`).set('Idempotency-Key', `send-${quote.id}`).expect(200);
      expect(again.body).toEqual(sent.body);
      await as(shopA).post(`/api/quotes/${quote.id}/send`).expect(409);
      await as(shopA).post(`/api/quotes/${quote.id}/accept`).set('Idempotency-Key', `send-${quote.id}`).expect(422);
    });

    it('forgets a key once it expires', async () => {
      const shop = await registerShop(app);
      const first = await as(shop).post('/api/quotes', { job_type: 'bollard' }).set('Idempotency-Key', 'daily').expect(201);
      await db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE shop_id = $1`, [shop.user_id]);
      const second = await as(shop).post('/api/quotes', { job_type: 'bollard' }).set('Idempotency-Key', 'daily').expect(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect(await count('SELECT count(*)::int AS n FROM idempotency_keys WHERE shop_id = $1', [shop.user_id])).toBe(1);
    });

    it.each([
      ['an empty key', ''],
      ['a key of 256 characters', 'k'.repeat(256)],
      ['a key with a space', 'two words'],
    ])('refuses %s with 400', async (_case, key) => {
      await as(shopA).post('/api/quotes', { job_type: 'bollard' }).set('Idempotency-Key', key).expect(400);
    });
  });

  describe('GET /api/quotes filters and order', () => {
    let shop: TokenResponse;
    const ids: Record<string, number> = {};
    const listed = async (query: string) =>
      ((await as(shop).get(`/api/quotes?${query}`).expect(200)).body.items as { id: number }[]).map((quote) => quote.id);

    beforeAll(async () => {
      shop = await registerShop(app);
      ids.gate = (await createQuote(shop, { job_type: 'swing_gate', project_description: 'Double swing gate, black powder coat' })).id;
      ids.rail = (await createQuote(shop, { job_type: 'stair_railing', project_description: 'Stair railing 100% steel_bar' })).id;
      ids.bollard = (await createQuote(shop, { job_type: 'bollard', project_description: 'Six bollards' })).id;
      await as(shop).post(`/api/quotes/${ids.rail}/send`).expect(200);
      await as(shop).patch(`/api/quotes/${ids.gate}`, { notes: 'touched last' }).expect(200);
      await db.query(`UPDATE quotes SET created_at = created_at - interval '10 days' WHERE id = $1`, [ids.gate]);
    });

    it('filters by status, job type, creation time and words or number', async () => {
      expect(await listed('status=sent')).toEqual([ids.rail]);
      expect(await listed('status=draft')).toEqual([ids.bollard, ids.gate]);
      expect(await listed('job_type=bollard')).toEqual([ids.bollard]);
      const [gate] = await db.query<{ created_at: Date }>('SELECT created_at FROM quotes WHERE id = $1', [ids.gate]);
      const after = new Date(gate.created_at.getTime() + 1000).toISOString();
      expect(await listed(`created_to=${after}`)).toEqual([ids.gate]);
      expect(await listed(`created_from=${after}`)).toEqual([ids.bollard, ids.rail]);
      expect(await listed('q=POWDER%20gate')).toEqual([ids.gate]);
      expect(await listed('q=100%25')).toEqual([ids.rail]);
      expect(await listed('q=steel_')).toEqual([ids.rail]);
      expect(await listed('q=%25')).toEqual([ids.rail]);
      const number = (await as(shop).get(`/api/quotes/${ids.bollard}`).expect(200)).body.quote_number as string;
      expect(await listed(`q=${number.toLowerCase()}`)).toEqual([ids.bollard]);
      const page = await as(shop).get('/api/quotes?status=draft&limit=1').expect(200);
      expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    });

    it('sorts by creation, change or number, either way', async () => {
      expect(await listed('')).toEqual([ids.bollard, ids.rail, ids.gate]);
      expect(await listed('sort=created_at')).toEqual([ids.gate, ids.rail, ids.bollard]);
      expect(await listed('sort=-updated_at')).toEqual([ids.gate, ids.rail, ids.bollard]);
      expect(await listed('sort=quote_number')).toEqual([ids.gate, ids.rail, ids.bollard]);
      expect(await listed('sort=-quote_number')).toEqual([ids.bollard, ids.rail, ids.gate]);
    });

    it('sorts numbers past 99,999 after the ones before', async () => {
      const big = await registerShop(app);
      await db.query('UPDATE users SET quote_seq = 99998 WHERE id = $1', [big.user_id]);
      const before = await createQuote(big);
      const after = await createQuote(big);
      expect([before.quote_number, after.quote_number]).toEqual([`Q${big.user_id}-99999`, `Q${big.user_id}-100000`]);
      const sorted = await as(big).get('/api/quotes?sort=quote_number').expect(200);
      expect(sorted.body.items.map((quote: { id: number }) => quote.id)).toEqual([before.id, after.id]);
    });

    it.each([
      'status=open',
      'job_type=moon_base',
      'created_from=yesterday',
      'sort=total',
      'archived=maybe',
      `q=${'x'.repeat(201)}`,
      'owner=1',
    ])('refuses ?%s with 400', async (query) => {
      await as(shop).get(`/api/quotes?${query}`).expect(400);
    });
  });

  describe('quote sessions', () => {
    it('run end to end: messages, parameters, a quote from the session, completion', async () => {
      const created = await as(shopA)
        .post('/api/quote-sessions', { job_type: 'swing_gate' })
        .set('Idempotency-Key', 'session-1')
        .expect(201);
      const id = created.body.id as string;
      expect(created.body.version).toBe(1);
      expect(created.headers.etag).toBe('"1"');
      const replayed = await as(shopA)
        .post('/api/quote-sessions', { job_type: 'swing_gate' })
        .set('Idempotency-Key', 'session-1')
        .expect(201);
      expect(replayed.body).toEqual(created.body);

      const first = await as(shopA)
        .post(`/api/quote-sessions/${id}/messages`, { role: 'user', content: 'A 12 ft gate' })
        .set('Idempotency-Key', 'm-1');
      expect(first.status).toBe(201);
      await as(shopA)
        .post(`/api/quote-sessions/${id}/messages`, { role: 'user', content: 'A 12 ft gate' })
        .set('Idempotency-Key', 'm-1')
        .expect(201);
      const second = await as(shopA)
        .post(`/api/quote-sessions/${id}/messages`, { role: 'assistant', content: 'Which finish?' })
        .expect(201);
      expect(second.body.messages_json).toEqual([
        { role: 'user', content: 'A 12 ft gate', at: expect.any(String) },
        { role: 'assistant', content: 'Which finish?', at: expect.any(String) },
      ]);

      const params = { width_ft: 12, finish: 'powder_coat' };
      const patched = await as(shopA)
        .patch(`/api/quote-sessions/${id}`, { stage: 'measurements', params_json: params, photo_urls: ['https://img.example.com/1.jpg'] })
        .set('If-Match', `"${second.body.version}"`)
        .expect(200);
      expect(patched.body).toMatchObject({
        stage: 'measurements',
        params_json: params,
        photo_urls: ['https://img.example.com/1.jpg'],
        version: 4,
      });

      const quote = await createQuote(shopA, { job_type: 'swing_gate', session_id: id, inputs_json: params });
      expect((await as(shopA).get(`/api/quotes/${quote.id}`).expect(200)).body.session_id).toBe(id);

      await as(shopA).post(`/api/quote-sessions/${id}/complete`).set('If-Match', '"3"').expect(412);
      const completed = await as(shopA).post(`/api/quote-sessions/${id}/complete`).set('If-Match', '"4"').expect(200);
      expect(completed.body).toMatchObject({ status: 'complete', version: 5 });
      await as(shopA).patch(`/api/quote-sessions/${id}`, { stage: 'pricing' }).expect(409);
      await as(shopA).post(`/api/quote-sessions/${id}/messages`, { role: 'user', content: 'one more' }).expect(409);
      await as(shopA).post(`/api/quote-sessions/${id}/complete`).expect(409);
      await as(shopA).post(`/api/quote-sessions/${id}/abandon`).expect(409);
      expect((await as(shopA).get(`/api/quote-sessions/${id}`).expect(200)).body).toEqual(completed.body);
    });

    it('lists own sessions newest first, by status, paginated', async () => {
      const shop = await registerShop(app);
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) ids.push((await as(shop).post('/api/quote-sessions', {}).expect(201)).body.id);
      await as(shop).post(`/api/quote-sessions/${ids[1]}/abandon`).expect(200);
      const all = await as(shop).get('/api/quote-sessions?limit=2').expect(200);
      expect(all.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(all.body.items.map((session: { id: string }) => session.id)).toEqual([ids[2], ids[1]]);
      const active = await as(shop).get('/api/quote-sessions?status=active').expect(200);
      expect(active.body.items.map((session: { id: string }) => session.id)).toEqual([ids[2], ids[0]]);
      const abandoned = await as(shop).get('/api/quote-sessions?status=abandoned').expect(200);
      expect(abandoned.body.items.map((session: { id: string; status: string }) => [session.id, session.status])).toEqual([
        [ids[1], 'abandoned'],
      ]);
      await as(shop).get('/api/quote-sessions?status=gone').expect(400);
    });

    it.each([
      ['an unknown stage shape', { stage: 'Measure Up' }],
      ['a plain http photo', { photo_urls: ['http://img.example.com/1.jpg'] }],
      ['photos that are not a list', { photo_urls: 'https://img.example.com/1.jpg' }],
      ['a null params_json', { params_json: null }],
      ['an unknown field', { status: 'complete' }],
    ])('refuses a PATCH with %s (400)', async (_case, body) => {
      const session = await as(shopA).post('/api/quote-sessions', {}).expect(201);
      await as(shopA).patch(`/api/quote-sessions/${session.body.id}`, body).expect(400);
    });

    it('bounds messages by role, size and bytes in all', async () => {
      const session = await as(shopA).post('/api/quote-sessions', {}).expect(201);
      const path = `/api/quote-sessions/${session.body.id}/messages`;
      await as(shopA).post(path, { role: 'robot', content: 'hi' }).expect(400);
      await as(shopA).post(path, { role: 'user', content: '' }).expect(400);
      await as(shopA)
        .post(path, { role: 'user', content: 'x'.repeat(20_001) })
        .expect(400);
      for (let index = 0; index < 3; index++)
        await as(shopA)
          .post(path, { role: 'user', content: 'y'.repeat(20_000) })
          .expect(201);
      const over = await as(shopA)
        .post(path, { role: 'user', content: 'y'.repeat(20_000) })
        .expect(413);
      expect(over.body.message).toContain('QUOTA_QUOTE_JSON_BYTES');
      expect((await as(shopA).get(`/api/quote-sessions/${session.body.id}`).expect(200)).body.messages_json).toHaveLength(3);
    });
  });

  describe("another shop's ids", () => {
    it('answer 404 on every new route, exactly like missing ones, and change nothing', async () => {
      const quote = await createQuote(shopA);
      const session = (await as(shopA).post('/api/quote-sessions', {}).expect(201)).body.id as string;
      const missingSession = '00000000-0000-4000-8000-000000000000';
      const routes = (quoteId: number | string, sessionId: string) => [
        as(shopB).patch(`/api/quotes/${quoteId}`, { notes: 'mine now' }),
        as(shopB).delete(`/api/quotes/${quoteId}`),
        as(shopB).post(`/api/quotes/${quoteId}/restore`),
        as(shopB).post(`/api/quotes/${quoteId}/send`),
        as(shopB).post(`/api/quotes/${quoteId}/accept`),
        as(shopB).post(`/api/quotes/${quoteId}/decline`),
        as(shopB).post(`/api/quotes/${quoteId}/reopen`),
        as(shopB).get(`/api/quotes/${quoteId}/events`),
        as(shopB).patch(`/api/quote-sessions/${sessionId}`, { stage: 'pricing' }),
        as(shopB).post(`/api/quote-sessions/${sessionId}/messages`, { role: 'user', content: 'hello' }),
        as(shopB).post(`/api/quote-sessions/${sessionId}/complete`),
        as(shopB).post(`/api/quote-sessions/${sessionId}/abandon`),
      ];
      const foreign = await Promise.all(routes(quote.id, session));
      const missing = await Promise.all(routes(2_000_000_000, missingSession));
      expect(foreign.map((answer) => answer.status)).toEqual(Array(routes.length ? 12 : 0).fill(404));
      expect(foreign.map((answer) => answer.body)).toEqual(missing.map((answer) => answer.body));
      expect((await as(shopA).get(`/api/quotes/${quote.id}`).expect(200)).body).toMatchObject({
        version: 1,
        notes: null,
        archived_at: null,
      });
      expect((await as(shopA).get(`/api/quote-sessions/${session}`).expect(200)).body).toMatchObject({ version: 1, status: 'active' });
      const listB = await as(shopB).get('/api/quote-sessions?limit=100').expect(200);
      expect(listB.body.items.filter((item: { user_id: number }) => item.user_id !== shopB.user_id)).toEqual([]);
    });

    it('need an access token', async () => {
      const answers = await Promise.all([
        http().patch('/api/quotes/1').send({ notes: 'x' }),
        http().delete('/api/quotes/1'),
        http().post('/api/quotes/1/send'),
        http().post('/api/quotes/1/restore'),
        http().get('/api/quotes/1/events'),
        http().get('/api/quote-sessions'),
        http()
          .patch(`/api/quote-sessions/${shopA.session_id ?? '00000000-0000-4000-8000-000000000000'}`)
          .send({}),
        http().post('/api/quote-sessions/00000000-0000-4000-8000-000000000000/messages').send({ role: 'user', content: 'x' }),
        http().post('/api/quote-sessions/00000000-0000-4000-8000-000000000000/complete'),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(Array(answers.length).fill(401));
    });
  });

  describe('guests', () => {
    it('edit, archive and restore their own drafts and sessions, send only once claimed', async () => {
      const guest = await createGuest(app);
      const quote = await createQuote(guest, { job_type: 'bollard', session_id: guest.session_id });
      await as(guest).patch(`/api/quotes/${quote.id}`, { notes: 'from the guest' }).expect(200);
      await as(guest).delete(`/api/quotes/${quote.id}`).expect(204);
      await as(guest).post(`/api/quotes/${quote.id}/restore`).expect(200);
      await as(guest).post(`/api/quote-sessions/${guest.session_id}/messages`, { role: 'user', content: 'hi' }).expect(201);
      await as(guest).patch(`/api/quote-sessions/${guest.session_id}`, { stage: 'design' }).expect(200);
      const refused = await as(guest).post(`/api/quotes/${quote.id}/send`).expect(403);
      expect(refused.body.message).toContain('claim');
      const other = await createQuote(shopA);
      await as(guest).patch(`/api/quotes/${other.id}`, { notes: 'x' }).expect(404);
      expect((await as(guest).get(`/api/quotes/${quote.id}`).expect(200)).body).toMatchObject({ status: 'draft', notes: 'from the guest' });
    });
  });
});

describe('with REQUIRE_IF_MATCH=true, QUOTA_SESSION_MESSAGES=2 and QUOTA_IDEMPOTENCY_KEYS_PER_DAY=2', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let shop: TokenResponse;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ REQUIRE_IF_MATCH: 'true', QUOTA_SESSION_MESSAGES: '2', QUOTA_IDEMPOTENCY_KEYS_PER_DAY: '2' }));
    shop = await registerShop(app);
  });

  afterAll(() => closeTestApp(db, app));

  it('refuses changes without If-Match (428), not creations', async () => {
    const quote = await http().post('/api/quotes').set(bearer(shop.access_token)).send({ job_type: 'bollard' }).expect(201);
    const path = `/api/quotes/${quote.body.id}`;
    const refused = await http().patch(path).set(bearer(shop.access_token)).send({ notes: 'x' }).expect(428);
    expect(refused.body).toMatchObject({ statusCode: 428, error: 'Precondition Required' });
    await http().post(`${path}/send`).set(bearer(shop.access_token)).expect(428);
    await http().delete(path).set(bearer(shop.access_token)).expect(428);
    await http().patch(path).set(bearer(shop.access_token)).set('If-Match', '"1"').send({ notes: 'x' }).expect(200);
    const session = await http().post('/api/quote-sessions').set(bearer(shop.access_token)).send({}).expect(201);
    await http().post(`/api/quote-sessions/${session.body.id}/complete`).set(bearer(shop.access_token)).expect(428);
  });

  it('holds at most QUOTA_SESSION_MESSAGES messages in a session (413)', async () => {
    const session = await http().post('/api/quote-sessions').set(bearer(shop.access_token)).send({}).expect(201);
    const path = `/api/quote-sessions/${session.body.id}/messages`;
    for (const content of ['one', 'two'])
      await http().post(path).set(bearer(shop.access_token)).send({ role: 'user', content }).expect(201);
    const over = await http().post(path).set(bearer(shop.access_token)).send({ role: 'user', content: 'three' }).expect(413);
    expect(over.body.message).toContain('QUOTA_SESSION_MESSAGES');
  });

  it('holds at most QUOTA_IDEMPOTENCY_KEYS_PER_DAY keys of a shop for a day (429), replays still answered', async () => {
    const own = await registerShop(app);
    const create = (key?: string) => {
      const call = http().post('/api/quote-sessions').set(bearer(own.access_token)).send({});
      return key === undefined ? call : call.set('Idempotency-Key', key);
    };
    const first = await create('one').expect(201);
    await create('two').expect(201);
    const full = await create('three').expect(429);
    expect(full.body.message).toContain('QUOTA_IDEMPOTENCY_KEYS_PER_DAY');
    expect(Number(full.headers['retry-after'])).toBeGreaterThan(0);
    expect((await create('one').expect(201)).body).toEqual(first.body);
    await create().expect(201);
    await db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE shop_id = $1 AND key = 'one'`, [
      own.user_id,
    ]);
    await create('three').expect(201);
  });
});

describe('with QUOTA_IDEMPOTENCY_BYTES_PER_DAY=1024', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ QUOTA_IDEMPOTENCY_BYTES_PER_DAY: '1024' }));
  });

  afterAll(() => closeTestApp(db, app));

  it("bounds the bytes of the answers a shop's keys hold (429), replays still answered", async () => {
    const shop = await registerShop(app);
    const create = (key: string) =>
      request(app.getHttpServer())
        .post('/api/quotes')
        .set(bearer(shop.access_token))
        .set('Idempotency-Key', key)
        .send({ job_type: 'bollard', inputs_json: { notes: 'x'.repeat(1200) } });
    const first = await create('large').expect(201);
    const full = await create('next').expect(429);
    expect(full.body.message).toContain('QUOTA_IDEMPOTENCY_BYTES_PER_DAY');
    expect((await create('large').expect(201)).body).toEqual(first.body);
  });
});
