import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { bearer, createGuest, registerShop, type TokenResponse } from './support/auth';
import { runBuilt } from './support/processes';
import { REAL_EXPORTS } from './support/seeder';
import { closeTestApp, openTestApp } from './support/test-app';
import { TEST_JWT_SECRET, type TestDatabase } from './support/test-database';

const MAX_FILE_BYTES = 64 * 1024;
const MAX_FILES = 7;
const MAX_RECORDS = 400;
const IMPORTS_PER_HOUR = 12;
const MAX_MAPPINGS = 30;

/** A price list as a spreadsheet program exports it: a byte order mark, CRLF, quoted commas, a blank row. */
const SPREADSHEET_CSV = [
  '\uFEFFmaterial_type,price_per_foot,price_per_lb,price_per_sqft,supplier,date,notes',
  'sq_tube_2x11ga,3.61,,,Osorio,2025-02-03,"cut to 20\', primed"',
  'SQ_TUBE_1.5X11GA,2.4,,,"Wexler, Inc.",2/3/2025,',
  '',
  'sheet_11ga,,,4.85,Osorio,2025-02-03,"4\' x 8\'"',
  'flat_bar_2x.25,1.1,,,Osorio,,undated',
  'round_tube_bogus,abc,,,Osorio,2025-02-03,',
  '',
].join('\r\n');

/** The same kind of list from a European spreadsheet: `;` separators, decimal commas, day-first dates. */
const EUROPEAN_CSV =
  '\uFEFFmaterial_type;price_per_foot;supplier;date\r\nangle_2x2x0.25;3,45;Acier;22.01.2025\r\nangle_2x2x0.25;3,75;Acier;22.01.2025\r\n';

interface Upload {
  name: string;
  content: string | Buffer;
  type?: string;
}

type Shop = TokenResponse & { email: string };

