import { Agent, request as httpRequest } from 'node:http';

import { startServer, stopServer } from './support/processes';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const SAMPLES = 200;
const ATTACKERS = 2;

/** Worst-case bodies for a public route: as deep, as wide and as large as a client may try. */
const ATTACK_BODIES = [
  `{"email":${'['.repeat(8000)}${']'.repeat(8000)},"password":"x"}`,
  `{"email":[${Array(8000).fill('0').join(',')}],"password":"x"}`,
  JSON.stringify({ email: 'someone@example.com', password: 'x'.repeat(1024 * 1024) }),
];

function send(agent: Agent, url: string, path: string, init: { method: string; body?: string; token?: string }): Promise<number> {
  return new Promise((resolvePromise) => {
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json' };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['Content-Length'] = Buffer.byteLength(init.body);
    const req = httpRequest(`${url}${path}`, { method: init.method, agent, headers }, (response) => {
      response.resume();
      response.on('end', () => {
        // A server that refused a large body early does not read the rest: stop sending it.
        if (!req.writableFinished) req.destroy();
        resolvePromise(response.statusCode ?? 0);
      });
    });
    req.on('error', () => resolvePromise(0));
    req.end(init.body);
  });
}

describe('the cost of hostile bodies to public routes', () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServer({ JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: db.url, MIGRATE_ON_START: 'true' });
  });

  afterAll(async () => {
    await stopServer(server);
    await db?.drop();
  });

  // What the attack costs the signed-in client in time is measured in bench/ (the JSON-member shape of the work bounds).
  it("refuses every hostile body while a signed-in client's GET /api/auth/me keeps answering", async () => {
    const registered = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `client-${process.pid}@example.com`, password: 'correct horse battery staple' }),
    });
    const { access_token: token } = (await registered.json()) as { access_token: string };
    const clientAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const askMe = async (): Promise<number[]> => {
      const statuses: number[] = [];
      for (let sample = 0; sample < SAMPLES; sample++)
        statuses.push(await send(clientAgent, server.url, '/api/auth/me', { method: 'GET', token }));
      return statuses;
    };

    let attacking = true;
    const attackStatuses = new Map<number, number>();
    const attackers = Array.from({ length: ATTACKERS }, async (_, attacker) => {
      // A connection per request: one refused in the middle of a large body cannot carry another.
      const agent = new Agent({ keepAlive: false, maxSockets: 1 });
      for (let round = 0; attacking; round++) {
        const status = await send(agent, server.url, '/api/auth/login', {
          method: 'POST',
          body: ATTACK_BODIES[(round + attacker) % ATTACK_BODIES.length],
        });
        attackStatuses.set(status, (attackStatuses.get(status) ?? 0) + 1);
      }
      agent.destroy();
    });
    const underAttack = await askMe();
    attacking = false;
    await Promise.all(attackers);
    clientAgent.destroy();

    // The attack was refused, never served: too deep (400) or too large (413), and connections dropped after a 413.
    expect([...attackStatuses.keys()].every((status) => [400, 413, 0].includes(status))).toBe(true);
    expect(underAttack).toEqual(Array(SAMPLES).fill(200));
  });
});
