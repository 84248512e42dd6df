import { startServer, stopServer } from './support/processes';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const PASSWORD = 'a password nobody logs 123';
const NEW_PASSWORD = 'another password nobody logs 456';

interface LogLine {
  level: number;
  msg: string;
  request_id?: string;
  method?: string;
  route?: string;
  status?: number;
  duration_ms?: number;
  user_id?: number | null;
}

async function call(url: string, method: string, path: string, options: { body?: unknown; token?: string; requestId?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.requestId) headers['X-Request-Id'] = options.requestId;
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: text ? JSON.parse(text) : null };
}

describe('logs of a running server', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(() => db?.drop());

  it('writes JSON lines with one access line per request, takes or makes the request id, and never logs a credential', async () => {
    const server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: db.url, MIGRATE_ON_START: 'true' });
    const email = `logs-${process.pid}@example.com`;
    const registered = await call(server.url, 'POST', '/api/auth/register', {
      body: { email, password: PASSWORD },
      requestId: 'walk-through-1',
    });
    expect(registered.status).toBe(201);
    expect(registered.requestId).toBe('walk-through-1');
    const me = await call(server.url, 'GET', '/api/auth/me', {
      token: registered.body.access_token,
      requestId: 'not a sane id; DROP TABLE',
    });
    expect(me.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const login = await call(server.url, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
    await call(server.url, 'POST', '/api/auth/login', { body: { email, password: 'a wrong password for the log' } });
    const refreshed = await call(server.url, 'POST', '/api/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    await call(server.url, 'PUT', '/api/auth/password', {
      token: refreshed.body.access_token,
      body: { current_password: PASSWORD, new_password: NEW_PASSWORD },
    });
    await call(server.url, 'POST', '/api/auth/password/forgot', { body: { email } });
    await call(server.url, 'POST', '/api/auth/logout', {
      token: refreshed.body.access_token,
      body: { refresh_token: refreshed.body.refresh_token },
    });
    const { stdout, stderr } = await stopServer(server);

    const lines = stdout.split('\n').filter((line) => line.trim() !== '');
    const parsed = lines.map((line) => JSON.parse(line) as LogLine);
    const access = parsed.filter((line) => line.msg === 'request completed');
    expect(access.find((line) => line.request_id === 'walk-through-1')).toEqual(
      expect.objectContaining({ method: 'POST', route: '/api/auth/register', status: 201, duration_ms: expect.any(Number), user_id: null }),
    );
    expect(access.find((line) => line.request_id === me.requestId)).toEqual(
      expect.objectContaining({ method: 'GET', route: '/api/auth/me', status: 200, user_id: registered.body.user_id }),
    );
    expect(access.filter((line) => line.route === '/api/auth/login').map((line) => line.status)).toEqual([200, 401]);

    const everything = stdout + stderr;
    for (const secret of [
      PASSWORD,
      NEW_PASSWORD,
      'a wrong password for the log',
      registered.body.access_token,
      registered.body.refresh_token,
      login.body.refresh_token,
      refreshed.body.access_token,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything.toLowerCase()).not.toContain('bearer ');
  });

  it('writes readable lines with LOG_FORMAT=pretty', async () => {
    const server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: db.url, LOG_FORMAT: 'pretty' });
    await call(server.url, 'GET', '/api/health/live', { requestId: 'pretty-1' });
    const { stdout } = await stopServer(server);
    const line = stdout.split('\n').find((candidate) => candidate.includes('pretty-1')) ?? '';
    expect(line).toMatch(/INFO.*request completed.*"pretty-1"/);
    expect(() => JSON.parse(line)).toThrow();
  });
});
