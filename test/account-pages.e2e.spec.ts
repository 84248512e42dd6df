import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { type BrowserContext, chromium, type Page } from 'playwright-core';

import { bearer, httpOf, registerShop } from './support/auth';
import { type Server, startServer, stopServer } from './support/processes';
import { type ReceivedMail, startTestSmtp, type TestSmtpServer } from './support/smtp';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

/** A host name that is not localhost, which the browser resolves to this machine. */
const HOST = 'quote.shop.example';
const NEW_PASSWORD = 'a brand new long password';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
];
/** `UPDATE_SCREENSHOTS=1` writes the pages' screenshots to docs/ (shown in the README); else to a scratch folder. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? resolve('docs') : mkdtempSync(join(tmpdir(), 'cs-screenshots-'));

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
    probe.on('error', reject);
  });
}

/** The link of a mail, from its text part, as a person clicks it. */
function linkIn(mail: ReceivedMail): string {
  const match = /^(https?:\/\/\S+\?token=[\w-]+)$/m.exec(mail.text);
  if (!match) throw new Error(`No link on a line of its own in "${mail.subject}": ${mail.text}`);
  return match[1];
}

describe('the mailed links and the API docs in a real browser', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let server: Server;
  let browser: BrowserContext;
  let profile: string;
  let base: string;
  const cspViolations: string[] = [];
  const mailTo = (to: string, subject: RegExp) => smtp.waitFor((mail) => mail.to === to && subject.test(mail.subject));

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    const port = await freePort();
    base = `http://${HOST}:${port}`;
    server = await startServer(
      db.env({ JWT_SECRET: TEST_JWT_SECRET, SMTP_URL: smtp.url, APP_BASE_URL: base, PORT: String(port), MAIL_POLL_MS: '50' }),
    );
    profile = mkdtempSync(join(tmpdir(), 'cs-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
    await smtp?.stop();
    await db?.drop();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (!process.env.UPDATE_SCREENSHOTS) rmSync(SCREENSHOTS, { recursive: true, force: true });
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(url);
    return page;
  }

  const outcome = (page: Page) => page.locator('#outcome');

  it('sets a new password from the link of a reset mail, once', async () => {
    const shop = await registerShop(server.url);
    await httpOf(server.url).post('/api/auth/password/forgot').send({ email: shop.email }).expect(202);
    const link = linkIn(await mailTo(shop.email, /reset your password/));
    expect(link.startsWith(`${base}/reset-password?token=`)).toBe(true);

    const page = await open(link);
    expect(new URL(page.url()).search).toBe('');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill('a different long password');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await outcome(page).getByText('The two passwords differ').waitFor();
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.screenshot({ path: join(SCREENSHOTS, 'reset-password-page.png') });
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await outcome(page).getByText('Your password is set').waitFor();
    await httpOf(server.url).post('/api/auth/login').send({ email: shop.email, password: NEW_PASSWORD }).expect(200);

    const again = await open(link);
    await again.getByLabel('New password', { exact: true }).fill('yet another long password');
    await again.getByLabel('New password again').fill('yet another long password');
    await again.getByRole('button', { name: 'Set the new password' }).click();
    await outcome(again).getByText('This link does not work any more').waitFor();

    const incomplete = await open(`${base}/reset-password`);
    await outcome(incomplete).getByText('This link is incomplete').waitFor();
  });

  it('verifies the address from the link of a verification mail', async () => {
    const shop = await registerShop(server.url);
    await httpOf(server.url).post('/api/auth/verify-email/request').set(bearer(shop.access_token)).expect(202);
    const page = await open(linkIn(await mailTo(shop.email, /confirm your email address/)));
    await page.screenshot({ path: join(SCREENSHOTS, 'verify-email-page.png') });
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await outcome(page).getByText('Your address is confirmed').waitFor();
    const me = await httpOf(server.url).get('/api/auth/me').set(bearer(shop.access_token)).expect(200);
    expect(me.body).toMatchObject({ email: shop.email, is_verified: true });
  });

  it('changes the address from the link mailed to the new one', async () => {
    const shop = await registerShop(server.url);
    const newEmail = `moved-${shop.email}`;
    await httpOf(server.url)
      .put('/api/auth/email')
      .set(bearer(shop.access_token))
      .send({ new_email: newEmail, password: shop.password })
      .expect(202);
    const page = await open(linkIn(await mailTo(newEmail, /confirm your new email address/)));
    await page.getByRole('button', { name: 'Confirm the new address' }).click();
    await outcome(page).getByText(`Your account now uses ${newEmail}.`).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'confirm-email-page.png') });
    const me = await httpOf(server.url).get('/api/auth/me').set(bearer(shop.access_token)).expect(200);
    expect(me.body).toMatchObject({ email: newEmail, is_verified: true });
  });

  it('lists the operations of the API docs over plain http at a host name that is not localhost', async () => {
    const page = await open(`${base}/api/docs`);
    await page.locator('.opblock-summary-path', { hasText: '/api/auth/password/reset' }).first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
  });

  it('ran every page without a Content Security Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
