import { randomBytes } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/migrations';
import { bearer, craftJwt, createGuest, jwtClaims, registerShop, uniqueEmail } from './support/auth';
import { METRICS_TOKEN } from './support/guard-cache';
import { pollUntil } from './support/poll';
import { startServer, stopServer } from './support/processes';
import { linkToken, type ReceivedMail, startTestSmtp, type TestSmtpServer } from './support/smtp';
import { closeTestApp, openTestApp } from './support/test-app';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const NEW_PASSWORD = 'a brand new long password';
/** Mail to these addresses is refused by the SMTP server for good (550), as a mailbox that does not exist. */
const BOUNCING = /^bounce-/;

describe('accounts that hold against odd addresses and stale tokens', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let smtp: TestSmtpServer;
  const http = () => request(app.getHttpServer());
  const mailTo = (to: string, subject: RegExp): Promise<ReceivedMail> =>
    smtp.waitFor((mail) => mail.to === to && subject.test(mail.subject));
  let clients = 0;
  /** A client address of its own (the app trusts one proxy hop, so X-Forwarded-For names the client). */
  const newIp = () => `198.51.${Math.floor(++clients / 250)}.${(clients % 250) + 1}`;

  beforeAll(async () => {
    smtp = await startTestSmtp((address) => BOUNCING.test(address));
    ({ db, app } = await openTestApp({
      SMTP_URL: smtp.url,
      APP_BASE_URL: 'https://app.example',
      MAIL_POLL_MS: '50',
      MAIL_RETRY_BASE_MS: '50',
      MAIL_GIVE_UP_AFTER: '1s',
      METRICS_TOKEN,
      TRUST_PROXY: '1',
      RATE_LIMIT_REGISTER_IP: '1000/1h',
      RATE_LIMIT_GUEST_IP: '1000/1h',
      RATE_LIMIT_PASSWORD_FORGOT_EMAIL: '1/5m',
      RATE_LIMIT_PASSWORD_FORGOT_EMAIL_IP: '2/1h',
      RATE_LIMIT_LOGIN_ACCOUNT_IP: '3/15m',
      RATE_LIMIT_LINK_CONFIRM_IP: '3/1h',
    }));
  });

  afterAll(async () => {
    await closeTestApp(db, app);
    await smtp?.stop();
  });

  describe('addresses', () => {
    it.each([
      ['a quoted local part', '"attacker@evil.example"@victim.example'],
      ['CR/LF in a quoted local part', '"a\r\nRCPT TO:<x@evil.example>"@victim.example'],
      ['two @', 'attacker@evil.example@victim.example'],
      ['a comma', 'a,b@victim.example'],
      ['a space', 'a b@victim.example'],
      ['a leading dot', '.owner@victim.example'],
      ['two dots in a row', 'own..er@victim.example'],
      ['a bare host', 'owner@localhost'],
      ['a numeric top-level domain', 'owner@10.0.0.1'],
      ['the reserved .invalid', 'owner@guest.invalid'],
      ['the reserved .test', 'owner@shop.test'],
      ['the reserved .localhost', 'owner@shop.localhost'],
      ['the reserved .local', 'owner@printer.local'],
    ])('refuses %s on registration and on an email change', async (_what, email) => {
      const registration = await http().post('/api/auth/register').send({ email, password: NEW_PASSWORD }).expect(400);
      expect(registration.body.message).toEqual([expect.stringMatching(/^email must /)]);
      const shop = await registerShop(app);
      const change = await http()
        .put('/api/auth/email')
        .set(bearer(shop.access_token))
        .send({ new_email: email, password: shop.password })
        .expect(400);
      expect(change.body.message).toEqual([expect.stringMatching(/^new_email must /)]);
    });

    it('takes dot-atom local parts, letters beyond ASCII and subdomains', async () => {
      const tag = randomBytes(4).toString('hex');
      for (const email of [`o'neil+quotes.${tag}@mail.example-shop.com`, `josé.${tag}@example.com`, `{x}~${tag}@example.co.uk`]) {
        const shop = await registerShop(app, email);
        expect(shop.user.email).toBe(email);
      }
    });

    it('answers a look-alike of an existing address (UTS #39 skeleton) as taken, on registration, claim and email change', async () => {
      const tag = randomBytes(4).toString('hex');
      const owner = await registerShop(app, `alice.${tag}@example.com`);
      await registerShop(app, `mary.${tag}@example.com`);
      for (const lookAlike of [`\u0430lice.${tag}@example.com`, `rnary.${tag}@example.com`, `alice.${tag}@ex\u0430mple.com`]) {
        const answer = await http().post('/api/auth/register').send({ email: lookAlike, password: NEW_PASSWORD }).expect(409);
        expect(answer.body.message).toBe('This email is already registered');
      }
      const guest = await createGuest(app);
      await http()
        .post('/api/auth/register')
        .set(bearer(guest.access_token))
        .send({ email: `\u0430lice.${tag}@example.com`, password: NEW_PASSWORD })
        .expect(409);

      const other = await registerShop(app);
      const lookAlike = `\u0430lice.${tag}@example.com`;
      await http()
        .put('/api/auth/email')
        .set(bearer(other.access_token))
        .send({ new_email: lookAlike, password: other.password })
        .expect(202);
      const token = linkToken(await mailTo(lookAlike, /confirm your new email address/));
      await http().post('/api/auth/email/confirm').send({ token }).expect(409);
      // The owner's own look-alike is no one else's: it may move to it.
      await http()
        .put('/api/auth/email')
        .set(bearer(owner.access_token))
        .send({ new_email: lookAlike, password: owner.password })
        .expect(202);
      const own = linkToken(await smtp.waitFor((mail) => mail.to === lookAlike && linkToken(mail) !== token));
      await http().post('/api/auth/email/confirm').send({ token: own }).expect(200);
    });

    it('lets one of several look-alikes registered at once through', async () => {
      const tag = randomBytes(4).toString('hex');
      const spellings = [
        `paul.${tag}@example.com`,
        `p\u0430ul.${tag}@example.com`,
        `pau1.${tag}@example.com`,
        `p\u0430u1.${tag}@example.com`,
      ];
      const answers = await Promise.all(
        spellings.map((email) => http().post('/api/auth/register').send({ email, password: NEW_PASSWORD })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    });
  });

  describe('password recovery', () => {
    it('limits forgot-password per (address, IP), never the owner, and mails the address at most once per spacing', async () => {
      const owner = await registerShop(app);
      const forgot = (ip: string) => http().post('/api/auth/password/forgot').set('X-Forwarded-For', ip).send({ email: owner.email });
      const attacker = newIp();
      await forgot(attacker).expect(202);
      await forgot(attacker).expect(202);
      await forgot(attacker).expect(429);
      for (let other = 0; other < 6; other++) await forgot(newIp()).expect(202);
      await forgot(newIp()).expect(202);

      // One mail (RATE_LIMIT_PASSWORD_FORGOT_EMAIL 1/5m): no later request voided its link.
      const token = linkToken(await mailTo(owner.email, /reset your password/));
      await http().post('/api/auth/password/reset').send({ token, password: NEW_PASSWORD }).expect(204);
      expect(smtp.received.filter((mail) => mail.to === owner.email)).toHaveLength(1);
    });

    it("clears the account's failed logins after a reset, whichever IP they came from", async () => {
      const owner = await registerShop(app);
      const laptop = newIp();
      const login = (password: string) =>
        http().post('/api/auth/login').set('X-Forwarded-For', laptop).send({ email: owner.email, password });
      for (const wrong of ['wrong one', 'wrong two', 'wrong three']) await login(wrong).expect(401);
      await login(owner.password).expect(429);

      await http().post('/api/auth/password/forgot').set('X-Forwarded-For', newIp()).send({ email: owner.email }).expect(202);
      const token = linkToken(await mailTo(owner.email, /reset your password/));
      await http().post('/api/auth/password/reset').send({ token, password: NEW_PASSWORD }).expect(204);
      await login(NEW_PASSWORD).expect(200);
    });

    it('limits the uses of verification and email-change links per IP', async () => {
      const ip = newIp();
      for (let attempt = 0; attempt < 3; attempt++) {
        await http().post('/api/auth/verify-email').set('X-Forwarded-For', ip).send({ token: 'not-a-token' }).expect(400);
      }
      await http().post('/api/auth/verify-email').set('X-Forwarded-For', ip).send({ token: 'not-a-token' }).expect(429);
      await http().post('/api/auth/email/confirm').set('X-Forwarded-For', ip).send({ token: 'not-a-token' }).expect(429);
      await http().post('/api/auth/email/confirm').set('X-Forwarded-For', newIp()).send({ token: 'not-a-token' }).expect(400);
    });
  });

  describe('access tokens', () => {
    it('needs exp and iat, exp within the lifetime of iat, and iat not in the future', async () => {
      const shop = await registerShop(app);
      const { sub, sid } = jwtClaims(shop.access_token);
      const now = Math.floor(Date.now() / 1000);
      const me = (claims: Record<string, unknown>) =>
        http()
          .get('/api/auth/me')
          .set(bearer(craftJwt({ alg: 'HS256', typ: 'JWT' }, { sub, sid, type: 'access', ...claims }, TEST_JWT_SECRET)));
      await me({ iat: now, exp: now + 15 * 60 }).expect(200);
      await me({ iat: now + 30, exp: now + 90 }).expect(200);
      await me({ iat: now }).expect(401);
      await me({ exp: now + 60 }).expect(401);
      await me({ iat: now, exp: Date.UTC(2100, 0, 1) / 1000 }).expect(401);
      await me({ iat: now - 60, exp: now + 15 * 60 }).expect(401);
      await me({ iat: now + 3600, exp: now + 3660 }).expect(401);
      await me({ iat: String(now), exp: String(now + 60) }).expect(401);
    });
  });

  describe('guests', () => {
    it('deletes a guest with its token alone', async () => {
      const guest = await createGuest(app);
      await http().delete('/api/auth/account').set(bearer(guest.access_token)).expect(204);
      expect(await db.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [guest.user_id])).toEqual([{ n: 0 }]);
      await http().get('/api/auth/me').set(bearer(guest.access_token)).expect(401);
    });
  });

  describe('mail that cannot go', () => {
    it('gives up after MAIL_GIVE_UP_AFTER: marked failed, bodies dropped, the link voided, logged and counted', async () => {
      const shop = await registerShop(app, uniqueEmail('bounce'));
      await http().post('/api/auth/verify-email/request').set(bearer(shop.access_token)).expect(202);
      const outbox = () =>
        db.query<{ failed_at: Date | null; sent_at: Date | null; text_body: string; html_body: string }>(
          `SELECT failed_at, sent_at, text_body, html_body FROM mail_outbox WHERE user_id = $1`,
          [shop.user_id],
        );
      await pollUntil(async () => (await outbox())[0]?.failed_at !== null, 500);
      expect(await outbox()).toEqual([{ failed_at: expect.any(Date), sent_at: null, text_body: '', html_body: '' }]);
      expect(await db.query(`SELECT used_at IS NOT NULL AS void FROM link_tokens WHERE user_id = $1`, [shop.user_id])).toEqual([
        { void: true },
      ]);
      const metrics = await http().get('/api/metrics').set(bearer(METRICS_TOKEN)).expect(200);
      expect(metrics.text).toMatch(/^mail_given_up_total 1$/m);
    });
  });
});

describe('the mail sender of a server started before its migrations', () => {
  it('waits for them quietly, then delivers', async () => {
    const db = await createTestDatabase();
    const smtp = await startTestSmtp();
    const server = await startServer(db.env({ MIGRATE_ON_START: 'false', SMTP_URL: smtp.url, MAIL_POLL_MS: '20' }));
    try {
      const migrator = await new DataSource({ ...dataSourceOptions(db.config()), migrations: MIGRATIONS, logging: false }).initialize();
      await migrator.runMigrations();
      await migrator.destroy();
      await pollUntil(async () => (await fetch(`${server.url}/api/health/ready`)).status === 200, 500);
      const shop = await registerShop(server.url);
      await request(server.url).post('/api/auth/verify-email/request').set(bearer(shop.access_token)).expect(202);
      await smtp.waitFor((mail) => mail.to === shop.email);
      expect(server.printed()).not.toMatch(/mail_outbox|outbox could not be read/);
    } finally {
      await stopServer(server);
      await smtp.stop();
      await db.drop();
    }
  });
});
