import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const PUBLIC_ROUTES = [
  ['/api/health', 'get'],
  ['/api/health/ready', 'get'],
  ['/api/health/live', 'get'],
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
  ['/api/material-prices/mappings', 'get'],
  ['/api/material-prices/mappings', 'put'],
  ['/api/material-prices/imports', 'post'],
  ['/api/material-prices/imports', 'get'],
  ['/api/material-prices/imports/{id}', 'get'],
];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('GET /api/health', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ({ db, app } = await openTestApp());
  });

  afterAll(() => closeTestApp(db, app));

  it('answers 200 while the database answers', async () => {
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: 'up',
      components: { database: { status: 'up' }, migrations: { status: 'up', pending: [] } },
    });
    await request(app.getHttpServer()).get('/api/health/ready').expect(200, response.body);
  });

  it('serves the OpenAPI document with every route, public ones marked as needing no token', async () => {
    const response = await request(app.getHttpServer()).get('/api/docs/json').expect(200);
    const security = (path: string, method: string) => response.body.paths[path]?.[method]?.security;
    for (const [path, method] of PUBLIC_ROUTES) expect(security(path, method)).toEqual([{}]);
    for (const [path, method] of GUARDED_ROUTES) expect(security(path, method)).toEqual([{ bearer: [] }]);
    expect(security('/api/auth/register', 'post')).toEqual(expect.arrayContaining([{}, { bearer: [] }]));
    await request(app.getHttpServer()).get('/api/docs').expect(200);
  });

  it('gives every operation a summary and its 4xx answers the error body, and names the server it describes', async () => {
    const document = (await request(app.getHttpServer()).get('/api/docs/json').expect(200)).body;
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    const operations = Object.entries(
      document.paths as Record<string, Record<string, { summary?: string; responses: Record<string, { content?: unknown }> }>>,
    ).flatMap(([path, item]) => METHODS.filter((method) => item[method]).map((method) => ({ name: `${method} ${path}`, ...item[method] })));
    expect(operations.filter((operation) => !operation.summary).map((operation) => operation.name)).toEqual([]);
    const errorBody = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith('4'))
          expect({ operation: operation.name, status, content: response.content }).toEqual({
            operation: operation.name,
            status,
            content: errorBody,
          });
      }
    }
  });
});
