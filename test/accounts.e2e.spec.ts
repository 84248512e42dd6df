import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, DEFAULT_PASSWORD, registerShop, type TokenResponse } from './support/auth';
import { insertIgnoreMapping, insertPrice } from './support/factories';
import { pollUntil } from './support/poll';
import { startServer } from './support/processes';
import { linkToken, type ReceivedMail, startTestSmtp, type TestSmtpServer } from './support/smtp';
import { closeTestApp, openTestApp } from './support/test-app';
import { TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const NEW_PASSWORD = 'a brand new long password';

describe('accounts a shop can run on', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let smtp: TestSmtpServer;
  const http = () => request(app.getHttpServer());
  const mailTo = (to: string, subject: RegExp): Promise<ReceivedMail> =>
    smtp.waitFor((mail) => mail.to === to && subject.test(mail.subject));

  beforeAll(async () => {
    smtp = await startTestSmtp();
    ({ db, app } = await openTestApp({
      SMTP_URL: smtp.url,
      APP_BASE_URL: 'https://app.example',
      MAIL_POLL_MS: '50',
      MAIL_RETRY_BASE_MS: '50',
      RATE_LIMIT_REGISTER_IP: '1000/1h',
      RATE_LIMIT_GUEST_IP: '1000/1h',
      RATE_LIMIT_PASSWORD_FORGOT_IP: '1000/1h',
      RATE_LIMIT_PASSWORD_FORGOT_EMAIL: '1000/1h',
      RATE_LIMIT_LOGIN_IP: '1000/15m',
      RATE_LIMIT_LOGIN_ACCOUNT_IP: '3/15m',
    }));
  });

  afterAll(async () => {
    await closeTestApp(db, app);
    await smtp?.stop();
  });

  const login = (shop: { email: string }, password: string, userAgent = 'test-agent') =>
    http().post('/api/auth/login').set('User-Agent', userAgent).send({ email: shop.email, password });

  describe('password reset', () => {
    it('mails a link that sets a new password once and logs every device out', async () => {
      const shop = await registerShop(app);
      const otherDevice = (await login(shop, shop.password).expect(200)).body as TokenResponse;
      await http().post('/api/auth/password/forgot').send({ email: shop.email.toUpperCase() }).expect(202);
      const mail = await mailTo(shop.email, /reset your password/);
      expect(mail.text).toMatch(/^https:\/\/app\.example\/reset-password\?token=[\w-]{43}$/m);
      expect(mail.html).toContain('https://app.example/reset-password?token=');
      const token = linkToken(mail);

      await http().post('/api/auth/password/reset').send({ token, password: NEW_PASSWORD }).expect(204);
      await login(shop, shop.password).expect(401);
      await login(shop, NEW_PASSWORD).expect(200);
      for (const device of [shop, otherDevice]) {
        await http().get('/api/auth/me').set(bearer(device.access_token)).expect(401);
        await http().post('/api/auth/refresh').send({ refresh_token: device.refresh_token }).expect(401);
      }
      const again = await http().post('/api/auth/password/reset').send({ token, password: 'yet another password' }).expect(400);
      expect(again.body.message).toBe('The link is unknown, already used or expired: ask for a new one');
      expect(mail.text).not.toContain(shop.password);
    });

    it('refuses an expired token, and a token voided by a newer request', async () => {
      const shop = await registerShop(app);
      await http().post('/api/auth/password/forgot').send({ email: shop.email }).expect(202);
      const first = linkToken(await mailTo(shop.email, /reset your password/));
      await http().post('/api/auth/password/forgot').send({ email: shop.email }).expect(202);
      const second = linkToken(await smtp.waitFor((mail) => mail.to === shop.email && linkToken(mail) !== first));
      await http().post('/api/auth/password/reset').send({ token: first, password: NEW_PASSWORD }).expect(400);
      await db.query(`UPDATE link_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [shop.user_id]);
      await http().post('/api/auth/password/reset').send({ token: second, password: NEW_PASSWORD }).expect(400);
    });

    it('answers a known, an unknown and a guest email identically, and mails only the known one', async () => {
      const shop = await registerShop(app);
      const guest = await createGuest(app);
      const answers = await Promise.all(
        [shop.email, `nobody-${process.pid}@example.com`, guest.user.email as string].map((email) =>
          http().post('/api/auth/password/forgot').send({ email }),
        ),
      );
      expect(answers.map((answer) => [answer.status, answer.text])).toEqual(Array(3).fill([202, '']));
      await mailTo(shop.email, /reset your password/);
      expect(smtp.received.filter((mail) => mail.to === guest.user.email || mail.to.startsWith('nobody-'))).toEqual([]);
    });
  });

  describe('email verification', () => {
    it('mails a link that marks the address verified; a guest gets 403', async () => {
      const shop = await registerShop(app);
      expect(shop.user.is_verified).toBe(false);
      await http().post('/api/auth/verify-email/request').set(bearer(shop.access_token)).expect(202);
      const token = linkToken(await mailTo(shop.email, /confirm your email address/));
      const verified = await http().post('/api/auth/verify-email').send({ token }).expect(200);
      expect(verified.body).toMatchObject({ email: shop.email, is_verified: true });
      await http().post('/api/auth/verify-email').send({ token }).expect(400);

      const guest = await createGuest(app);
      await http().post('/api/auth/verify-email/request').set(bearer(guest.access_token)).expect(403);
    });
  });

  describe('password change', () => {
    it('counts a wrong current password like a failed login, and keeps the caller while ending the others', async () => {
      const shop = await registerShop(app);
      const other = (await login(shop, shop.password).expect(200)).body as TokenResponse;
      const change = (current: string) =>
        http().put('/api/auth/password').set(bearer(shop.access_token)).send({ current_password: current, new_password: NEW_PASSWORD });
      await change('wrong one').expect(401);
      await change('wrong two').expect(401);
      await change(shop.password).expect(204);
      await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(200);
      await http().post('/api/auth/refresh').send({ refresh_token: shop.refresh_token }).expect(200);
      await http().get('/api/auth/me').set(bearer(other.access_token)).expect(401);
      await login(shop, NEW_PASSWORD).expect(200);
      // The change cleared the failures before it; three more from one address (RATE_LIMIT_LOGIN_ACCOUNT_IP 3/15m)
      // and the next attempt is refused.
      for (const wrong of ['wrong three', 'wrong four', 'wrong five']) await change(wrong).expect(401);
      await change(NEW_PASSWORD).expect(429);
    });
  });

  describe('sessions', () => {
    it('lists the live sessions with the current one marked, and revokes one or all the others at once', async () => {
      const shop = await registerShop(app);
      const laptop = (await login(shop, shop.password, 'laptop browser').expect(200)).body as TokenResponse;
      const phone = (await login(shop, shop.password, 'phone app').expect(200)).body as TokenResponse;
      const listed = await http().get('/api/auth/sessions').set(bearer(laptop.access_token)).expect(200);
      expect(listed.body).toHaveLength(3);
      const byAgent = Object.fromEntries(listed.body.map((session: { user_agent: string }) => [session.user_agent, session]));
      expect(byAgent['laptop browser']).toMatchObject({ current: true, ip: expect.any(String), id: expect.any(String) });
      expect(byAgent['phone app'].current).toBe(false);
      expect(Object.keys(byAgent['phone app']).sort()).toEqual([
        'created_at',
        'current',
        'expires_at',
        'id',
        'ip',
        'last_used_at',
        'user_agent',
      ]);

      await http().delete(`/api/auth/sessions/${byAgent['phone app'].id}`).set(bearer(laptop.access_token)).expect(204);
      await http().get('/api/auth/me').set(bearer(phone.access_token)).expect(401);
      await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(200);

      await http().delete('/api/auth/sessions').set(bearer(laptop.access_token)).expect(204);
      await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
      await http().get('/api/auth/me').set(bearer(laptop.access_token)).expect(200);
      expect((await http().get('/api/auth/sessions').set(bearer(laptop.access_token)).expect(200)).body).toHaveLength(1);

      const stranger = await registerShop(app);
      await http().delete(`/api/auth/sessions/${byAgent['laptop browser'].id}`).set(bearer(stranger.access_token)).expect(404);
      await http().get('/api/auth/me').set(bearer(laptop.access_token)).expect(200);
    });
  });

  describe('email change', () => {
    it('mails a confirmation to the new address and a notice to the old; the address changes when the link is used', async () => {
      const shop = await registerShop(app);
      const newEmail = `moved-${process.pid}-${shop.user_id}@example.com`;
      await http().put('/api/auth/email').set(bearer(shop.access_token)).send({ new_email: newEmail, password: shop.password }).expect(202);
      const confirmation = await mailTo(newEmail, /confirm your new email address/);
      const notice = await mailTo(shop.email, /your email address is changing/);
      expect(notice.text).toContain(newEmail);
      expect(notice.text).not.toMatch(/token=/);
      await http()
        .get('/api/auth/me')
        .set(bearer(shop.access_token))
        .expect(200)
        .expect((response) => expect(response.body.email).toBe(shop.email));
      const confirmed = await http()
        .post('/api/auth/email/confirm')
        .send({ token: linkToken(confirmation) })
        .expect(200);
      expect(confirmed.body).toMatchObject({ email: newEmail, is_verified: true });
      await login({ email: newEmail }, shop.password).expect(200);
    });

    it('answers 409 when the new address was taken meanwhile, and 401 for a wrong password', async () => {
      const shop = await registerShop(app);
      const wanted = `wanted-${process.pid}-${shop.user_id}@example.com`;
      await http()
        .put('/api/auth/email')
        .set(bearer(shop.access_token))
        .send({ new_email: wanted, password: 'not the password' })
        .expect(401);
      await http().put('/api/auth/email').set(bearer(shop.access_token)).send({ new_email: wanted, password: shop.password }).expect(202);
      const token = linkToken(await mailTo(wanted, /confirm your new email address/));
      await registerShop(app, wanted);
      await http().post('/api/auth/email/confirm').send({ token }).expect(409);
    });
  });

  it('voids every link mailed before a password reset: an intruder cannot finish an email change after it', async () => {
    const shop = await registerShop(app);
    const intruderAddress = `intruder-${process.pid}-${shop.user_id}@example.com`;
    await http()
      .put('/api/auth/email')
      .set(bearer(shop.access_token))
      .send({ new_email: intruderAddress, password: shop.password })
      .expect(202);
    const intrudersLink = linkToken(await mailTo(intruderAddress, /confirm your new email address/));
    await http().post('/api/auth/password/forgot').send({ email: shop.email }).expect(202);
    await http()
      .post('/api/auth/password/reset')
      .send({ token: linkToken(await mailTo(shop.email, /reset your password/)), password: NEW_PASSWORD })
      .expect(204);
    await http().post('/api/auth/email/confirm').send({ token: intrudersLink }).expect(400);
    await login(shop, NEW_PASSWORD).expect(200);
  });

  describe('account deletion', () => {
    it('deletes the account and everything it owns in one transaction, and nothing of another shop', async () => {
      const shop = await registerShop(app);
      const neighbour = await registerShop(app);
      for (const owner of [shop, neighbour]) {
        await http().post('/api/quotes').set(bearer(owner.access_token)).send({ job_type: 'swing_gate' }).expect(201);
        await http().post('/api/quote-sessions').set(bearer(owner.access_token)).send({}).expect(201);
        await http().post('/api/auth/verify-email/request').set(bearer(owner.access_token)).expect(202);
        await insertPrice(db, { shopId: owner.user_id, materialType: 'sq_tube_2x11ga', supplier: 'Osorio', pricePerFoot: 3 });
        await insertIgnoreMapping(db, 'Scrap', owner.user_id);
      }
      const owned = (userId: number) =>
        db.query<Record<string, number>>(
          `SELECT ${['quotes', 'quote_sessions', 'auth_tokens', 'link_tokens', 'mail_outbox', 'known_login_ips'].map((table) => `(SELECT count(*)::int FROM ${table} WHERE user_id = $1) AS ${table}`).join(', ')},
                  ${['material_prices', 'suppliers', 'price_mappings'].map((table) => `(SELECT count(*)::int FROM ${table} WHERE shop_id = $1) AS ${table}`).join(', ')},
                  (SELECT count(*)::int FROM users WHERE id = $1) AS users`,
          [userId],
        );
      const neighbourBefore = await owned(neighbour.user_id);

      const wrong = await http()
        .delete('/api/auth/account')
        .set(bearer(shop.access_token))
        .send({ password: 'not the password' })
        .expect(401);
      expect(wrong.body.message).toBe('The password is wrong');
      const none = await http().delete('/api/auth/account').set(bearer(shop.access_token)).send({}).expect(400);
      expect(none.body.message).toEqual(['password is required: it confirms the deletion of a full account']);
      await http().delete('/api/auth/account').set(bearer(shop.access_token)).send({ password: shop.password }).expect(204);
      expect(Object.values((await owned(shop.user_id))[0]).every((count) => count === 0)).toBe(true);
      expect(await owned(neighbour.user_id)).toEqual(neighbourBefore);
      await http().get('/api/auth/me').set(bearer(shop.access_token)).expect(401);
      await login(shop, shop.password).expect(401);
    });
  });

  describe('SMTP outages', () => {
    it('commits the change while SMTP is down, keeps the mail in the outbox, and delivers it when SMTP is back', async () => {
      const shop = await registerShop(app);
      await smtp.stop();
      try {
        await http().post('/api/auth/password/forgot').send({ email: shop.email }).expect(202);
        await pollUntil(
          async () =>
            (
              await db.query<{ attempts: number }>(`SELECT attempts FROM mail_outbox WHERE user_id = $1 AND sent_at IS NULL`, [
                shop.user_id,
              ])
            )[0]?.attempts >= 2,
        );
        expect(smtp.received.some((mail) => mail.to === shop.email)).toBe(false);
      } finally {
        await smtp.start();
      }
      const token = linkToken(await mailTo(shop.email, /reset your password/));
      await http().post('/api/auth/password/reset').send({ token, password: NEW_PASSWORD }).expect(204);
      expect(await db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE user_id = $1 AND sent_at IS NULL`, [shop.user_id])).toEqual([
        { n: 0 },
      ]);
    });

    it('loses no mail when the server dies between the commit and the send', async () => {
      const shop = await registerShop(app, `crash-${process.pid}@example.com`, DEFAULT_PASSWORD);
      await smtp.stop();
      const env = {
        JWT_SECRET: TEST_JWT_SECRET,
        DATABASE_URL: db.url,
        SMTP_URL: smtp.url,
        MAIL_POLL_MS: '50',
        MAIL_RETRY_BASE_MS: '50',
        APP_BASE_URL: 'https://app.example',
      };
      const doomed = await startServer(env);
      try {
        const answer = await fetch(`${doomed.url}/api/auth/verify-email/request`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${shop.access_token}` },
        });
        expect(answer.status).toBe(202);
      } finally {
        doomed.child.kill('SIGKILL');
        await doomed.exit;
      }
      // Nothing was lost: the message waits in the outbox, unsent.
      expect(await db.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE user_id = $1 AND sent_at IS NULL`, [shop.user_id])).toEqual([
        { n: 1 },
      ]);
      // A dead sender's lease runs out after a minute; the test moves that minute on instead of waiting for it.
      await db.query(
        `UPDATE mail_outbox SET leased_until = now() - interval '1 second', next_attempt_at = now() WHERE user_id = $1 AND sent_at IS NULL`,
        [shop.user_id],
      );
      await smtp.start();
      // Whichever sender lives now delivers it (this test's app polls the same outbox).
      const token = linkToken(await mailTo(shop.email, /confirm your email address/));
      await http().post('/api/auth/verify-email').send({ token }).expect(200);
    });
  });

  it('puts every account route in the OpenAPI document with a summary', async () => {
    const { paths } = (await http().get('/api/docs/json').expect(200)).body;
    for (const [path, method] of [
      ['/api/auth/verify-email/request', 'post'],
      ['/api/auth/verify-email', 'post'],
      ['/api/auth/password/forgot', 'post'],
      ['/api/auth/password/reset', 'post'],
      ['/api/auth/password', 'put'],
      ['/api/auth/sessions', 'get'],
      ['/api/auth/sessions', 'delete'],
      ['/api/auth/sessions/{id}', 'delete'],
      ['/api/auth/email', 'put'],
      ['/api/auth/email/confirm', 'post'],
      ['/api/auth/account', 'delete'],
    ]) {
      expect(paths[path][method].summary).toEqual(expect.any(String));
    }
  });
});

describe('mail without SMTP (the embedded default)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let outbox: string;

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'cs-outbox-'));
    ({ db, app } = await openTestApp({ MAIL_OUTBOX_DIR: outbox, MAIL_POLL_MS: '50', APP_BASE_URL: 'https://app.example' }));
  });

  afterAll(async () => {
    await closeTestApp(db, app);
    rmSync(outbox, { recursive: true, force: true });
  });

  it('writes each message as an .eml file a developer can open', async () => {
    const shop = await registerShop(app);
    await request(app.getHttpServer()).post('/api/auth/verify-email/request').set(bearer(shop.access_token)).expect(202);
    const emlFiles = () => readdirSync(outbox).filter((name) => name.endsWith('.eml'));
    await pollUntil(async () => emlFiles().length > 0);
    const files = emlFiles();
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(outbox, files[0]), 'utf8');
    expect(eml).toContain(`To: ${shop.email}`);
    expect(eml).toMatch(/Subject: CreateStage Quote: confirm your email address/);
    // The link whole on a line of its own, as a developer copies it (no quoted-printable `=3D` or soft breaks).
    expect(eml).toMatch(/^https:\/\/app\.example\/verify-email\?token=[\w-]{43}\r?$/m);
  });
});
