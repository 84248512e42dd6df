import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, registerShop, type TokenResponse } from './support/auth';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const TOO_MANY_MEMBERS = 'The JSON body has more than 5000 object members (JSON_MAX_MEMBERS)';

/** `{"k0":0,"k1":0,...}` with `count` members, as JSON text. */
function objectOfKeys(count: number): string {
  return `{${Array.from({ length: count }, (_, index) => `"k${index}":0`).join(',')}}`;
}

describe('the work a body may cost, behind a token too', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let guest: TokenResponse;
  let shop: TokenResponse;

  const http = () => request(app.getHttpServer());
  const postJson = (path: string, token: string, text: string) =>
    http().post(path).set(bearer(token)).set('Content-Type', 'application/json').send(text);

  beforeAll(async () => {
    // A public body large enough to hold more members than the limit.
    ({ db, app } = await openTestApp({ PUBLIC_BODY_LIMIT_BYTES: String(64 * 1024) }));
    guest = await createGuest(app);
    shop = await registerShop(app);
  });

  afterAll(async () => {
    await closeTestApp(db, app);
  });

  describe('object members: at most JSON_MAX_MEMBERS in a body, refused before it is parsed or validated', () => {
    it('answers 400 to 60,000 unknown fields sent to POST /api/quote-sessions by a guest', async () => {
      const response = await postJson('/api/quote-sessions', guest.access_token, objectOfKeys(60_000)).expect(400);
      // The member count answers, not the validator (which would list every field that should not exist).
      expect(response.body.message).toBe(TOO_MANY_MEMBERS);
    });

    it('answers 400 to an inputs_json of 60,000 keys sent to POST /api/quotes by a guest', async () => {
      const body = `{"job_type":"swing_gate","inputs_json":${objectOfKeys(60_000)}}`;
      const response = await postJson('/api/quotes', guest.access_token, body).expect(400);
      expect(response.body.message).toBe(TOO_MANY_MEMBERS);
    });

    it('counts members at every depth in all, and takes a body of exactly 5,000', async () => {
      // job_type and inputs_json are two members, the keys of inputs_json the rest.
      await postJson('/api/quotes', guest.access_token, `{"job_type":"swing_gate","inputs_json":${objectOfKeys(4998)}}`).expect(201);
      const over = await postJson('/api/quotes', guest.access_token, `{"job_type":"swing_gate","inputs_json":${objectOfKeys(4999)}}`);
      expect(over.status).toBe(400);
      expect(over.body.message).toBe(TOO_MANY_MEMBERS);
      const spread = `{"job_type":"swing_gate","inputs_json":{"posts":[${Array(2500).fill('{"a":1,"b":2}').join(',')}]}}`;
      expect((await postJson('/api/quotes', guest.access_token, spread)).body.message).toBe(TOO_MANY_MEMBERS);
    });

    it('does not count array items or colons inside strings', async () => {
      const items = `{"job_type":"swing_gate","inputs_json":{"list":[${Array(6000).fill('0').join(',')}]},"notes":"${':'.repeat(6000)}"}`;
      await postJson('/api/quotes', guest.access_token, items).expect(201);
    });

    it('lets PUT /api/material-prices/mappings take a document as full as MAPPINGS_MAX_ENTRIES allows, and no fuller', async () => {
      const section = (count: number, prefix: string, target: string) =>
        `{${Array.from({ length: count }, (_, index) => `"${prefix} ${index}":"${target}"`).join(',')}}`;
      const full = `"suppliers":${section(5000, 'Supplier', 'Main Supplier')},"materials":${section(5000, 'Bar', 'flat_bar_4x0.5')},"ignore":[]`;
      const put = (text: string) =>
        http().put('/api/material-prices/mappings').set(bearer(shop.access_token)).set('Content-Type', 'application/json').send(text);
      const stored = await put(`{${full}}`).expect(200);
      expect(Object.keys(stored.body.suppliers)).toHaveLength(5000);
      // Two members more than the fullest document: refused by the count, before anything reads it.
      const over = await put(`{${full},"extra":{"a":1}}`).expect(400);
      expect(over.body.message).toBe('The JSON body has more than 10003 object members (2 × MAPPINGS_MAX_ENTRIES for a mapping document)');
      await put('{}').expect(200);
    });

    it('applies to public routes too', async () => {
      const response = await http().post('/api/auth/login').set('Content-Type', 'application/json').send(objectOfKeys(5001)).expect(400);
      expect(response.body.message).toBe(TOO_MANY_MEMBERS);
    });
  });

  it('answers 400 to 4,000 unknown fields (under the member limit), each named', async () => {
    const response = await postJson('/api/quote-sessions', guest.access_token, objectOfKeys(4000)).expect(400);
    expect(response.body.message).toHaveLength(4000);
    expect(response.body.message[0]).toBe('property k0 should not exist');
    expect(response.body.message[3999]).toBe('property k3999 should not exist');
  });

  describe('names every object inherits, at any depth: 400 naming the path, never dropped', () => {
    it('on PUT /api/material-prices/mappings, which stores nothing of it', async () => {
      const put = (body: Record<string, unknown>) => http().put('/api/material-prices/mappings').set(bearer(shop.access_token)).send(body);
      await put({ suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' } }).expect(200);
      const response = await put({ suppliers: { toString: 'Osorio' } }).expect(400);
      expect(response.body.message).toEqual(['property suppliers.toString should not exist']);
      const stored = await http().get('/api/material-prices/mappings').set(bearer(shop.access_token)).expect(200);
      expect(stored.body.suppliers).toEqual({ 'Osorio Metals Supply Inc.': 'Osorio' });
    });

    it.each([
      ['valueOf', '{"valueOf":1}', 'inputs_json.valueOf'],
      ['constructor', '{"constructor":{"name":"x"}}', 'inputs_json.constructor'],
      ['hasOwnProperty', '{"posts":[{"hasOwnProperty":true}]}', 'inputs_json.posts[0].hasOwnProperty'],
      ['__proto__', '{"a":{"__proto__":{"admin":true}}}', 'inputs_json.a.__proto__'],
      ['__defineGetter__', '{"__defineGetter__":"x"}', 'inputs_json.__defineGetter__'],
      ['prototype', '{"prototype":"x"}', 'inputs_json.prototype'],
    ])('%s in inputs_json of POST /api/quotes', async (_name, inputs, path) => {
      const response = await postJson('/api/quotes', guest.access_token, `{"job_type":"swing_gate","inputs_json":${inputs}}`).expect(400);
      expect(response.body.message).toEqual([`property ${path} should not exist`]);
    });

    it('at the top level, as before', async () => {
      const response = await postJson('/api/quote-sessions', guest.access_token, '{"__proto__":{"job_type":"swing_gate"}}').expect(400);
      expect(response.body.message).toEqual(['property __proto__ should not exist']);
    });
  });
});
