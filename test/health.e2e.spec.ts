import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { TestDatabase } from './support/test-database';
import { closeTestApp, openTestApp } from './support/test-app';

const PUBLIC_ROUTES = [
  ['/api/health', 'get'],
  ['/api/auth/login', 'post'],
  ['/api/auth/refresh', 'post'],
  ['/api/auth/guest', 'post'],
  ['/api/auth/logout', 'post'],
];
const GUARDED_ROUTES = [
  ['/api/auth/me', 'get'],
  ['/api/auth/profile', 'put'],
  ['/api/job-types', 'get'],
  ['/api/quotes', 'post'],
  ['/api/quotes', 'get'],
  ['/api/quotes/{id}', 'get'],
  ['/api/quote-sessions', 'post'],
  ['/api/quote-sessions/{id}', 'get'],
  ['/api/material-prices', 'get'],
  ['/api/material-prices/{material_type}/history', 'get'],
];

describe('GET /api/health', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ({ db, app } = await openTestApp());
  });

  afterAll(() => closeTestApp(db, app));

  it('answers 200 while the database answers', async () => {
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves the OpenAPI document with every route, public ones marked as needing no token', async () => {
    const response = await request(app.getHttpServer()).get('/api/docs/json').expect(200);
    const security = (path: string, method: string) => response.body.paths[path]?.[method]?.security;
    for (const [path, method] of PUBLIC_ROUTES) expect(security(path, method)).toEqual([{}]);
    for (const [path, method] of GUARDED_ROUTES) expect(security(path, method)).toEqual([{ bearer: [] }]);
    expect(security('/api/auth/register', 'post')).toEqual(expect.arrayContaining([{}, { bearer: [] }]));
    await request(app.getHttpServer()).get('/api/docs').expect(200);
  });
});