describe('price imports through the API', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let workdir: string;
  let realExports: Upload[];

  const http = () => request(app.getHttpServer());

  /** POST /api/material-prices/imports with `files` as multipart parts. */
  const upload = (shop: TokenResponse, files: Upload[], query = '') => {
    let call = http().post(`/api/material-prices/imports${query}`).set(bearer(shop.access_token));
    // form-data's `filepath` sends the name as it is; `filename` alone would be cut down to its last path segment.
    for (const file of files) {
      const options = { filepath: file.name, contentType: file.type ?? 'application/octet-stream' };
      call = call.attach('file', Buffer.from(file.content), options);
    }
    return call;
  };

  /** What a shop's load left in every table the seeder writes, without ids and times, in a fixed order. */
  const shopRows = async (shopId: number) => ({
    current: await db.query(
      `SELECT material_type, supplier, unit, price_per_foot, price_per_lb, price_per_sqft, price_date::text, source, notes FROM material_prices
        WHERE shop_id = $1 ORDER BY material_type, supplier, unit`,
      [shopId],
    ),
    history: await db.query(
      `SELECT material_type, supplier, price_date::text, price_per_foot, price_per_lb, price_per_sqft, source, notes, raw_description FROM material_price_history
        WHERE shop_id = $1 ORDER BY material_type, supplier, price_date, source`,
      [shopId],
    ),
    actuals: await db.query(
      `SELECT invoice_number, quote_id, invoice_date::text, total_hours, source_file FROM historical_actuals WHERE shop_id = $1 ORDER BY invoice_number`,
      [shopId],
    ),
    suppliers: await db.query('SELECT name, name_key FROM suppliers WHERE shop_id = $1 ORDER BY name_key', [shopId]),
    mappings: await db.query('SELECT kind, match_text, target FROM price_mappings WHERE shop_id = $1 ORDER BY kind, match_key', [shopId]),
  });
  const importCount = async (shopId: number) =>
    (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM price_imports WHERE shop_id = $1', [shopId]))[0].count;

  // The app writes uploads under the system's temporary folder: a folder of this file's own, to see them go.
  let uploadsRoot: string;
  const systemTmp = process.env.TMPDIR;

  /** Nothing an import left behind: no folder, and no file of one still open. */
  const expectUploadsCleared = async () => {
    expect(await readdir(uploadsRoot)).toEqual([]);
    const open = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    expect(open.filter((target) => target.startsWith(uploadsRoot))).toEqual([]);
  };

  beforeAll(async () => {
    uploadsRoot = await mkdtemp(join(tmpdir(), 'price-import-uploads-'));
    process.env.TMPDIR = uploadsRoot;
    ({ db, app } = await openTestApp({
      IMPORT_MAX_FILE_BYTES: String(MAX_FILE_BYTES),
      IMPORT_MAX_FILES: String(MAX_FILES),
      IMPORT_MAX_RECORDS: String(MAX_RECORDS),
      RATE_LIMIT_PRICE_IMPORTS_SHOP: `${IMPORTS_PER_HOUR}/1h`,
      MAPPINGS_MAX_ENTRIES: String(MAX_MAPPINGS),
      RATE_LIMIT_REGISTER_IP: '100/1h',
    }));
    workdir = await mkdtemp(join(systemTmp ?? '/tmp', 'price-imports-'));
    const names = (await readdir(REAL_EXPORTS)).sort();
    realExports = await Promise.all(
      names.map(async (name) => ({ name, content: await readFile(join(REAL_EXPORTS, name)), type: 'application/json' })),
    );
  });

  afterEach(expectUploadsCleared);

  afterAll(async () => {
    await closeTestApp(db, app);
    if (systemTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = systemTmp;
    for (const folder of [workdir, uploadsRoot]) if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("loads the real exports and a spreadsheet CSV into the caller's shop exactly as the CLI seeder loads them", async () => {
    const [viaApi, viaCli] = [await registerShop(app), await registerShop(app)];
    const files = [
      ...realExports,
      { name: 'spreadsheet.csv', content: SPREADSHEET_CSV, type: 'text/csv' },
      { name: 'european.csv', content: EUROPEAN_CSV, type: 'text/csv' },
    ];

    const response = await upload(viaApi, files).expect(201);
    for (const file of files) await writeFile(join(workdir, file.name), file.content);
    const cli = await runBuilt('seed.js', ['--dir', workdir, '--shop', viaCli.email], {
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
    });
    expect(cli.code).toBe(2); // some records are rejected, as in the upload

    const [apiRows, cliRows] = [await shopRows(viaApi.user_id), await shopRows(viaCli.user_id)];
    expect(apiRows).toEqual(cliRows);
    expect(apiRows.current.length).toBeGreaterThan(40);
    expect(apiRows.history.length).toBeGreaterThan(apiRows.current.length);
    // The spreadsheet's rows: a normalised key, a quoted supplier name with a comma, a decimal comma, the higher of
    // two same-day prices, and its bad row rejected by line.
    expect(apiRows.current).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          material_type: 'sq_tube_1.5x11ga',
          supplier: 'Wexler, Inc.',
          price_per_foot: 2.4,
          price_date: '2025-02-03',
          source: 'spreadsheet.csv:2 line 3',
        }),
        expect.objectContaining({ material_type: 'sheet_11ga', unit: 'sqft', price_per_sqft: 4.85, notes: "4' x 8'" }),
        expect.objectContaining({ material_type: 'angle_2x2x0.25', supplier: 'Acier', price_per_foot: 3.75, price_date: '2025-01-22' }),
      ]),
    );

    const report = response.body;
    expect(report).toMatchObject({ dry_run: false, scope: 'shop', shop: viaApi.email, directory: null, mappings: null });
    expect(report.files.map((file: { file: string }) => file.file)).toEqual(files.map((file) => file.name));
    expect(report.rejects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'spreadsheet.csv',
          record: 5,
          line: 7,
          reason: expect.stringContaining('price_per_foot must be a number (got the text "abc")'),
        }),
      ]),
    );
    expect(report.counts.material_prices.loaded).toBe(apiRows.current.length);
    expect(report.uploaded_files).toEqual(
      files.map((file) => ({
        name: file.name,
        format: file.name.endsWith('.csv') ? 'csv' : 'json',
        bytes: Buffer.byteLength(file.content),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        records: report.files.find((summary: { file: string }) => summary.file === file.name).records,
      })),
    );

    // The import and its report are kept, newest first, and read back as answered.
    const kept = await http().get(`/api/material-prices/imports/${report.id}`).set(bearer(viaApi.access_token)).expect(200);
    expect(kept.body).toEqual(JSON.parse(JSON.stringify(report)));
    const list = await http().get('/api/material-prices/imports').set(bearer(viaApi.access_token)).expect(200);
    expect(list.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(list.body.items[0]).toEqual({
      id: report.id,
      created_at: report.created_at,
      dry_run: false,
      uploaded_files: report.uploaded_files,
      counts: {
        records: report.files.reduce((sum: number, file: { records: number }) => sum + file.records, 0),
        prices_loaded: report.counts.material_prices.loaded,
        prices_already_current: report.counts.material_prices.already_current,
        new_observations: report.counts.material_prices.new_observations,
        actuals_loaded: report.counts.labor_actuals.loaded,
        rejected: report.counts.rejected,
        ignored: report.counts.material_prices.ignored,
        warnings: report.counts.warnings,
      },
    });
  });

  it('previews without writing, and the commit that follows counts exactly what the preview said', async () => {
    const shop = await registerShop(app);
    const before = await shopRows(shop.user_id);
    const preview = await upload(shop, realExports, '?dry_run=true').expect(201);
    expect(preview.body.dry_run).toBe(true);
    expect(await shopRows(shop.user_id)).toEqual(before);

    const commit = await upload(shop, realExports).expect(201);
    expect(commit.body.counts).toEqual(preview.body.counts);
    expect(commit.body.changes).toEqual(preview.body.changes);
    expect((await shopRows(shop.user_id)).current).toHaveLength(commit.body.counts.material_prices.loaded);

    const list = await http().get('/api/material-prices/imports?limit=1').set(bearer(shop.access_token)).expect(200);
    expect(list.body).toMatchObject({ total: 2, limit: 1, items: [{ id: commit.body.id, dry_run: false }] });
    const older = await http().get('/api/material-prices/imports?limit=1&offset=1').set(bearer(shop.access_token)).expect(200);
    expect(older.body.items).toEqual([expect.objectContaining({ id: preview.body.id, dry_run: true })]);
  });

  it("reads and replaces the shop's mapping document, and the next import follows it", async () => {
    const shop = await registerShop(app);
    const rawOsorio = realExports.filter((file) => file.name === 'osorio_prices_raw.json');
    const first = await upload(shop, rawOsorio, '?dry_run=true').expect(201);
    const unread = first.body.rejects.find(
      (reject: { description: string | null; fixes: unknown[] }) => reject.description !== null && reject.fixes.length === 2,
    );
    expect(unread).toMatchObject({
      file: 'osorio_prices_raw.json',
      description: expect.any(String),
      fixes: [{ materials: expect.any(Object) }, { ignore: [unread.description] }],
    });

    await http()
      .get('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .expect(200, { suppliers: {}, materials: {}, ignore: [] });
    const document = {
      suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' },
      materials: { [unread.description]: 'FLAT_BAR_4x.5' },
      ignore: [],
    };
    const stored = await http().put('/api/material-prices/mappings').set(bearer(shop.access_token)).send(document).expect(200);
    expect(stored.body).toEqual({ ...document, materials: { [unread.description]: 'flat_bar_4x0.5' } });
    await http().get('/api/material-prices/mappings').set(bearer(shop.access_token)).expect(200, stored.body);

    const second = await upload(shop, rawOsorio, '?dry_run=true').expect(201);
    expect(second.body.rejects.some((reject: { description: string | null }) => reject.description === unread.description)).toBe(false);
    expect(second.body.counts.rejected).toBeLessThan(first.body.counts.rejected);

    // A whole new document replaces the old one; ignoring the description skips it instead.
    await http()
      .put('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .send({ ignore: [unread.description] })
      .expect(200);
    const third = await upload(shop, rawOsorio, '?dry_run=true').expect(201);
    expect(third.body.counts.material_prices.ignored).toBeGreaterThan(0);

    // A bad entry is a 400 naming it, and changes nothing.
    const bad = await http()
      .put('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .send({ materials: { 'Flat Bar 1/2" x': 'flat_bar_banana' } })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('materials[\\"Flat Bar 1/2\\\\\\" x\\"]');
    await http()
      .put('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .send({ suppliers: { A: 'B', B: 'C' } })
      .expect(400);
    await http().put('/api/material-prices/mappings').set(bearer(shop.access_token)).send({ colours: {} }).expect(400);
    await http()
      .get('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .expect(200, { suppliers: {}, materials: {}, ignore: [unread.description] });
  });

  it('refuses mappings that would hold more than MAPPINGS_MAX_ENTRIES in a section (413 naming the count and the cap), and keeps those stored', async () => {
    const shop = await registerShop(app);
    const aliases = (first: number, count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`Yard ${first + index}`, 'Osorio']));
    const tooMany = await http()
      .put('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .send({ ignore: Array.from({ length: MAX_MAPPINGS + 1 }, (_, index) => `Scrap ${index}`) })
      .expect(413);
    expect(tooMany.body.message).toEqual([`ignore would hold 31 entries, more than the ${MAX_MAPPINGS} MAPPINGS_MAX_ENTRIES allows`]);
    await http()
      .put('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .send({ suppliers: aliases(0, 20) })
      .expect(200);

    // 20 aliases more in an uploaded mappings.json: 40 with the stored ones.
    const mappings: Upload = { name: 'mappings.json', content: JSON.stringify({ suppliers: aliases(20, 20) }) };
    const prices: Upload = { name: 'p.csv', content: 'material_type,price_per_foot,supplier\nsq_tube_2x11ga,3.45,Yard 25\n' };
    for (const query of ['?dry_run=true', '']) {
      const refused = await upload(shop, [mappings, prices], query).expect(413);
      expect(refused.body.message).toEqual([
        'The mappings mappings.json cannot be used; nothing was loaded:',
        `suppliers would hold 40 entries, more than the ${MAX_MAPPINGS} MAPPINGS_MAX_ENTRIES allows`,
      ]);
    }
    // A file whose section alone is over the cap is refused by its count, before any of its entries is checked.
    const oversized: Upload = {
      name: 'mappings.json',
      content: JSON.stringify({ suppliers: { ...aliases(100, MAX_MAPPINGS), 'Not checked': 42 } }),
    };
    const counted = await upload(shop, [oversized, prices], '?dry_run=true').expect(413);
    expect(counted.body.message).toEqual([
      'The mappings mappings.json cannot be used; nothing was loaded:',
      `suppliers would hold 31 entries, more than the ${MAX_MAPPINGS} MAPPINGS_MAX_ENTRIES allows`,
    ]);
    const stored = await http().get('/api/material-prices/mappings').set(bearer(shop.access_token)).expect(200);
    expect(stored.body).toEqual({ suppliers: aliases(0, 20), materials: {}, ignore: [] });
    expect(await shopRows(shop.user_id)).toMatchObject({ current: [], history: [], suppliers: [] });
  });

  it("never shows one shop's imports, reports, mappings or prices to another (404)", async () => {
    const [owner, other] = [await registerShop(app), await registerShop(app)];
    await http()
      .put('/api/material-prices/mappings')
      .set(bearer(owner.access_token))
      .send({ suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' } })
      .expect(200);
    const imported = await upload(owner, [
      { name: 'mine.csv', content: 'material_type,price_per_foot,supplier,date\nsq_tube_3x11ga,9.99,Secret Supply,2025-03-01\n' },
    ]).expect(201);

    await http().get(`/api/material-prices/imports/${imported.body.id}`).set(bearer(other.access_token)).expect(404);
    await http().get('/api/material-prices/imports/2147483648').set(bearer(other.access_token)).expect(404);
    await http().get('/api/material-prices/imports/abc').set(bearer(other.access_token)).expect(400);
    expect((await http().get('/api/material-prices/imports').set(bearer(other.access_token)).expect(200)).body).toEqual({
      items: [],
      total: 0,
      limit: 50,
      offset: 0,
    });
    await http()
      .get('/api/material-prices/mappings')
      .set(bearer(other.access_token))
      .expect(200, { suppliers: {}, materials: {}, ignore: [] });
    const prices = await http().get('/api/material-prices?material_type=sq_tube_3x11ga').set(bearer(other.access_token)).expect(200);
    expect(prices.body.items).toEqual([]);
    const history = await http().get('/api/material-prices/sq_tube_3x11ga/history').set(bearer(other.access_token)).expect(200);
    expect(history.body.items).toEqual([]);
    await http().get('/api/material-prices/resolve?material_type=sq_tube_3x11ga').set(bearer(other.access_token)).expect(404);

    const own = await http().get('/api/material-prices?material_type=sq_tube_3x11ga').set(bearer(owner.access_token)).expect(200);
    expect(own.body).toMatchObject({ total: 1, items: [{ supplier: 'Secret Supply', price_per_foot: 9.99, scope: 'shop' }] });
  });

  it('pages the current prices like /api/quotes, with the material_type filter', async () => {
    const shop = await registerShop(app);
    const rows = Array.from({ length: 5 }, (_, index) => `sq_tube_${index + 1}x11ga,${index + 1},Osorio,2025-03-01`).join('\n');
    await upload(shop, [{ name: 'five.csv', content: `material_type,price_per_foot,supplier,date\n${rows}\n` }]).expect(201);
    const first = await http().get('/api/material-prices?limit=2').set(bearer(shop.access_token)).expect(200);
    expect(first.body).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect(first.body.items.map((item: { material_type: string }) => item.material_type)).toEqual(['sq_tube_1x11ga', 'sq_tube_2x11ga']);
    const last = await http().get('/api/material-prices?limit=2&offset=4').set(bearer(shop.access_token)).expect(200);
    expect(last.body.items.map((item: { material_type: string }) => item.material_type)).toEqual(['sq_tube_5x11ga']);
    const one = await http().get('/api/material-prices?material_type=SQ_TUBE_3X11GA').set(bearer(shop.access_token)).expect(200);
    expect(one.body).toMatchObject({ total: 1, items: [{ material_type: 'sq_tube_3x11ga', price_per_foot: 3 }] });
    await http().get('/api/material-prices?limit=101').set(bearer(shop.access_token)).expect(400);
  });

  describe('bad uploads: a clear 4xx each, and nothing written', () => {
    let shop: Shop;
    const good: Upload = {
      name: 'good.csv',
      content: 'material_type,price_per_foot,supplier,date\nsq_tube_2x11ga,3.45,Osorio,2025-03-01\n',
    };

    // A shop per case, so that the cases do not use up each other's imports of the hour.
    beforeEach(async () => {
      shop = await registerShop(app);
    });

    afterEach(async () => {
      expect(await shopRows(shop.user_id)).toEqual({ current: [], history: [], actuals: [], suppliers: [], mappings: [] });
      expect(await importCount(shop.user_id)).toBe(0);
    });

    it.each<[string, Upload[], number, RegExp]>([
      [
        'a file that is neither JSON nor CSV',
        [good, { name: 'photo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) }],
        415,
        /"photo.png": only .json, .csv and .xlsx files can be imported/,
      ],
      [
        'binary bytes named .json',
        [good, { name: 'prices.json', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) }],
        400,
        /^prices.json is not valid JSON/,
      ],
      [
        'a CSV without its header row',
        [{ name: 'prices.csv', content: 'sq_tube_2x11ga,3.45,Osorio\n' }],
        400,
        /^prices.csv has no header row: the first row must name the columns/,
      ],
      [
        'a CSV whose quoting breaks',
        [good, { name: 'broken.csv', content: 'material_type,price_per_foot\nsq_tube_2x11ga,"3.45\n' }],
        400,
        /^broken.csv is not valid CSV/,
      ],
      [
        'a file over the limit',
        [
          good,
          { name: 'big.csv', content: `material_type,price_per_foot,notes\n${'sq_tube_2x11ga,3.45,x\n'.repeat(MAX_FILE_BYTES / 20)}` },
        ],
        413,
        /"big.csv" is larger than 64 KiB/,
      ],
      [
        'too many files',
        Array.from({ length: MAX_FILES + 1 }, (_, index) => ({ ...good, name: `part-${index}.csv` })),
        413,
        /at most 7 files/,
      ],
      [
        'more records than an import may hold',
        [
          {
            name: 'many.json',
            content: JSON.stringify(
              Array.from({ length: MAX_RECORDS + 1 }, () => ({ material_type: 'sq_tube_2x11ga', price_per_foot: 3 })),
            ),
          },
        ],
        400,
        /more than 400 records/,
      ],
      [
        'a name with a path',
        [good, { name: '../../etc/prices.csv', content: good.content }],
        400,
        /"..\/..\/etc\/prices.csv" holds a path separator/,
      ],
      ['a name with a backslash', [good, { name: 'C:\\prices.csv', content: good.content }], 400, /holds a path separator/],
      [
        'a name with NUL',
        [good, { name: 'prices\u0000.csv', content: good.content }],
        400,
        /holds a path separator or a control character/,
      ],
      ['two files of one name', [good, good], 400, /Two files are named "good.csv"/],
      [
        'bad mappings beside the files',
        [good, { name: 'mappings.json', content: '{"materials": {"x": "flat_bar_banana"}}' }],
        400,
        /materials\["x"\]/,
      ],
      [
        'JSON nested deeper than any export',
        [good, { name: 'deep.json', content: `${'['.repeat(30_000)}${']'.repeat(30_000)}` }],
        400,
        /^deep.json is nested deeper than 64 levels/,
      ],
      [
        'a name with a bidirectional override',
        [good, { name: 'prices\u202Ecsv.json', content: good.content }],
        400,
        /holds a path separator or a control character/,
      ],
    ])('%s', async (_case, files, status, message) => {
      const response = await upload(shop, files);
      expect(response.status).toBe(status);
      expect([response.body.message].flat().join('\n')).toMatch(message);
    });

    it('an upload without files, and a body that is not multipart', async () => {
      const empty = await http().post('/api/material-prices/imports').set(bearer(shop.access_token)).field('note', 'no file').expect(400);
      expect(empty.body.message).toMatch(/holds no file/);
      const json = await http()
        .post('/api/material-prices/imports')
        .set(bearer(shop.access_token))
        .send([{ material_type: 'sq_tube_2x11ga' }])
        .expect(415);
      expect(json.body.message).toMatch(/multipart\/form-data/);
      await http()
        .post('/api/material-prices/imports?dry_run=maybe')
        .set(bearer(shop.access_token))
        .attach('file', Buffer.from(good.content), 'good.csv')
        .expect(400);
    });

    it('a multipart body that cannot be read: a part without a file name, no boundary, a body cut off', async () => {
      const post = async (contentType: string, body: string) => {
        const response = await http()
          .post('/api/material-prices/imports')
          .set(bearer(shop.access_token))
          .set('Content-Type', contentType)
          .send(body);
        expect(response.status).toBe(400);
        return [response.body.message].flat().join('\n');
      };
      const nameless = [
        '--b0undary',
        'Content-Disposition: form-data; name="file"',
        'Content-Type: application/octet-stream',
        '',
        good.content,
        '--b0undary--',
        '',
      ].join('\r\n');
      expect(await post('multipart/form-data; boundary=b0undary', nameless)).toMatch(/A file has no name/);
      expect(await post('multipart/form-data', 'no boundary')).toMatch(/multipart body cannot be read/);
      const cutOff = [
        '--b0undary',
        'Content-Disposition: form-data; name="file"; filename="good.csv"',
        'Content-Type: text/csv',
        '',
        good.content,
      ].join('\r\n');
      expect(await post('multipart/form-data; boundary=b0undary', cutOff)).toMatch(/multipart body cannot be read/);
    });

    it('multipart sent to a route that takes JSON', async () => {
      await http()
        .put('/api/material-prices/mappings')
        .set(bearer(shop.access_token))
        .attach('file', Buffer.from('{}'), 'mappings.json')
        .expect(415);
    });
  });

  it('takes a file of exactly the size limit, keeps a report that quotes a NUL, and applies an uploaded mappings.json only when it loads', async () => {
    const shop = await registerShop(app);
    const header = 'material_type,price_per_foot,notes\n';
    const row = 'sq_tube_2x11ga,3.45,x\n';
    const padding = MAX_FILE_BYTES - header.length - row.length;
    const atTheLimit = `${header}${row}sq_tube_3x11ga,4.5,${'y'.repeat(padding - 'sq_tube_3x11ga,4.5,\n'.length)}\n`;
    expect(Buffer.byteLength(atTheLimit)).toBe(MAX_FILE_BYTES);
    const notes = await upload(shop, [{ name: 'limit.csv', content: atTheLimit }], '?dry_run=true').expect(201);
    expect(notes.body.uploaded_files[0].bytes).toBe(MAX_FILE_BYTES);

    const withNul = [{ material_type: 'sq_tube_banana', price_per_foot: 3, date: '2025-01-01\u0000' }];
    const nul = await upload(shop, [{ name: 'nul.json', content: JSON.stringify(withNul) }]).expect(201);
    expect(nul.body.counts.rejected).toBe(1);
    const kept = await http().get(`/api/material-prices/imports/${nul.body.id}`).set(bearer(shop.access_token)).expect(200);
    // A report shows a control character as its picture (U+2400 for NUL), which a jsonb value can hold.
    expect(kept.body.rejects[0].date).toBe('2025-01-01\u2400');

    const mappings: Upload = { name: 'mappings.json', content: JSON.stringify({ suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' } }) };
    const preview = await upload(
      shop,
      [mappings, { name: 'p.csv', content: 'material_type,price_per_foot\nsq_tube_2x11ga,3.45\n' }],
      '?dry_run=true',
    ).expect(201);
    expect(preview.body.mappings).toEqual({ file: 'mappings.json', entries: 1 });
    await http()
      .get('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .expect(200, { suppliers: {}, materials: {}, ignore: [] });
    await upload(shop, [mappings, { name: 'p.csv', content: 'material_type,price_per_foot\nsq_tube_2x11ga,3.45\n' }]).expect(201);
    await http()
      .get('/api/material-prices/mappings')
      .set(bearer(shop.access_token))
      .expect(200, { suppliers: { 'Osorio Metals Supply Inc.': 'Osorio' }, materials: {}, ignore: [] });
    await http().get('/api/material-prices/imports/-9999999999').set(bearer(shop.access_token)).expect(404);
    await http().get('/api/material-prices/imports/0').set(bearer(shop.access_token)).expect(404);
  });

  it('lets a guest preview but not load (403: claim the account first), nor change mappings', async () => {
    const guest = await createGuest(app);
    const file: Upload = { name: 'p.csv', content: 'material_type,price_per_foot\nsq_tube_2x11ga,3.45\n' };
    const preview = await upload(guest, [file], '?dry_run=true').expect(201);
    expect(preview.body.counts.material_prices.loaded).toBe(1);
    const refused = await upload(guest, [file]).expect(403);
    expect(refused.body.message).toMatch(/claim the account first/);
    await http()
      .put('/api/material-prices/mappings')
      .set(bearer(guest.access_token))
      .send({ ignore: ['x'] })
      .expect(403);
    expect((await shopRows(guest.user_id)).current).toEqual([]);
  });

  it('limits the imports of one shop per hour (429 with Retry-After), previews included', async () => {
    const [busy, other] = [await registerShop(app), await registerShop(app)];
    const file: Upload = { name: 'p.csv', content: 'material_type,price_per_foot\nsq_tube_2x11ga,3.45\n' };
    for (let index = 0; index < IMPORTS_PER_HOUR; index++) await upload(busy, [file], '?dry_run=true').expect(201);
    const limited = await upload(busy, [file]).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toMatch(/12 imports in the last hour/);
    await upload(other, [file]).expect(201);
  });

  it("runs two imports of one shop at once to the end, with the current prices of one after the other, beside another shop's", async () => {
    const [together, oneByOne, neighbour] = [await registerShop(app), await registerShop(app), await registerShop(app)];
    const [first, second] = [realExports.slice(0, 3), [...realExports.slice(2), { name: 'spreadsheet.csv', content: SPREADSHEET_CSV }]];

    const answers = await Promise.all([upload(together, first), upload(together, second), upload(neighbour, second)]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    await upload(oneByOne, first).expect(201);
    await upload(oneByOne, second).expect(201);

    const [concurrent, sequential] = [await shopRows(together.user_id), await shopRows(oneByOne.user_id)];
    expect(concurrent.current).toEqual(sequential.current);
    expect(concurrent.history).toEqual(sequential.history);
    const observations = concurrent.history.map((row) => JSON.stringify({ ...row, source: undefined }));
    expect(new Set(observations).size).toBe(observations.length);
    expect((await shopRows(neighbour.user_id)).history).toHaveLength(answers[2].body.counts.material_prices.new_observations);
  });

  it('documents the multipart body and its answers in OpenAPI', async () => {
    const document = (await http().get('/api/docs/json').expect(200)).body;
    const operation = document.paths['/api/material-prices/imports'].post;
    expect(operation.requestBody.content['multipart/form-data'].schema.properties.file).toEqual(expect.objectContaining({ type: 'array' }));
    expect(operation.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PriceImportResponse' });
    for (const status of ['400', '401', '403', '413', '415', '429']) {
      expect(operation.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    }
  });
});
