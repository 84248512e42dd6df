import { DEFAULT_PASSWORD, uniqueEmail } from './support/auth';
import { HandWrittenRequest } from './support/hand-written-request';
import { pollUntil } from './support/poll';
import { type Server, startServer, stopServer } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const BOUNDARY = 'early-refusal-boundary';
const MAX_FILES = 2;
const CSV_HEADER = 'material_type,price_per_foot,price_per_lb,price_per_sqft,supplier,date,notes\n';
const CSV_ROW = 'stock_1x1_16ga,3.50,,,Osorio,2025-01-02,\n';
/** What the uploads below declare, and never finish sending. */
const PROMISED_BYTES = 4_000_000;
// Nothing else ends a connection within the polls: no body deadline, no minimum body rate, no idle timeout.
const PATIENT_SERVER = { UPLOAD_TIMEOUT_MS: '3600000', BODY_RATE_WINDOW_MS: '600000', KEEP_ALIVE_TIMEOUT_MS: '600000' };

function previewHead(token: string, contentLength: number): string {
  return (
    `POST /api/material-prices/imports?dry_run=true HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${contentLength}\r\n\r\n`
  );
}

function filePart(name: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`;
}

describe('a refusal answered before its body has arrived', () => {
  let db: TestDatabase;
  let server: Server;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServer(db.env({ ...PATIENT_SERVER, RATE_LIMIT_PRICE_IMPORTS_SHOP: '1/1h', IMPORT_MAX_FILES: String(MAX_FILES) }));
  });

  afterAll(async () => {
    await stopServer(server);
    await db?.drop();
  });

  async function tokenOf(path: string, body?: object): Promise<string> {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  /** A shop that has made the one import of its hour. */
  async function limitedShop(): Promise<string> {
    const token = await tokenOf('/api/auth/register', { email: uniqueEmail(), password: DEFAULT_PASSWORD });
    const form = new FormData();
    form.append('file', new Blob([CSV_HEADER + CSV_ROW]), 'prices.csv');
    const preview = await fetch(`${server.url}/api/material-prices/imports?dry_run=true`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(preview.status).toBe(201);
    return token;
  }

  /** Answered 429 on a connection kept alive, which carries the shop's next request once the body's rest is sent. */
  async function expectAnsweredAndKept(upload: HandWrittenRequest, token: string, restOfBody = ''): Promise<void> {
    await pollUntil(() => upload.statuses.length === 1);
    expect(upload.status).toBe(429);
    expect(upload.header('connection')).toBe('keep-alive');
    upload.sendAfterAnswer(`${restOfBody}GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    await pollUntil(() => upload.statuses.length === 2);
    expect(upload.statuses).toEqual([429, 200]);
    expect(upload.closed).toBe(false);
  }

  // The tests run in this order, every request from one address: the first refusal, then those within a minute of it.
  it("reads the rest of the body of an address's first refusal, so that the client gets its answer and keeps the connection", async () => {
    const token = await limitedShop();
    const [start, rest] = [`${filePart('prices.csv')}${CSV_HEADER}`, `${CSV_ROW}\r\n--${BOUNDARY}--\r\n`];
    const upload = new HandWrittenRequest(server.url, previewHead(token, Buffer.byteLength(start + rest)) + start);
    try {
      await expectAnsweredAndKept(upload, token, rest);
    } finally {
      upload.end();
    }
  });

  it('answers 429 to the next upload over the hourly limit and closes the connection without waiting for the rest of the body', async () => {
    const token = await limitedShop();
    const upload = new HandWrittenRequest(server.url, previewHead(token, PROMISED_BYTES) + filePart('prices.csv') + CSV_HEADER);
    try {
      await pollUntil(() => upload.closed);
      expect(upload.status).toBe(429);
      expect(upload.header('connection')).toBe('close');
      expect(Number(upload.header('retry-after'))).toBeGreaterThan(0);
      expect(upload.body).toEqual({
        statusCode: 429,
        message: 'This shop has made 1 imports in the last hour, the most allowed; try again later',
        error: 'Too Many Requests',
      });
    } finally {
      upload.end();
    }
  });

  it('answers 413 to one file more than IMPORT_MAX_FILES within the minute and closes the connection without waiting for the rest of the body', async () => {
    const guest = await tokenOf('/api/auth/guest');
    const parts = Array.from({ length: MAX_FILES + 1 }, (_, index) => `${filePart(`part-${index}.csv`)}${CSV_HEADER}${CSV_ROW}\r\n`);
    const upload = new HandWrittenRequest(server.url, previewHead(guest, PROMISED_BYTES) + parts.join(''));
    try {
      await pollUntil(() => upload.closed);
      expect(upload.status).toBe(413);
      expect(upload.header('connection')).toBe('close');
      expect(upload.body).toEqual({
        statusCode: 413,
        message: `An import takes at most ${MAX_FILES} files; send the rest in another import`,
        error: 'Payload Too Large',
      });
    } finally {
      upload.end();
    }
  });

  it('keeps the connection of a refusal whose whole body had arrived, for the next request', async () => {
    const token = await limitedShop();
    const body = `${filePart('prices.csv')}${CSV_HEADER}${CSV_ROW}\r\n--${BOUNDARY}--\r\n`;
    const upload = new HandWrittenRequest(server.url, previewHead(token, Buffer.byteLength(body)) + body);
    try {
      await expectAnsweredAndKept(upload, token);
    } finally {
      upload.end();
    }
  });
});
