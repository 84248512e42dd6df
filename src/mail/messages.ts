import type { OutgoingMail } from './mail-outbox.repository';

const PRODUCT = 'CreateStage Quote';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Mail clients honour only inline styles. */
const BUTTON_STYLE =
  'display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:bold';

/** The link stands on a line of its own in the text part (copied or clicked whole), as a button in the HTML part. */
function message(userId: number, to: string, subject: string, paragraphs: string[], link?: { url: string; label: string }): OutgoingMail {
  const text = [...paragraphs, ...(link ? [`${link.label}:\n${link.url}`] : []), `-- ${PRODUCT}`].join('\n\n');
  const html = [
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}" style="${BUTTON_STYLE}">${escapeHtml(link.label)}</a></p>`] : []),
    `<p>-- ${PRODUCT}</p>`,
  ].join('\n');
  return { userId, to, subject: `${PRODUCT}: ${subject}`, text, html };
}

export function verificationMail(userId: number, to: string, url: string, hours: number): OutgoingMail {
  return message(
    userId,
    to,
    'confirm your email address',
    [`Please confirm that ${to} is your address. The link works once, for ${hours} hours.`],
    {
      url,
      label: 'Confirm my address',
    },
  );
}

export function passwordResetMail(userId: number, to: string, url: string, minutes: number): OutgoingMail {
  return message(
    userId,
    to,
    'reset your password',
    [
      `Someone asked to reset the password of your account. The link works once, for ${minutes} minutes; if it was not you, ignore this mail.`,
    ],
    { url, label: 'Choose a new password' },
  );
}

export function emailChangeMail(userId: number, to: string, url: string, hours: number): OutgoingMail {
  return message(
    userId,
    to,
    'confirm your new email address',
    [`Your account will use ${to} once you confirm it. The link works once, for ${hours} hours.`],
    {
      url,
      label: 'Confirm the new address',
    },
  );
}

export function emailChangeNotice(userId: number, to: string, newEmail: string): OutgoingMail {
  return message(userId, to, 'your email address is changing', [
    `Someone asked to change the email address of your account to ${newEmail}. It changes only when that address confirms it.`,
    'If it was not you, change your password now.',
  ]);
}
