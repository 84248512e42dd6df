import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, registerShop, type TokenResponse } from './support/auth';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const MIB = 1024 * 1024;
const HEADER = 'material_type,price_per_foot,supplier,date,notes';

/** The bounds of a load's report: whatever was uploaded, what it answers and keeps stays small, its counts exact. */
describe('price import reports', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  const http = () => request(app.getHttpServer());

  const preview = (user: TokenResponse, files: { name: string; content: string }[]) => {
    let call = http().post('/api/material-prices/imports?dry_run=true').set(bearer(user.access_token));
    for (const file of files) call = call.attach('file', Buffer.from(file.content), { filename: file.name, contentType: 'text/csv' });
    return call;
  };

  const kept = (user: TokenResponse, id: number) =>
    http().get(`/api/material-prices/imports/${id}`).set(bearer(user.access_token)).expect(200);

  const storedReportBytes = async (id: number) =>
    (await db.query<{ bytes: number }>('SELECT octet_length(report::text) AS bytes FROM price_imports WHERE id = $1', [id]))[0].bytes;

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ IMPORT_MAX_FILE_BYTES: String(2 * MIB), IMPORT_MAX_FILES: '10' }));
  });

  afterAll(async () => {
    await closeTestApp(db, app);
  });

  it("answers and keeps a guest's preview of files full of control characters in under 1 MiB, quoting each cell cut and counting exactly", async () => {
    const guest = await createGuest(app);
    const priceCell = '\u0001'.repeat(1_000_000);
    const dateCell = '\u0002'.repeat(200_000);
    const csv = [
      HEADER,
      `sq_tube_2x11ga,${priceCell},Osorio,2025-01-01,`,
      `bad key!,3.45,Osorio,${dateCell},`,
      'sq_tube_2x11ga,3.45,Osorio,2025-01-01,',
    ];
    const files = ['a', 'b', 'c', 'd'].map((name) => ({ name: `${name}.csv`, content: csv.join('\n') }));

    const answer = await preview(guest, files).expect(201);

    expect(Buffer.byteLength(answer.text)).toBeLessThan(MIB);
    expect(answer.body.counts.rejected).toBe(8);
    expect(answer.body.files.map((file: { accepted: number; rejected: number }) => [file.accepted, file.rejected])).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(answer.body.rejects).toHaveLength(8);
    expect(answer.body.rejects[0]).toMatchObject({
      file: 'a.csv',
      record: 1,
      reason: `price_per_foot must be a number (got the text "${'\u2401'.repeat(80)}…" (999,920 more characters))`,
    });
    expect(answer.body.rejects[1]).toMatchObject({
      file: 'a.csv',
      record: 2,
      description: 'bad key!',
      date: `${'\u2402'.repeat(80)}… (199,920 more characters)`,
    });
    expect(answer.text).not.toContain('\\u0001');

    const again = await kept(guest, answer.body.id);
    expect(Buffer.byteLength(again.text)).toBeLessThan(MIB);
    expect(again.body).toEqual(answer.body);
    expect(await storedReportBytes(answer.body.id)).toBeLessThan(MIB);
  });

  it('answers a CSV file broken right after a huge cell with a short 400: the parser quotes the cell, cut', async () => {
    const guest = await createGuest(app);
    const csv = `${HEADER}\nsq_tube_2x11ga,${'\u0001'.repeat(1_000_000)}"3.45",Osorio,2025-01-01,\n`;

    const refused = await preview(guest, [{ name: 'broken.csv', content: csv }]).expect(400);

    expect(Buffer.byteLength(refused.text)).toBeLessThan(2048);
    expect(refused.body.message).toEqual([
      expect.stringMatching(
        /^broken\.csv is not valid CSV from line 2 on: Invalid Opening Quote: .+ \(\d[\d,]* more characters\); nothing was loaded$/,
      ),
    ]);
  });

  it('lists the first 500 rejects and 500 warnings, counts the rest by reason, and keeps every total exact', async () => {
    const shop = await registerShop(app);
    const rows = [
      ...Array.from({ length: 700 }, (_, index) => `sq_tube_2x11ga,-${index + 1},Osorio,2025-01-01,`),
      ...Array.from({ length: 500 }, (_, index) => `sq_tube_2x11ga,abc${index},Osorio,2025-01-01,`),
      // Keys of no known shape family load, each with a warning.
      ...Array.from({ length: 600 }, (_, index) => `widget_${index},3.45,Osorio,2025-01-01,`),
    ];

    const answer = await preview(shop, [{ name: 'many.csv', content: [HEADER, ...rows].join('\n') }]).expect(201);

    const report = answer.body;
    expect(report.counts).toMatchObject({ rejected: 1200, warnings: 600 });
    expect(report.files).toEqual([expect.objectContaining({ file: 'many.csv', records: 1800, accepted: 600, rejected: 1200 })]);
    expect(report.rejects).toHaveLength(500);
    expect(report.rejects.map((reject: { record: number }) => reject.record)).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
    expect(report.rejects[499].reason).toBe('price_per_foot must be more than 0 (got -500)');
    expect(report.rejects_omitted).toEqual([
      { reason: 'price_per_foot must be a number (got the text "…")', count: 500 },
      { reason: 'price_per_foot must be more than # (got -#)', count: 200 },
    ]);
    expect(report.warnings).toHaveLength(500);
    expect(report.warnings_omitted).toEqual([{ kind: 'unknown_key_family', count: 100 }]);
    expect(report.changes).toHaveLength(600);
    expect(report.changes_omitted).toBe(0);

    const again = await kept(shop, report.id);
    expect(again.body).toEqual(report);
    const [summary] = (await http().get('/api/material-prices/imports').set(bearer(shop.access_token)).expect(200)).body.items;
    expect(summary.counts).toMatchObject({ records: 1800, rejected: 1200, warnings: 600 });
  });
});
