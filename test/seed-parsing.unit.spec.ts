import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseDate } from '../src/price-loads/dates';
import {
  emptyReport,
  exitCodeOf,
  formatReport,
  LoadReportBuilder,
  OTHER_REASONS,
  REPORT_JSON_MAX_BYTES,
  reportAsJson,
} from '../src/price-loads/load-report';
import { readSourceFile, type SourceFormat } from '../src/price-loads/source-files';
import { ProgressLine } from '../src/seed/progress-line';
import { parseSeedArguments, SeedUsageError } from '../src/seed/seed-options';

describe('seed dates', () => {
  it.each([
    ['2024-03-15', ['iso'], '2024-03-15'],
    ['2024-02-29', ['iso'], '2024-02-29'],
    ['9/5/2023', ['month/day/year'], '2023-09-05'],
    ['12/2/2024', ['month/day/year'], '2024-12-02'],
    ['Jun 18, 2024', ['month name'], '2024-06-18'],
    ['Sept. 5, 2023', ['month name'], '2023-09-05'],
    ['February 28 2024', ['month name'], '2024-02-28'],
  ] as const)('%s is %s', (text, formats, iso) => {
    expect(parseDate(text, formats)).toEqual({ iso });
  });

  it.each([
    ['2024-02-30', ['iso'], /^"2024-02-30" \(read as YYYY-MM-DD\): February has 29 days in 2024$/],
    ['2023-02-29', ['iso'], /February has 28 days in 2023$/],
    ['2/30/2024', ['iso', 'month/day/year'], /^"2\/30\/2024" \(read as M\/D\/YYYY\): February has 29 days in 2024$/],
    ['31.4.2024', ['day.month.year'], /^"31.4.2024" \(read as D.M.YYYY\): April has 30 days$/],
    ['13/1/2024', ['month/day/year'], /: there is no month 13$/],
    ['Jun 31, 2024', ['month name'], /June has 30 days$/],
    ['0001-01-01', ['iso'], /: the year 1 is before 1990$/],
    ['1989-12-31', ['iso'], /: the year 1989 is before 1990$/],
    [`${new Date().getUTCFullYear() + 2}-01-01`, ['iso'], /: the year \d+ is after \d+$/],
    ['Foo 3, 2024', ['month name'], /not a date in the form Jun 18, 2024/],
    ['03/15/2024', ['iso'], /not a date in the form YYYY-MM-DD/],
  ] as const)('rejects %s', (text, formats, problem) => {
    const parsed = parseDate(text, formats);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });
});

describe('seed arguments', () => {
  it('defaults to data/raw, a real run and the shared baseline', () => {
    expect(parseSeedArguments([])).toEqual({
      directory: 'data/raw',
      directoryGiven: false,
      mappingsFile: null,
      reportFile: null,
      dryRun: false,
      shopEmail: null,
    });
  });

  it('reads every flag, in both spellings, past the -- that npm and nest pass', () => {
    expect(
      parseSeedArguments(['--', '--dir', 'in', '--dry-run', '--shop=Owner@Shop.com', '--mappings', 'm.json', '--report=r.json']),
    ).toEqual({
      directory: 'in',
      directoryGiven: true,
      mappingsFile: 'm.json',
      reportFile: 'r.json',
      dryRun: true,
      shopEmail: 'Owner@Shop.com',
    });
    expect(parseSeedArguments(['--help'])).toBe('help');
  });

  it.each([
    [['--dir']],
    [['--dir', '--dry-run']],
    [['--shop=']],
    [['--dry-run=yes']],
    [['--force']],
    [['extra']],
    [['--mappings']],
    [['--report', '--dry-run']],
  ])('refuses %j', (argv) => {
    expect(() => parseSeedArguments(argv)).toThrow(SeedUsageError);
  });
});

