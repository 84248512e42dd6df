import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { DEFAULT_PASSWORD, uniqueEmail } from './support/auth';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const DISTINCT_EMAILS = 50;
// Each address as typed in four ways; the server stores it trimmed and lower-cased, so all four are one account.
const SPELLINGS: ((email: string) => string)[] = [
  (email) => email,
  (email) => email.toUpperCase(),
  (email) => email[0].toUpperCase() + email.slice(1),
  (email) => email.replace('@example.com', '@EXAMPLE.com'),
];

describe('200 concurrent registrations of 50 distinct emails', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ RATE_LIMIT_REGISTER_IP: '1000/1h' }));
  });

  afterAll(() => closeTestApp(db, app));

  it('creates exactly one account per email, whatever its case', async () => {
    const emails = Array.from({ length: DISTINCT_EMAILS }, () => uniqueEmail('race'));
    const attempts = emails.flatMap((email) => SPELLINGS.map((spell) => ({ email, typed: spell(email) })));

    const responses = await Promise.all(
      attempts.map(({ typed }) =>
        request(app.getHttpServer()).post('/api/auth/register').send({ email: typed, password: DEFAULT_PASSWORD }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(DISTINCT_EMAILS);
    expect(statuses.filter((status) => status === 409)).toHaveLength(attempts.length - DISTINCT_EMAILS);
    const winners = responses.filter((response) => response.status === 201).map((response) => response.body.user.email);
    expect(winners.sort()).toEqual([...emails].sort());

    const accounts = await db.query<{ email: string; id: number }>('SELECT id, email FROM users WHERE lower(email) = ANY($1)', [emails]);
    expect(accounts.map((account) => account.email).sort()).toEqual([...emails].sort());
    const winnerIds = responses.filter((response) => response.status === 201).map((response) => response.body.user_id);
    expect(winnerIds.sort()).toEqual(accounts.map((account) => account.id).sort());
  });
});
