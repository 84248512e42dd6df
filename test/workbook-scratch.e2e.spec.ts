import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ExcelJS from 'exceljs';
import request from 'supertest';

import { bearer, registerShop } from './support/auth';
import { pollUntil } from './support/poll';
import { type Server, startServer, stopServer } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Every file under `folder`, at any depth (folders themselves are not listed). */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

// exceljs's own pass over an archive parks a sheet written before its shared strings (as Excel and exceljs write them)
// in a temporary file, which a reading stopped early used to leave behind until the process exited; the reading now
// takes each part from the archive itself and writes nothing there.
describe("a workbook's reading stopped early", () => {
  let db: TestDatabase;
  let server: Server;
  let temporary: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporary = mkdtempSync(join(tmpdir(), 'cs-workbook-tmp-'));
    server = await startServer(db.env({ TMPDIR: temporary, IMPORT_MAX_RECORDS: '5', PRICE_READ_THREADS: '1' }));
  });

  afterAll(async () => {
    await stopServer(server);
    await db?.drop();
    rmSync(temporary, { recursive: true, force: true });
  });

  it('leaves no file of it in the temporary folder', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Steel');
    sheet.addRow(['Item', 'Price/ft', 'Supplier Name']);
    for (let row = 0; row < 200; row++) sheet.addRow([`sq_tube_2x11ga`, 3 + row, `Supplier ${row}`]);
    const shop = await registerShop(server.url);
    const answer = await request(server.url)
      .post('/api/material-prices/imports')
      .set(bearer(shop.access_token))
      .attach('file', Buffer.from(await workbook.xlsx.writeBuffer()), { filename: 'prices.xlsx', contentType: 'application/octet-stream' });
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toMatch(/more than 5 records/);
    await pollUntil(() => filesUnder(temporary).length === 0, 1500);
  });
});
