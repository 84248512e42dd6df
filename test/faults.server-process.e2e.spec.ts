import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { pollUntil } from './support/poll';
import { childEnv, finished, runBuilt, startServer, stopServer } from './support/processes';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const CLIENTS = 10;
// operations.md: the process exits within 10 s of SIGTERM.
const EXIT_BOUND_MS = 10_000;

interface Outcome {
  status?: number;
  id?: number;
  error?: string;
}

/** One POST over a kept-alive connection of `agent`: its status and quote id, or the socket error's code. */
function postQuote(agent: Agent, url: string, token: string): Promise<Outcome> {
  return new Promise((resolvePromise) => {
    const body = JSON.stringify({ job_type: 'swing_gate', project_description: 'drain' });
    const req = httpRequest(
      `${url}/api/quotes`,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          resolvePromise({ status: response.statusCode, id: response.statusCode === 201 ? JSON.parse(text).id : undefined }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolvePromise({ error: error.code ?? error.message }));
    req.end(body);
  });
}

/** One line that says what went wrong, and nothing like a stack trace. */
function expectOneClearLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('the server process', () => {
  let db: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = mkdtempSync(join(tmpdir(), 'cs-process-'));
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('on SIGTERM under keep-alive load: no connection reset, every answered write stored, exit within the bound', async () => {
    const server = await startServer({
      JWT_SECRET: TEST_JWT_SECRET,
      DATABASE_URL: db.url,
      MIGRATE_ON_START: 'true',
      RATE_LIMIT_REGISTER_IP: '100/1h',
    });
    const registered = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `drain-${process.pid}@example.com`, password: 'correct horse battery staple' }),
    });
    const { access_token: token } = (await registered.json()) as { access_token: string };
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const outcomes: Outcome[] = [];
    let signalled: Promise<number> | undefined;
    const clients = Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const outcome = await postQuote(agent, server.url, token);
        outcomes.push(outcome);
        // The signal goes once the load is well under way: after the 100th answer, whoever gets it.
        if (outcomes.length === 100) {
          const sentAt = Date.now();
          server.child.kill('SIGTERM');
          signalled = server.exit.then(() => Date.now() - sentAt);
        }
        if (outcome.status === 503 || outcome.error === 'ECONNREFUSED') return;
      }
    });
    await Promise.all(clients);
    agent.destroy();
    const exitedAfterMs = await signalled!;
    const exit = await server.exit;

    expect(outcomes.filter((outcome) => outcome.error !== undefined && outcome.error !== 'ECONNREFUSED')).toEqual([]);
    expect(new Set(outcomes.filter((outcome) => outcome.status !== undefined).map((outcome) => outcome.status))).toEqual(
      new Set([201, 503]),
    );
    const answeredIds = outcomes.filter((outcome) => outcome.status === 201).map((outcome) => outcome.id!);
    const stored = await db.query<{ id: number }>('SELECT id FROM quotes WHERE id = ANY($1::int[])', [answeredIds]);
    expect(stored).toHaveLength(answeredIds.length);
    expect(exit.code).toBe(0);
    expect(exitedAfterMs).toBeLessThan(EXIT_BOUND_MS);
  });

  it('exits 1 at once with one clear line when the port is taken, leaving no lock behind', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolveListen) => holder.listen(0, '127.0.0.1', resolveListen));
    const port = (holder.address() as { port: number }).port;
    const dataDir = join(folder, 'port-taken');
    try {
      const result = await runBuilt(
        'main.js',
        [],
        { JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
        folder,
      );
      expect(result.code).toBe(1);
      expectOneClearLine(result.stderr, /^The port is in use \(.*EADDRINUSE.*\): stop the other server or set PORT$/);
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('exits 1 with the configuration message when DATABASE_URL names no database, before any connection', async () => {
    const result = await runBuilt('main.js', [], { JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://base', PORT: '0' }, folder);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}- DATABASE_URL must be a postgres:\/\/ URL naming a host and a database: it names no database$/),
    ]);
    expect(result.stdout).toBe('');
  });

  it.each([
    {
      what: 'nothing listens on its port',
      listener: undefined,
      cause: /connection refused \(ECONNREFUSED\)/,
    },
    {
      what: 'what listens there closes the connection (not PostgreSQL)',
      listener: (socket: Socket) => socket.destroy(),
      cause: /.+/,
    },
  ])('exits 1 within seconds with one line naming host, port and cause when $what', async ({ listener, cause }) => {
    const server: Server = createServer(listener);
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    const port = (server.address() as { port: number }).port;
    if (!listener) await new Promise((resolveClose) => server.close(resolveClose));
    try {
      const result = await runBuilt(
        'main.js',
        [],
        { JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/app`, PORT: '0' },
        folder,
      );
      expect(result.code).toBe(1);
      expectOneClearLine(
        result.stderr,
        new RegExp(`^The database server 127\\.0\\.0\\.1:${port} (could not be reached|refused the login): `),
      );
      expect(result.stderr).toMatch(cause);
      expect(result.stdout).toBe('');
    } finally {
      if (listener) server.close();
    }
  });

  it.each([
    { how: 'SIGTERM to npm (a supervisor)', folderName: 'npm-start-sigterm', stop: (npm: ChildProcess) => npm.kill('SIGTERM') },
    // A terminal's Ctrl-C signals the whole foreground group, and npm forwards the signal to the server once more.
    {
      how: 'Ctrl-C (SIGINT to the process group)',
      folderName: 'npm-start-ctrl-c',
      stop: (npm: ChildProcess) => process.kill(-npm.pid!, 'SIGINT'),
    },
  ])('stops the server cleanly when the README start command (npm start) is stopped by $how', async ({ folderName, stop }) => {
    const dataDir = join(folder, folderName);
    // --ignore-scripts skips the build of prestart (dist/ is built): what runs is the start script itself.
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: process.cwd(),
      env: childEnv({ JWT_SECRET: TEST_JWT_SECRET, PGLITE_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }),
      detached: true,
    });
    const exit = finished(npm);
    const url = await new Promise<string>((resolveUrl, reject) => {
      let seen = '';
      npm.stdout.on('data', (chunk) => {
        seen += chunk;
        const match = /Listening on (http:\/\/\S+)/.exec(seen);
        if (match) resolveUrl(match[1]);
      });
      void exit.then((result) => reject(new Error(`npm start exited with ${result.code}: ${result.stderr}${result.stdout}`)));
    });
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    stop(npm);
    const { stdout } = await exit;
    // The server's own exit is awaited too: npm may be gone before it.
    await pollUntil(() => !existsSync(`${dataDir}.lock`));
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    expect(stdout).toContain('Stopped');
  });

  describe('on a database that is not migrated', () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    let unmigrated: TestDatabase;

    beforeAll(async () => {
      unmigrated = await createTestDatabase();
      server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: unmigrated.url, MIGRATE_ON_START: 'false' });
    });

    afterAll(async () => {
      await stopServer(server);
      await unmigrated?.drop();
    });

    it('answers 503 naming the pending migrations on health and on every route, and logs no email or password', async () => {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(503);
      const report = (await health.json()) as { migrations: { pending: string[] }; message: string };
      expect(report.migrations.pending).toEqual(expect.arrayContaining(['V1Baseline1764201600000', 'V2Foundation1764201600001']));
      expect(report.message).toMatch(/^The database is not migrated: pending V1Baseline1764201600000, .*; run "npm run migration:run"/);
      // Readiness is the same answer, with the migrations as a component that is down; the process itself is live.
      const ready = await fetch(`${server.url}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        components: { database: { status: 'up' }, migrations: { status: 'down', pending: report.migrations.pending } },
      });
      const live = await fetch(`${server.url}/api/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok', components: { process: { status: 'up', uptime_seconds: expect.any(Number) } } });

      const email = `unmigrated-${process.pid}@example.com`;
      const register = await fetch(`${server.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'a secret password' }),
      });
      expect(register.status).toBe(503);
      expect(((await register.json()) as { message: string }).message).toBe(report.message);
      expect((await fetch(`${server.url}/api/job-types`)).status).toBe(503);

      const { stdout, stderr } = await stopServer(server);
      expect(stdout + stderr).not.toContain(email);
      expect(stdout + stderr).not.toContain('a secret password');
    });
  });

  it('logs a failed query without its parameters', async () => {
    const broken = await createTestDatabase();
    const server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: broken.url, MIGRATE_ON_START: 'true' });
    try {
      // A schema that lost a column under the running server: the insert of a registration fails.
      await broken.query('ALTER TABLE users DROP COLUMN shop_phone');
      const email = `broken-${process.pid}@example.com`;
      const response = await fetch(`${server.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'a secret password' }),
      });
      expect(response.status).toBe(500);
      const { stdout, stderr } = await stopServer(server);
      expect(stderr + stdout).toContain('Query failed');
      expect(stderr + stdout).not.toContain(email);
      expect(stderr + stdout).not.toContain('$argon2');
    } finally {
      server.child.kill('SIGTERM');
      await broken.drop();
    }
  });
});

// The README's start command is `npm start`: a build (the code, then the embedded database image) unless dist/ is
// built from these sources, then the built server in place of npm's shell.
test('the start script runs the built server without a resident CLI', () => {
  const { scripts } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts.prestart).toBe('node scripts/build.mjs --if-stale');
  expect(scripts.start).toBe(
    'GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4194304:glibc.malloc.hugetlb=1 exec node --liftoff-only --max-semi-space-size=1 dist/main.js',
  );
  expect(scripts['start:prod']).toBe(scripts.start);
});
