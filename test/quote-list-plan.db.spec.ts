import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../src/database/data-source-options';
import { type QuoteFilter, QuotesRepository } from '../src/quotes/quotes.repository';
import { insertUsers } from './support/factories';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const SHOP_QUOTES = 100_000;
const OTHER_SHOPS = 400;
const OTHER_SHOP_QUOTES = 1000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

// A shop with 100,000 quotes among 400 shops of 1,000: each filtered page (and its total) reads the shop's quotes through an
// index led by user_id, never the whole table; the common orders need no sort either.
describe('the plan of a filtered page of quotes', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: QuotesRepository;
  let shop: number;

  async function plan(statement: { text: string; values: unknown[] }): Promise<PlanNode[]> {
    const [
      {
        'QUERY PLAN': [root],
      },
    ] = await dataSource.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
    return nodesOf(root.Plan);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.config())).initialize();
    await dataSource.runMigrations();
    const [first, ...others] = await insertUsers(db, { count: OTHER_SHOPS + 1 });
    shop = first;
    await db.query(
      `INSERT INTO quotes (quote_number, user_id, job_type, status, project_description, created_at, updated_at, archived_at)
       SELECT 'Q' || $1 || '-' || lpad(n::text, 6, '0'), $1::int, (ARRAY['swing_gate', 'bollard', 'spiral_stair'])[1 + n % 3],
              (ARRAY['DRAFT', 'DRAFT', 'DRAFT', 'SENT', 'ACCEPTED', 'DECLINED'])[1 + n % 6]::quotestatus,
              'gate number ' || n, now() - n * interval '1 minute', now() - (n % 977) * interval '1 minute',
              CASE WHEN n % 50 = 0 THEN now() END
         FROM generate_series(1, $2::int) n`,
      [shop, SHOP_QUOTES],
    );
    await db.query(
      `INSERT INTO quotes (quote_number, user_id, job_type, status, created_at, updated_at)
       SELECT 'Q' || shop || '-' || lpad(n::text, 6, '0'), shop, 'bollard', 'DRAFT', now() - n * interval '1 minute', now()
         FROM unnest($1::int[]) shop, generate_series(1, $2::int) n`,
      [others, OTHER_SHOP_QUOTES],
    );
    await db.query('ANALYZE quotes');
    repository = new QuotesRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const sorted: [string, Partial<QuoteFilter>][] = [
    ['the default page', {}],
    ['a status', { status: 'SENT' }],
    ['oldest first', { sort: 'created_at' }],
    ['recently updated', { sort: '-updated_at' }],
    ['by quote number', { sort: 'quote_number' }],
    ['the archived quotes', { archived: true }],
  ];
  const filtered: [string, Partial<QuoteFilter>][] = [
    ['a job type, recently updated', { jobType: 'bollard', sort: '-updated_at' }],
    ['a week of creations', { createdFrom: new Date(Date.now() - 7 * 86_400_000), createdTo: new Date() }],
    ['words of the description', { q: 'gate 4711' }],
    ['a status and a job type, by number', { status: 'DECLINED', jobType: 'swing_gate', sort: '-quote_number' }],
  ];

  it.each([...sorted, ...filtered])('reads %s through an index of the shop, the total too', async (_case, filter) => {
    const statements = repository.quotePageStatements(shop, { archived: false, sort: '-created_at', ...filter }, 50, 0);
    for (const statement of [statements.page, statements.total]) {
      const nodes = await plan(statement);
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
      const indexes = nodes.filter((node) => node['Index Name'] !== undefined).map((node) => node['Index Name']);
      expect(indexes.length).toBeGreaterThan(0);
      for (const index of indexes) expect(index).toMatch(/^IDX_quotes_user_id/);
    }
  });

  it.each(sorted)('needs no sort for %s', async (_case, filter) => {
    const { page } = repository.quotePageStatements(shop, { archived: false, sort: '-created_at', ...filter }, 50, 0);
    const nodes = await plan(page);
    expect(nodes.filter((node) => node['Node Type'] === 'Sort')).toEqual([]);
    expect(nodes.filter((node) => node['Node Type'] === 'Index Scan')).toHaveLength(1);
  });

  it('finds the page it planned: one shop, the filter, the order', async () => {
    const page = await repository.pageOfQuotes(
      dataSource,
      shop,
      { archived: false, status: 'SENT', jobType: 'swing_gate', sort: '-created_at' },
      5,
      0,
    );
    expect(page.total).toBeGreaterThan(5);
    expect(page.items.map((quote) => [quote.userId, quote.status, quote.jobType])).toEqual(Array(5).fill([shop, 'SENT', 'swing_gate']));
    const created = page.items.map((quote) => quote.createdAt!.getTime());
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });
});
