import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';

import { bearer, registerShop, type TokenResponse } from './support/auth';
import { runBuilt } from './support/processes';
import { closeTestApp, openTestApp } from './support/test-app';
import { TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const XLSX_MAX_BYTES = 2 * 1024 * 1024;

/** A price workbook as a shop keeps it, written by exceljs: a sheet of notes, two price sheets, a formula, a date cell, a currency format. */
async function priceWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Read me').addRows([['Prices from our suppliers, updated monthly'], ['Ask Sam before changing']]);
  const steel = workbook.addWorksheet('Steel');
  steel.addRow(['Item', 'Price/ft', 'Supplier Name', 'Date', 'Qty', '']);
  steel.addRow(['sq_tube_2x11ga', 3.45, 'Osorio', new Date(Date.UTC(2025, 0, 22)), 4]);
  steel.addRow(['flat_bar_2x0.25', { formula: 'B2*2', result: 6.9 }, 'Osorio', '1/23/2025', 2]);
  const priced = steel.addRow(['angle_2x2x0.25', 1234.5, 'Wexler', new Date(Date.UTC(2025, 0, 24)), 1]);
  priced.getCell(2).numFmt = '"$"#,##0.00';
  steel.getColumn(4).numFmt = 'm/d/yyyy';
  steel.addRow(['round_bar_0.5', '$1,234', 'Wexler', new Date(Date.UTC(2025, 0, 24))]);
  steel.addRow(['round_bar_0.75', '\u20ac2.50', 'Wexler', new Date(Date.UTC(2025, 0, 24))]);
  const aluminum = workbook.addWorksheet('Aluminum');
  aluminum.addRow(['Vendor', 'Description', 'Unit Price']);
  aluminum.addRow(['Osorio', 'al_sheet_0.125', 'USD 12.75']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('price workbooks (.xlsx) through the import API and the seeder', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let workdir: string;
  const http = () => request(app.getHttpServer());
  const upload = (shop: TokenResponse, files: { name: string; content: Buffer | string }[], query = '') => {
    let call = http().post(`/api/material-prices/imports${query}`).set(bearer(shop.access_token));
    for (const file of files)
      call = call.attach('file', Buffer.from(file.content), { filename: file.name, contentType: 'application/octet-stream' });
    return call;
  };
  const history = (shopId: number) =>
    db.query(
      `SELECT material_type, supplier, price_date::text, price_per_foot, price_per_sqft, source, raw_description, currency FROM material_price_history
        WHERE shop_id = $1 ORDER BY source`,
      [shopId],
    );

  beforeAll(async () => {
    ({ db, app } = await openTestApp({ XLSX_MAX_UNCOMPRESSED_BYTES: String(XLSX_MAX_BYTES), RATE_LIMIT_REGISTER_IP: '100/1h' }));
    workdir = await mkdtemp(join(tmpdir(), 'price-workbooks-'));
  });

  afterAll(async () => {
    await closeTestApp(db, app);
    await rm(workdir, { recursive: true, force: true });
  });

  it('reads every sheet with a header, skips the others by name, and gives the seeder and the API the same prices', async () => {
    const [viaApi, viaCli] = [await registerShop(app), await registerShop(app)];
    const files = [
      { name: 'prices.xlsx', content: await priceWorkbook() },
      { name: 'prices.tsv.csv', content: 'Item\tPrice per Foot\tSupplier\nsq_tube_3x11ga\t5,10\tAcier\n' },
    ];
    const response = await upload(viaApi, files).expect(201);
    for (const file of files) await writeFile(join(workdir, file.name), file.content);
    const cli = await runBuilt('seed.js', ['--dir', workdir, '--shop', viaCli.email], {
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
    });
    expect(cli.code).toBe(2);

    const apiRows = await history(viaApi.user_id);
    expect(await history(viaCli.user_id)).toEqual(apiRows);
    expect(apiRows).toEqual([
      expect.objectContaining({
        material_type: 'sq_tube_3x11ga',
        supplier: 'Acier',
        price_per_foot: 5.1,
        source: 'prices.tsv.csv:1 line 2',
      }),
      expect.objectContaining({
        material_type: 'sq_tube_2x11ga',
        price_per_foot: 3.45,
        price_date: '2025-01-22',
        source: 'prices.xlsx:1 line 2',
      }),
      expect.objectContaining({
        material_type: 'flat_bar_2x0.25',
        price_per_foot: 6.9,
        price_date: '2025-01-23',
        source: 'prices.xlsx:2 line 3',
      }),
      expect.objectContaining({ material_type: 'angle_2x2x0.25', price_per_foot: 1234.5, price_date: '2025-01-24', currency: 'USD' }),
      expect.objectContaining({
        material_type: 'al_sheet_0.125',
        supplier: 'Osorio',
        price_per_foot: 12.75,
        source: 'prices.xlsx:6 line 2',
      }),
    ]);
    const report = response.body;
    expect(report.rejects).toEqual([
      expect.objectContaining({
        file: 'prices.xlsx',
        record: 4,
        line: 5,
        reason: 'price_per_foot "$1,234" reads as 1234 or as 1.234: write it without a thousands separator',
      }),
      expect.objectContaining({
        file: 'prices.xlsx',
        record: 5,
        line: 6,
        reason: "the price is in EUR and this scope's prices are in USD: prices are never converted",
      }),
    ]);
    expect(report.warnings.map((warning: { kind: string; message: string }) => [warning.kind, warning.message])).toEqual(
      expect.arrayContaining([
        ['ignored_columns', 'prices.xlsx: sheet "Steel": the columns "Qty" are not used and were ignored'],
        ['ignored_columns', 'prices.xlsx: the sheets "Read me" have no usable header row and were skipped'],
      ]),
    );
    expect(report.uploaded_files[0]).toMatchObject({ name: 'prices.xlsx', format: 'xlsx', records: 6 });
    expect(cli.stdout).toContain('prices.xlsx: 6 records (material price): 4 accepted, 2 rejected');
  });

  it("loads a shop's own currency and rejects another, once the profile says what the shop prices in", async () => {
    const shop = await registerShop(app);
    await http().put('/api/auth/profile').set(bearer(shop.access_token)).send({ currency: 'EURO' }).expect(400);
    await http().put('/api/auth/profile').set(bearer(shop.access_token)).send({ currency: 'EUR' }).expect(200);
    const csv = 'Description;Price per Foot;Supplier\nangle_2x2x0.25;3,45 \u20ac;Acier\nangle_2x2x0.125;$3,45;Acier\n';
    const report = (await upload(shop, [{ name: 'eu.csv', content: csv }]).expect(201)).body;
    expect(report.rejects).toEqual([
      expect.objectContaining({ record: 2, reason: "the price is in $ and this scope's prices are in EUR: prices are never converted" }),
    ]);
    expect(await history(shop.user_id)).toEqual([
      expect.objectContaining({ material_type: 'angle_2x2x0.25', price_per_foot: 3.45, currency: 'EUR' }),
    ]);
  });

  it('refuses a zip bomb and a truncated workbook with a 400 naming the file, and the seeder exits 1 on them', async () => {
    const shop = await registerShop(app);
    const bomb = new JSZip();
    bomb.file('[Content_Types].xml', '<Types/>');
    bomb.file('xl/worksheets/sheet1.xml', Buffer.alloc(XLSX_MAX_BYTES + 1024, 0x20));
    const bombFile = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(bombFile.length).toBeLessThan(64 * 1024);
    const refused = await upload(shop, [{ name: 'bomb.xlsx', content: bombFile }]).expect(400);
    expect(refused.body.message[0]).toMatch(/^bomb\.xlsx unpacks to more than 2 MiB \(XLSX_MAX_UNCOMPRESSED_BYTES\); nothing was loaded/);

    const workbook = await priceWorkbook();
    const truncated = workbook.subarray(0, Math.floor(workbook.length / 2));
    const broken = await upload(shop, [{ name: 'cut.xlsx', content: truncated }]).expect(400);
    expect(broken.body.message[0]).toMatch(/^cut\.xlsx is not an \.xlsx workbook \(.+\); nothing was loaded/);
    expect(await history(shop.user_id)).toEqual([]);

    const folder = await mkdtemp(join(workdir, 'bad-'));
    await writeFile(join(folder, 'bomb.xlsx'), bombFile);
    await writeFile(join(folder, 'cut.xlsx'), truncated);
    const cli = await runBuilt('seed.js', ['--dir', folder, '--dry-run'], {
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      XLSX_MAX_UNCOMPRESSED_BYTES: String(XLSX_MAX_BYTES),
    });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/bomb\.xlsx unpacks to more than 2 MiB \(XLSX_MAX_UNCOMPRESSED_BYTES\); nothing was loaded/);
  });

  it('refuses the placeholder of a suggested fix, and any target of no key family, in PUT /mappings and in the seeder', async () => {
    const shop = await registerShop(app);
    const description = 'Flat Bar 1/2" x';
    const put = (target: string) =>
      http()
        .put('/api/material-prices/mappings')
        .set(bearer(shop.access_token))
        .send({ suppliers: {}, materials: { [description]: target }, ignore: [] });
    const placeholder = await put('<material key>').expect(400);
    expect(JSON.stringify(placeholder.body.message)).toContain('is the placeholder of a suggested fix');
    const noFamily = await put('MATERIAL_KEY').expect(400);
    expect(JSON.stringify(noFamily.body.message)).toContain('is of no known shape family');
    await put('flat_bar_4x0.5').expect(200);

    const folder = await mkdtemp(join(workdir, 'placeholder-'));
    await writeFile(join(folder, 'mappings.json'), JSON.stringify({ materials: { [description]: '<material key>' } }));
    await writeFile(join(folder, 'prices.csv'), 'material_type,price_per_foot\nsq_tube_2x11ga,3.45\n');
    const cli = await runBuilt('seed.js', ['--dir', folder], { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('mappings.json cannot be used; nothing was loaded');
    expect(cli.stderr).toMatch(/materials\[.+Flat Bar 1\/2.+\]: .+<material key>.+ is the placeholder of a suggested fix/);
    expect(await db.query("SELECT 1 FROM material_price_history WHERE source LIKE 'prices.csv%'")).toEqual([]);
  });

  it('loads data/examples with no reject: every kind of file, and the mappings that clear their rejects', async () => {
    const cli = await runBuilt('seed.js', ['--dir', 'data/examples', '--dry-run'], { DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });
    expect(cli.stdout).toContain('Rejected 0 records');
    expect(cli.stdout).toMatch(/workbook\.xlsx: \d+ records \(material price\): \d+ accepted, 0 rejected/);
    expect(cli.code).toBe(0);
  });
});
