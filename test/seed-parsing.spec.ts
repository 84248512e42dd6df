import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDate } from '../src/seed/dates';
import { ProgressLine } from '../src/seed/progress-line';
import { parseSeedArguments, SeedUsageError } from '../src/seed/seed-options';
import { describeReject, emptyReport, exitCodeOf, formatReport } from '../src/seed/seed-report';
import { readSourceFile } from '../src/seed/source-files';

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
    ['2024-02-30', ['iso'], /"2024-02-30" is not a real date/],
    ['2023-02-29', ['iso'], /not a real date/],
    ['13/1/2024', ['month/day/year'], /not a real date/],
    ['Jun 31, 2024', ['month name'], /not a real date/],
    ['Foo 3, 2024', ['month name'], /not a date in the form Jun 18, 2024/],
    ['03/15/2024', ['iso'], /not a date in the form YYYY-MM-DD/],
  ] as const)('rejects %s', (text, formats, problem) => {
    const parsed = parseDate(text, formats);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });
});

describe('seed arguments', () => {
  it('defaults to data/raw, a real run and the shared baseline', () => {
    expect(parseSeedArguments([])).toEqual({ directory: 'data/raw', dryRun: false, shopEmail: null });
  });

  it('reads every flag, in both spellings, past the -- that npm and nest pass', () => {
    expect(parseSeedArguments(['--', '--dir', 'in', '--dry-run', '--shop=Owner@Shop.com'])).toEqual({ directory: 'in', dryRun: true, shopEmail: 'Owner@Shop.com' });
    expect(parseSeedArguments(['--help'])).toBe('help');
  });

  it.each([[['--dir']], [['--dir', '--dry-run']], [['--shop=']], [['--dry-run=yes']], [['--force']], [['extra']]])('refuses %j', (argv) => {
    expect(() => parseSeedArguments(argv)).toThrow(SeedUsageError);
  });
});

describe('seed source files', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'seed-files-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const read = async (text: string) => {
    const path = join(folder, 'file.json');
    await writeFile(path, text);
    return readSourceFile(path);
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
});

describe('seed report', () => {
  const options = { directory: 'data/raw', dryRun: false, shopEmail: null };

  it('always prints the summary line, then the actuals and the rejects', () => {
    const report = {
      ...emptyReport(options),
      prices: { loaded: 2, alreadyCurrent: 1, newObservations: 3, entries: 4 },
      actuals: { loaded: 1, alreadyCurrent: 0 },
      rejects: [
        { file: 'a.json', locator: '3', reason: 'material_type is missing' },
        { file: 'b.json', locator: null, reason: 'is not valid JSON: Unexpected end of JSON input' },
      ],
    };
    const lines = formatReport(report);
    const summary = lines.indexOf('Loaded 2 material prices, 1 already current');
    expect(lines.slice(summary)).toEqual([
      'Loaded 2 material prices, 1 already current',
      'Loaded 1 labor actuals, 0 already current',
      'Rejected 2 records:',
      '  a.json:3: material_type is missing',
      '  b.json: is not valid JSON: Unexpected end of JSON input',
    ]);
    expect(exitCodeOf(report)).toBe(2);
    expect(describeReject(report.rejects[0])).toBe('a.json:3: material_type is missing');
  });

  it('says when there was nothing to load and exits 0', () => {
    const report = { ...emptyReport(options), nothingToLoad: 'no .json files in data/raw' };
    expect(formatReport(report)).toContain('Nothing to load: no .json files in data/raw');
    expect(formatReport(report)).toContain('Loaded 0 material prices, 0 already current');
    expect(exitCodeOf(report)).toBe(0);
  });
});

describe('seed progress line', () => {
  const stream = (isTTY: boolean) => ({ isTTY, written: [] as string[], write(text: string) { this.written.push(text); } });

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
