import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, registerShop, type TokenResponse } from './support/auth';
import { startServer, stopServer } from './support/processes';
import { closeTestApp, openTestApp } from './support/test-app';
import { TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

describe('hostile input', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let shop: TokenResponse & { email: string; password: string };

  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ db, app } = await openTestApp({
      RATE_LIMIT_REGISTER_IP: '1000/1h',
      RATE_LIMIT_GUEST_IP: '1000/1h',
      CORS_ORIGINS: 'https://shop.example',
    }));
    shop = await registerShop(app);
  });

  afterAll(async () => {
    await closeTestApp(db, app);
  });

  describe('bodies', () => {
    it('takes at most PUBLIC_BODY_LIMIT_BYTES on a public route, and the larger limit behind a token', async () => {
      const padding = 'x'.repeat(17 * 1024);
      await http().post('/api/auth/login').send({ email: shop.email, password: padding }).expect(413);
      await http().post('/api/auth/register').send({ email: 'big@example.com', password: padding }).expect(413);
      await http().post('/api/auth/refresh').send({ refresh_token: padding }).expect(413);
      await http().post('/api/auth/logout').send({ refresh_token: padding }).expect(413);
      await http().post('/api/auth/guest').send({ padding }).expect(413);
      // 17 KiB of notes is fine for a signed-in shop.
      await http()
        .post('/api/quotes')
        .set(bearer(shop.access_token))
        .send({ job_type: 'swing_gate', notes: 'n'.repeat(17 * 1024) })
        .expect(201);
    });

    it.each([
      ['nested 33 levels deep', `{"email":${'['.repeat(33)}${']'.repeat(33)},"password":"x"}`],
      ['nested 5,000 levels deep', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ])('answers 400 to JSON %s, before validation', async (_case, body) => {
      const response = await http().post('/api/auth/login').set('Content-Type', 'application/json').send(body).expect(400);
      expect(response.body.message).toBe('The JSON body is nested deeper than 32 levels');
    });

    it('answers 400 to a 5,000-deep JSON behind a token too', async () => {
      const body = `{"job_type":"swing_gate","inputs_json":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
      await http().post('/api/quotes').set(bearer(shop.access_token)).set('Content-Type', 'application/json').send(body).expect(400);
    });

    it.each([
      ['application/x-www-form-urlencoded', 'email=a%40b.com&password=xxxxxxxxxx'],
      ['text/plain', '{"email":"a@b.com","password":"xxxxxxxxxx"}'],
      ['application/xml', '<login/>'],
    ])('answers 415 to a %s body on a JSON route', async (type, body) => {
      await http().post('/api/auth/login').set('Content-Type', type).send(body).expect(415);
    });

    it('still takes a POST without a body where none is needed', async () => {
      await http().post('/api/auth/guest').expect(201);
    });
  });

  describe('text the database cannot hold: 400 naming the field, never 500', () => {
    it.each([
      ['a NUL in the login email', '/api/auth/login', { email: 'a\u0000@b.com', password: 'correct horse battery staple' }, 'field email'],
      [
        'a lone surrogate in the login email',
        '/api/auth/login',
        { email: '\ud800@b.com', password: 'correct horse battery staple' },
        'field email',
      ],
      [
        'a NUL in a register password',
        '/api/auth/register',
        { email: 'nul@example.com', password: 'correct horse\u0000battery' },
        'field password',
      ],
    ])('%s (public)', async (_case, path, body, field) => {
      const response = await http().post(path).send(body).expect(400);
      expect(response.body.message).toEqual([`${field} holds a NUL character or broken Unicode`]);
    });

    it.each([
      ['a NUL in a profile field', 'put', '/api/auth/profile', { shop_name: 'Iron\u0000Works' }, 'field shop_name'],
      [
        'a lone surrogate in quote text',
        'post',
        '/api/quotes',
        { job_type: 'swing_gate', project_description: 'gate \udc00' },
        'field project_description',
      ],
      [
        'a NUL deep in inputs_json',
        'post',
        '/api/quotes',
        { job_type: 'swing_gate', inputs_json: { posts: [{ note: 'a\u0000' }] } },
        'field inputs_json.posts[0].note',
      ],
      [
        'a NUL in a key of inputs_json',
        'post',
        '/api/quotes',
        { job_type: 'swing_gate', inputs_json: { 'a\u0000b': 1 } },
        'field name "inputs_json.a\\u0000b"',
      ],
    ] as const)('%s (signed in)', async (_case, method, path, body, field) => {
      const response = await http()[method](path).set(bearer(shop.access_token)).send(body).expect(400);
      expect(response.body.message).toEqual([`${field} holds a NUL character or broken Unicode`]);
    });

    it('in query strings and path parameters', async () => {
      const query = await http()
        .get('/api/material-prices')
        .query({ material_type: 'sq\u0000tube' })
        .set(bearer(shop.access_token))
        .expect(400);
      expect(query.body.message).toEqual(['query parameter material_type holds a NUL character or broken Unicode']);
      const path = await http().get('/api/material-prices/sq%00tube/history').set(bearer(shop.access_token)).expect(400);
      expect(path.body.message).toEqual(['path parameter material_type holds a NUL character or broken Unicode']);
      await http().get('/api/material-prices').query({ material_type: '%ED%A0%80' }).set(bearer(shop.access_token)).expect(400);
    });

    it('answers 400 to a number a database integer cannot hold', async () => {
      await http().get('/api/quotes').query({ offset: '1e20' }).set(bearer(shop.access_token)).expect(400);
      await http().get('/api/quotes').query({ offset: '2147483648' }).set(bearer(shop.access_token)).expect(400);
      await http().get('/api/quotes/99999999999999999999').set(bearer(shop.access_token)).expect(404);
    });
  });

  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])(
    'answers 400 to a field named %s, like any unknown field',
    async (name) => {
      const response = await http()
        .post('/api/auth/login')
        .send({ email: shop.email, password: shop.password, [name]: 1 })
        .expect(400);
      expect(response.body.message).toEqual([`property ${name} should not exist`]);
      await http()
        .put('/api/auth/profile')
        .set(bearer(shop.access_token))
        .send({ [name]: 'x' })
        .expect(400);
    },
  );

  it('sends security headers on every response, HSTS and upgrade-insecure-requests only over https', async () => {
    for (const response of [await http().get('/api/health'), await http().get('/api/auth/me'), await http().get('/api/docs')]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
      expect(response.headers['strict-transport-security']).toBeUndefined();
      expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
    const proxied = await http().get('/api/docs').set('X-Forwarded-Proto', 'https');
    expect(proxied.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS and upgrade-insecure-requests behind a trusted proxy that says https', async () => {
    // A server of its own: one process runs one app (Passport's registry is process-wide).
    const behindProxy = await startServer({ JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: db.url, TRUST_PROXY: '1' });
    try {
      const secure = await request(behindProxy.url).get('/api/docs').set('X-Forwarded-Proto', 'https').expect(200);
      expect(secure.headers['strict-transport-security']).toContain('max-age=');
      expect(secure.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      const plain = await request(behindProxy.url).get('/api/docs').set('X-Forwarded-Proto', 'http').expect(200);
      expect(plain.headers['strict-transport-security']).toBeUndefined();
      expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    } finally {
      await stopServer(behindProxy);
    }
  });

  it.each(['PUT', 'DELETE', 'POST'])('allows %s in the CORS preflight of an allowed origin', async (method) => {
    const response = await http()
      .options('/api/auth/profile')
      .set('Origin', 'https://shop.example')
      .set('Access-Control-Request-Method', method)
      .expect(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(response.headers['access-control-allow-methods']).toContain(method);
  });

  it('gives a guest the same treatment', async () => {
    const guest = await createGuest(app);
    await http().post('/api/quotes').set(bearer(guest.access_token)).send({ job_type: 'swing_gate', notes: '\u0000' }).expect(400);
  });
});