describe('seed source files', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'seed-files-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  let fileCount = 0;
  /** The file's records as values (with the line of each CSV row), or its problem. */
  const read = async (text: string | Buffer, format: SourceFormat = 'json') => {
    fileCount += 1;
    const path = join(folder, `file-${fileCount}.${format}`);
    await writeFile(path, text);
    const content = await readSourceFile(path, format, { xlsxMaxUncompressedBytes: 1024 * 1024 });
    if ('problem' in content) return content;
    const records: unknown[] = [];
    for await (const record of content.records) records.push(format === 'csv' ? record : record.value);
    return { records };
  };

  it('reads an array of records, or one record', async () => {
    expect(await read('[{"a": 1}, {"b": 2}]')).toEqual({ records: [{ a: 1 }, { b: 2 }] });
    expect(await read('\uFEFF{"a": 1}')).toEqual({ records: [{ a: 1 }] });
  });

  it('reads the bare NaN and Infinity that Python writes as numbers, and leaves such words in strings alone', async () => {
    const content = await read('[{"price_per_foot": NaN, "notes": "NaN or Infinity"}, {"price_per_lb": -Infinity}]');
    expect(content).toEqual({ records: [{ price_per_foot: NaN, notes: 'NaN or Infinity' }, { price_per_lb: -Infinity }] });
  });

  it('names where invalid JSON breaks', async () => {
    expect(await read('[\n  {"a": 1,}\n]')).toEqual({ problem: expect.stringMatching(/^is not valid JSON: .+ \(line 2, column 11\)$/) });
  });

  it('refuses a file that holds no record', async () => {
    expect(await read('42')).toEqual({ problem: 'holds number 42, not a record or a list of records' });
  });

  const csvPrice = (fields: Record<string, unknown>, line: number) => ({ value: { type: 'material_price', ...fields }, line });

  it('reads a CSV spreadsheet export: header of canonical fields, quoted commas, CRLF, blank rows', async () => {
    const csv = [
      'Material Type,Price per Foot,price_per_lb,supplier,date,notes',
      'sq_tube_2x11ga,3.45,,"Osorio, Inc.",2024-03-15,"cut to 20\', ""primed"""',
      '',
      ',,,,,',
      'flat_bar_2x0.25,"1,234.5",,Wexler,3/5/2024,',
      '',
    ].join('\r\n');
    expect(await read(csv, 'csv')).toEqual({
      records: [
        csvPrice(
          {
            material_type: 'sq_tube_2x11ga',
            price_per_foot: '3.45',
            supplier: 'Osorio, Inc.',
            date: '2024-03-15',
            notes: 'cut to 20\', "primed"',
          },
          2,
        ),
        csvPrice({ material_type: 'flat_bar_2x0.25', price_per_foot: '1,234.5', supplier: 'Wexler', date: '3/5/2024' }, 5),
      ],
    });
  });

  it('reads a European export: a byte order mark, ";" separators, decimal commas and day-first dotted dates', async () => {
    const csv =
      '\uFEFFmaterial_type;price_per_foot;price_per_lb;supplier;date\nangle_2x2x0.25;3,45;1.234,5;Acier;22.01.2025\nangle_2x2x0.25;4.5;;Acier;2025-01-23\n';
    expect(await read(Buffer.from(csv, 'utf8'), 'csv')).toEqual({
      records: [
        csvPrice(
          { material_type: 'angle_2x2x0.25', price_per_foot: '3,45', price_per_lb: '1.234,5', supplier: 'Acier', date: '22.01.2025' },
          2,
        ),
        csvPrice({ material_type: 'angle_2x2x0.25', price_per_foot: '4.5', supplier: 'Acier', date: '2025-01-23' }, 3),
      ],
    });
  });

  it('keeps the cells as text, and a cell past the header as a field of its own, for validation to read or reject', async () => {
    const csv = 'material_type,price_per_foot,date\nsq_tube_2x11ga,about 3,yesterday,extra\n';
    expect(await read(csv, 'csv')).toEqual({
      records: [csvPrice({ material_type: 'sq_tube_2x11ga', price_per_foot: 'about 3', date: 'yesterday', 'column 4': 'extra' }, 2)],
    });
  });

  it('refuses a CSV without a usable header row naming the columns it needs, or with a column named twice', async () => {
    expect(await read('sq_tube_2x11ga,3.45,Osorio\n', 'csv')).toEqual({
      problem: expect.stringMatching(
        /^has no header row: the first row must name the columns it needs: a material \("material_type", .* and a price \("price_per_foot", .*; it reads "sq_tube_2x11ga", "3.45", "Osorio"$/,
      ),
    });
    expect(await read('Item,price_per_foot,Description\n', 'csv')).toEqual({
      problem: 'names the column "material_type" twice: "Item", "Description"',
    });
    expect(await read('supplier,price_per_foot\n', 'csv')).toEqual({ problem: expect.stringMatching(/^has no header row: /) });
    expect(await read('material_type,supplier\n', 'csv')).toEqual({ problem: expect.stringMatching(/^has no header row: /) });
  });

  it('reads an empty CSV as no records, and names where broken quoting stops a CSV', async () => {
    expect(await read('', 'csv')).toEqual({ records: [] });
    await expect(read('material_type,price_per_foot\nsq_tube_2x11ga,"3.45\n', 'csv')).rejects.toThrow(
      /^is not valid CSV from line \d+ on: Quote Not Closed/,
    );
  });
});

describe('seed report', () => {
  const load = { directory: 'data/raw', dryRun: false, shopEmail: null };
  const offer = (description: string, stated: string, date: string | null, mappable = true) => ({
    field: 'material',
    description,
    stated,
    date,
    mappable,
  });

  it('groups the rejects of one description into one line with its records, the reason and the mapping that fixes it', () => {
    const report = {
      ...emptyReport(load),
      prices: { loaded: 2, alreadyCurrent: 1, newObservations: 3, entries: 4, ignored: 0 },
      actuals: { loaded: 1, alreadyCurrent: 0 },
      rejects: [
        {
          file: 'a.json',
          record: 1,
          line: null,
          reason: 'the description stops at "x": it was cut off',
          offer: { ...offer('Flat Bar 1/2" x', '5.6 per foot', '2023-09-05'), closestKeys: ['flat_bar_4x0.5', 'flat_bar_1x0.5'] },
        },
        { file: 'a.json', record: 3, line: null, reason: 'material_type is missing', offer: null },
        {
          file: 'b.json',
          record: 18,
          line: null,
          reason: 'the description stops at "x": it was cut off',
          offer: offer(' flat bar 1/2" X', '6.62 per foot', null),
        },
        { file: 'c.json', record: null, line: null, reason: 'is not valid JSON: Unexpected end of JSON input', offer: null },
        {
          file: 'd.json',
          record: 2,
          line: null,
          reason: 'a price per piece (84) with no stick length',
          offer: offer('2" SQ TUBE', '84 per piece', null, false),
        },
      ],
      warnings: [{ kind: 'undated_current' as const, message: 'an undated price became current' }],
    };
    const lines = formatReport(report);
    expect(lines.slice(lines.indexOf('Rejected 5 records (4 items):'))).toEqual([
      'Rejected 5 records (4 items):',
      '  Flat Bar 1/2" x — a.json:1 (5.6 per foot, 2023-09-05), b.json:18 (6.62 per foot, no date): the description stops at "x": it was cut off. ' +
        'Fix in the mappings: "materials": { "Flat Bar 1/2\\" x": "<material key>" } or "ignore": [ "Flat Bar 1/2\\" x" ] (closest known keys: flat_bar_4x0.5, flat_bar_1x0.5)',
      '  2" SQ TUBE — d.json:2 (84 per piece, no date): a price per piece (84) with no stick length. Fix the record, or skip it in the mappings: "ignore": [ "2\\" SQ TUBE" ]',
      '  a.json:3: material_type is missing',
      '  c.json: is not valid JSON: Unexpected end of JSON input',
      'Warnings (1):',
      '  an undated price became current',
      'Price history: 3 new observations from 4 prices read',
      'Loaded 2 material prices, 1 already current',
      'Loaded 1 labor actuals, 0 already current',
      'Rejected 5 records',
      'Warnings: 1',
    ]);
    expect(exitCodeOf(report)).toBe(2);
    const json = reportAsJson(report);
    expect(json.rejects[4].fixes).toEqual([{ ignore: ['2" SQ TUBE'] }]);
    expect(json.counts).toEqual({
      material_prices: { loaded: 2, already_current: 1, new_observations: 3, read: 4, ignored: 0 },
      labor_actuals: { loaded: 1, already_current: 0 },
      rejected: 5,
      warnings: 1,
    });
    expect(json.rejects[0]).toEqual({
      file: 'a.json',
      record: 1,
      line: null,
      field: 'material',
      description: 'Flat Bar 1/2" x',
      price: '5.6 per foot',
      date: '2023-09-05',
      reason: 'the description stops at "x": it was cut off',
      fixes: [{ materials: { 'Flat Bar 1/2" x': '<material key>' } }, { ignore: ['Flat Bar 1/2" x'] }],
      closest_keys: ['flat_bar_4x0.5', 'flat_bar_1x0.5'],
    });
  });

  it('says what a dry run would load', () => {
    const lines = formatReport({
      ...emptyReport({ ...load, dryRun: true }),
      prices: { loaded: 5, alreadyCurrent: 2, newObservations: 5, entries: 7, ignored: 1 },
    });
    expect(lines[0]).toBe('Dry run: nothing is written. Loading data/raw into the shared baseline');
    expect(lines).toContain('Would load 5 material prices, 2 already current');
    expect(lines).toContain('Would load 0 labor actuals, 0 already current');
    expect(lines).toContain('Ignored 1 price the mappings say to skip');
    expect(lines.some((line) => line.startsWith('Loaded'))).toBe(false);
  });

  describe('bounds', () => {
    const reject = (record: number, reason: string, offer: ReturnType<typeof offerOf> | null = null) => ({
      file: 'many.csv',
      record,
      line: record + 1,
      reason,
      offer,
    });
    const offerOf = offer;

    it('lists the first 500 rejects and 500 warnings, counts the rest by reason or kind, and keeps every total exact', () => {
      const report = emptyReport(load);
      const builder = new LoadReportBuilder(report);
      for (let record = 1; record <= 700; record++)
        builder.addReject(reject(record, `price_per_foot must be more than 0 (got -${record})`));
      for (let record = 701; record <= 1200; record++)
        builder.addReject(reject(record, `price_per_foot must be a number (got the text "abc${record}")`));
      for (let index = 0; index < 600; index++)
        builder.addWarning({
          kind: 'unknown_key_family',
          material_type: `widget_${index}`,
          message: `widget_${index} is of no known shape family`,
        });

      expect(report.rejects).toHaveLength(500);
      expect(report.warnings).toHaveLength(500);
      expect(exitCodeOf(report)).toBe(2);
      const lines = formatReport(report);
      expect(lines).toContain('Rejected 1200 records, the first 500 listed (500 items):');
      expect(lines).toContain('  500 more records: price_per_foot must be a number (got the text "…")');
      expect(lines).toContain('  200 more records: price_per_foot must be more than # (got -#)');
      expect(lines).toContain('Warnings (600):');
      expect(lines).toContain('  100 more warnings: unknown_key_family');
      expect(lines.slice(-2)).toEqual(['Rejected 1200 records', 'Warnings: 600']);
      expect(lines.length).toBeLessThan(1020);

      const json = reportAsJson(report);
      expect(json.counts).toMatchObject({ rejected: 1200, warnings: 600 });
      expect(json.rejects).toHaveLength(500);
      expect(json.rejects_omitted).toEqual([
        { reason: 'price_per_foot must be a number (got the text "…")', count: 500 },
        { reason: 'price_per_foot must be more than # (got -#)', count: 200 },
      ]);
      expect(json.warnings_omitted).toEqual([{ kind: 'unknown_key_family', count: 100 }]);
    });

    it(`counts rejects of more than 100 different reasons past the list under ${OTHER_REASONS}`, () => {
      const report = emptyReport(load);
      const builder = new LoadReportBuilder(report);
      const word = (index: number) => [...index.toString(26)].map((digit) => String.fromCharCode(97 + parseInt(digit, 26))).join('');
      for (let record = 1; record <= 650; record++) builder.addReject(reject(record, `no known format has the field ${word(record)}`));

      const omitted = reportAsJson(report).rejects_omitted;
      expect(omitted).toHaveLength(101);
      expect(omitted[0]).toEqual({ reason: OTHER_REASONS, count: 50 });
      expect(omitted.reduce((total, { count }) => total + count, 0)).toBe(150);
    });

    it('cuts what a reject quotes and keeps its JSON under the byte bound, counting what no longer fits', () => {
      const report = emptyReport(load);
      const builder = new LoadReportBuilder(report);
      const description = '\u0001'.repeat(512);
      for (let record = 1; record <= 500; record++)
        builder.addReject(reject(record, `it names no shape`, offerOf(description, '3.45 per foot', '\u0002'.repeat(5000))));
      for (let index = 0; index < 2500; index++)
        builder.addChange({
          material_type: `widget_${index}`,
          supplier: '\u0003'.repeat(128),
          unit: 'foot',
          old: null,
          new: { price: 3.45, price_date: '2025-01-01' },
        });

      const json = reportAsJson(report);
      expect(Buffer.byteLength(JSON.stringify(json))).toBeLessThanOrEqual(REPORT_JSON_MAX_BYTES);
      expect(json.counts.rejected).toBe(500);
      expect(json.rejects.length).toBeGreaterThan(0);
      expect(json.rejects.length + json.rejects_omitted.reduce((total, { count }) => total + count, 0)).toBe(500);
      expect(json.rejects_omitted).toEqual([{ reason: 'it names no shape', count: 500 - json.rejects.length }]);
      expect(json.changes.length + json.changes_omitted).toBe(2500);
      expect(json.rejects[0]).toMatchObject({
        description: `${'\u2401'.repeat(80)}… (432 more characters)`,
        date: `${'\u2402'.repeat(80)}… (4,920 more characters)`,
        fixes: [{ materials: { [description]: '<material key>' } }, { ignore: [description] }],
      });
      // A description longer than a mapping may hold has no fix.
      const tooLong = emptyReport(load);
      new LoadReportBuilder(tooLong).addReject(reject(1, 'it names no shape', offerOf('x'.repeat(513), '3.45 per foot', null)));
      expect(reportAsJson(tooLong).rejects[0].fixes).toEqual([]);
      expect(formatReport(tooLong)).toContainEqual(
        expect.stringMatching(/ \(433 more characters\) — many\.csv:1 .*: it names no shape\. Fix the record$/),
      );
    });
  });

  it('says when there was nothing to load and exits 0', () => {
    const report = { ...emptyReport(load), nothingToLoad: 'no .json files in data/raw' };
    expect(formatReport(report)).toContain('Nothing to load: no .json files in data/raw');
    expect(formatReport(report)).toContain('Loaded 0 material prices, 0 already current');
    expect(exitCodeOf(report)).toBe(0);
  });
});

describe('seed progress line', () => {
  const stream = (isTTY: boolean) => ({
    isTTY,
    written: [] as string[],
    write(text: string) {
      this.written.push(text);
    },
  });

  it('stays quiet on a short run and draws, spaced out, once the run is long', () => {
    let now = 0;
    const terminal = stream(true);
    const line = new ProgressLine(terminal, () => now, 2000, 250);
    line.update('early');
    now = 2000;
    line.update('late');
    now = 2100;
    line.update('too soon');
    now = 2300;
    line.update('later');
    line.clear();
    expect(terminal.written).toEqual(['\r\x1b[2Klate', '\r\x1b[2Klater', '\r\x1b[2K']);
  });

  it('never draws on something that is not a terminal', () => {
    let now = 0;
    const pipe = stream(false);
    const line = new ProgressLine(pipe, () => now, 2000, 250);
    now = 10_000;
    line.update('long run');
    line.clear();
    expect(pipe.written).toEqual([]);
  });
});
