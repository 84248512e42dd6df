import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HandWrittenRequest } from './support/hand-written-request';
import { pollUntil } from './support/poll';
import { type Server, startServer, stopServer } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const BOUNDARY = 'slow-client-boundary';
/** What a client that keeps sending sends each time: far above any minimum rate these tests set. */
const CSV_ROWS = 'stock_1x1_16ga,3.50,,,Osorio,2025-01-02,\n'.repeat(50);
// Bounds of the polls, never waits: a cut comes within a few seconds of its timeout.
const CUT_POLL = { attempts: 1500, intervalMs: 20 };
const FEED_POLL = { attempts: 1000, intervalMs: 50 };

function loginHead(contentLength: number): string {
  return `POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;
}

/** A preview of one CSV file whose body promises more than will ever come (so it never reaches its closing boundary). */
function uploadHead(token: string): string {
  return (
    `POST /api/material-prices/imports?dry_run=true HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 4000000\r\n\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="prices.csv"\r\nContent-Type: text/csv\r\n\r\n` +
    'material_type,price_per_foot,price_per_lb,price_per_sqft,supplier,date,notes\n'
  );
}

function uploadFolders(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('price-import-'));
}

/** An upload folder holding a file the server has started writing. */
function folderWithFileIn(tmp: string): string | undefined {
  return uploadFolders(tmp).find((name) => {
    try {
      return readdirSync(join(tmp, name)).some((file) => statSync(join(tmp, name, file)).size > 0);
    } catch {
      return false;
    }
  });
}

async function guestToken(server: Server): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/guest`, { method: 'POST' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Keeps an upload coming, well above the minimum rate, until the server holds a file of it on disk. */
async function feedUntilOnDisk(upload: HandWrittenRequest, tmp: string): Promise<string> {
  await pollUntil(
    () => {
      upload.send(CSV_ROWS);
      return folderWithFileIn(tmp) !== undefined;
    },
    FEED_POLL.attempts,
    FEED_POLL.intervalMs,
  );
  return folderWithFileIn(tmp)!;
}

describe('slow and stalled clients', () => {
  let db: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = mkdtempSync(join(tmpdir(), 'cs-slow-clients-'));
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  function tmpFor(name: string): string {
    const tmp = join(folder, name);
    mkdirSync(tmp);
    return tmp;
  }

  describe('past a timeout', () => {
    let server: Server;
    let tmp: string;

    beforeAll(async () => {
      tmp = tmpFor('timeouts');
      server = await startServer(
        db.env({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '1000', UPLOAD_TIMEOUT_MS: '2000', TMPDIR: tmp }),
      );
    });

    afterAll(() => stopServer(server));

    it('answers a login whose body stops after one byte with 408 naming REQUEST_TIMEOUT_MS, and closes the connection', async () => {
      const login = new HandWrittenRequest(server.url, loginHead(16_000));
      login.send('{');
      await pollUntil(() => login.closed, CUT_POLL.attempts, CUT_POLL.intervalMs);
      expect(login.status).toBe(408);
      expect(login.message).toMatch(/within 1 s \(REQUEST_TIMEOUT_MS\)/);
    });

    it('closes a connection whose headers never end, and one that sends nothing', async () => {
      const requests = [
        new HandWrittenRequest(server.url, 'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\n'),
        new HandWrittenRequest(server.url, ''),
      ];
      try {
        await pollUntil(() => requests.every((request) => request.closed), CUT_POLL.attempts, CUT_POLL.intervalMs);
        for (const request of requests) expect([408, undefined]).toContain(request.status);
      } finally {
        requests.forEach((request) => request.end());
      }
    });

    it('cuts an upload still coming at UPLOAD_TIMEOUT_MS, and leaves no upload folder', async () => {
      const upload = new HandWrittenRequest(server.url, uploadHead(await guestToken(server)));
      await pollUntil(
        () => {
          upload.send(CSV_ROWS);
          return upload.closed;
        },
        FEED_POLL.attempts,
        FEED_POLL.intervalMs,
      );
      expect(upload.status).toBe(408);
      expect(upload.message).toMatch(/within 2 s \(UPLOAD_TIMEOUT_MS\)/);
      await pollUntil(() => uploadFolders(tmp).length === 0);
    });
  });

  describe('below the minimum body rate', () => {
    let server: Server;
    let tmp: string;

    beforeAll(async () => {
      tmp = tmpFor('rate');
      server = await startServer(db.env({ BODY_MIN_BYTES_PER_SECOND: '1000', BODY_RATE_WINDOW_MS: '1000', TMPDIR: tmp }));
    });

    afterAll(() => stopServer(server));

    it('cuts an upload that stops before its closing boundary, and removes the file it was writing at once', async () => {
      const upload = new HandWrittenRequest(server.url, uploadHead(await guestToken(server)));
      const uploadFolder = await feedUntilOnDisk(upload, tmp);
      // From here on nothing more comes, the closing boundary least of all.
      await pollUntil(() => upload.closed, CUT_POLL.attempts, CUT_POLL.intervalMs);
      expect(upload.status).toBe(408);
      expect(upload.message).toMatch(/slower than 1000 bytes per second over 1 s \(BODY_MIN_BYTES_PER_SECOND\)/);
      await pollUntil(() => !existsSync(join(tmp, uploadFolder)));
    });

    it('cuts an upload that trickles a byte at a time, and leaves no upload folder', async () => {
      const upload = new HandWrittenRequest(server.url, uploadHead(await guestToken(server)));
      await pollUntil(
        () => {
          upload.send('x');
          return upload.closed;
        },
        300,
        100,
      );
      expect(upload.status).toBe(408);
      expect(upload.message).toMatch(/\(BODY_MIN_BYTES_PER_SECOND\)/);
      await pollUntil(() => uploadFolders(tmp).length === 0);
    });
  });

  it('leaves the folder of an upload cut by SIGKILL for the next start to remove, and keeps those of living processes', async () => {
    const tmp = tmpFor('killed');
    const killed = await startServer(db.env({ TMPDIR: tmp }));
    let next: Server | undefined;
    try {
      const upload = new HandWrittenRequest(killed.url, uploadHead(await guestToken(killed)));
      const left = await feedUntilOnDisk(upload, tmp);
      killed.child.kill('SIGKILL');
      await killed.exit;
      upload.end();
      expect(uploadFolders(tmp)).toEqual([left]);
      // The same name as a folder of this test's own process, which is alive.
      const living = left.replace(`-${killed.child.pid}-`, `-${process.pid}-`);
      expect(living).not.toBe(left);
      mkdirSync(join(tmp, living));

      next = await startServer(db.env({ TMPDIR: tmp }));
      await pollUntil(() => !existsSync(join(tmp, left)));
      expect(uploadFolders(tmp)).toEqual([living]);
    } finally {
      killed.child.kill('SIGKILL');
      await stopServer(next);
    }
  });

  it('removes the folder of an upload still coming when the shutdown deadline ends the process', async () => {
    const tmp = tmpFor('deadline');
    const server = await startServer(db.env({ TMPDIR: tmp }));
    const upload = new HandWrittenRequest(server.url, uploadHead(await guestToken(server)));
    await feedUntilOnDisk(upload, tmp);
    server.child.kill('SIGTERM');
    let exited = false;
    void server.exit.then(() => (exited = true));
    // The upload keeps coming (no timeout of this server ends it first) until the deadline ends the process.
    await pollUntil(
      () => {
        upload.send(CSV_ROWS);
        return exited;
      },
      FEED_POLL.attempts,
      FEED_POLL.intervalMs,
    );
    upload.end();
    expect((await server.exit).code).toBe(1);
    expect(uploadFolders(tmp)).toEqual([]);
  });
});
