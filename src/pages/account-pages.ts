import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.service';
import { ACCOUNT_PAGE_SCRIPT, ACCOUNT_PAGE_STYLE } from './account-page.assets';

interface AccountPage {
  path: string;
  title: string;
  intro: string;
  fields: string;
  button: string;
}

const PASSWORD_RULES = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; spaces and any letters count. A few words you can remember make a good one.`;

const passwordField = (id: string, label: string, describedBy: string) => `
      <label for="${id}">${label}</label>
      <input id="${id}" name="${id}" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" aria-describedby="${describedBy}">`;

const PAGES: AccountPage[] = [
  {
    path: 'reset-password',
    title: 'Choose a new password',
    intro: 'Every device signed in to the account is signed out once the new password is set.',
    fields: `
      <p id="password-rules">${PASSWORD_RULES}</p>${passwordField('password', 'New password', 'password-rules')}${passwordField('password-again', 'New password again', 'password-rules')}`,
    button: 'Set the new password',
  },
  {
    path: 'verify-email',
    title: 'Confirm your email address',
    intro: 'Confirm that this address is yours, so that password resets and notices reach you.',
    fields: '',
    button: 'Confirm my address',
  },
  {
    path: 'confirm-email',
    title: 'Confirm your new email address',
    intro: 'Your account will use the new address from now on, to sign in and for every mail.',
    fields: '',
    button: 'Confirm the new address',
  },
];

const PAGE_CSP = [
  `default-src 'none'`,
  `script-src 'self'`,
  `style-src 'self'`,
  `connect-src 'self'`,
  `img-src 'self'`,
  `form-action 'self'`,
  `base-uri 'none'`,
  `frame-ancestors 'none'`,
].join('; ');

function html(page: AccountPage): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${page.title} - CreateStage Quote</title>
  <link rel="stylesheet" href="/pages/account.css">
  <script src="/pages/account.js" defer></script>
</head>
<body>
  <main data-page="${page.path}">
    <p class="product">CreateStage Quote</p>
    <h1>${page.title}</h1>
    <p>${page.intro}</p>
    <form id="link-form" novalidate>${page.fields}
      <button type="submit">${page.button}</button>
    </form>
    <div id="outcome" role="status" aria-live="polite" tabindex="-1"></div>
  </main>
</body>
</html>
`;
}

function send(reply: FastifyReply, type: string, body: string): FastifyReply {
  // Their URLs carry a link's token: kept out of caches, and the CSP allows only this server's own files.
  return reply.header('Content-Type', type).header('Cache-Control', 'no-store').header('Content-Security-Policy', PAGE_CSP).send(body);
}

/** Plain HTML, no inline script or style; outside /api, at the paths the mails link to when APP_BASE_URL is this server. */
export function serveAccountPages(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  for (const page of PAGES) {
    const body = html(page);
    fastify.get(`/${page.path}`, (_request, reply) => send(reply, 'text/html; charset=utf-8', body));
  }
  fastify.get('/pages/account.js', (_request, reply) => send(reply, 'text/javascript; charset=utf-8', ACCOUNT_PAGE_SCRIPT));
  fastify.get('/pages/account.css', (_request, reply) => send(reply, 'text/css; charset=utf-8', ACCOUNT_PAGE_STYLE));
}
