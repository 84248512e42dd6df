// `npm run bench`: measures the API and the seeder on this machine, each figure beside a reference measured in
// the same run, and writes BENCHMARKS.md. Needs a PostgreSQL server (BENCH_DATABASE_URL, else DATABASE_URL, else
// the local default below) and the built server (dist/). Every load is bounded in time; the whole run takes a few
// minutes. Throwaway databases and folders are removed at the end.
// `node bench/run.mjs --only attacks` runs only the attack shapes (bench/attacks.mjs), `--only attacks=NAME,NAME`
// some of them, and prints their figures instead of writing BENCHMARKS.md. `--only workbook` imports 50,000 records
// as an .xlsx workbook and as the same rows in CSV, and prints both times; `--only logins`, `--only cold-start` and
// `--only idle-memory` run that section of the whole run on a database of their own and print its figures as JSON.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

import { ATTACK_NAMES, runAttacks } from './attacks.mjs';
import {
  childEnv,
  JWT_SECRET,
  load,
  loadWithCpu,
  memoryOf,
  postJson,
  PROJECT_ROOT,
  run,
  SEED_ENTRY,
  START_ENV,
  START_FLAGS,
  startServer,
  summarize,
  withClient,
} from './lib.mjs';
import { generatePriceRecords, priceCsv, writePriceFiles } from './price-records.mjs';
import { renderAttackReport, renderReport } from './report.mjs';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOAD_SECONDS = 10;
const CONNECTIONS = 50;
const SEED_RECORDS = 100_000;
const SEED_KEYS = 10_000;
const SEED_FILES = 10;
const COLD_STARTS = 3;
// Ended logins of one shop for the guarded read with a long history (a shop that logs in daily for years).
const HISTORY_FAMILIES = 5_000;
// Sessions logged out one by one on one instance while another serves their access tokens.
const REVOKED_SESSIONS = 200;
// One import at the API's default limit of records per import, as one CSV spreadsheet.
const IMPORT_RECORDS = 50_000;
const IMPORT_KEYS = 5_000;
// The login flood must measure hashing, not the brute-force limits; registering 50 shops must not hit 30/h.
const UNLIMITED = '1000000/1m';
const PASSWORD = 'bench password 0123456789';

const scratch = mkdtempSync(join(tmpdir(), 'cs-bench-'));
const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
const databases = [];

async function createDatabase(purpose) {
  const name = `cs_bench_${purpose}_${runId}`;
  await withClient(SERVER_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  databases.push(name);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function log(message) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function machine() {
  const [{ version }] = await withClient(SERVER_URL, async (client) => (await client.query('SELECT version()')).rows);
  const cores = cpus();
  return {
    cpu: `${cores.length} × ${cores[0].model.trim()}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    postgres: version,
    date: new Date().toISOString(),
    // The machine is shared: its load when the run began, beside the figures (and at the end, in the report).
    loadAtStart: loadavg()[0],
  };
}

/** `pgbench -S`: single-row primary-key selects, 50 clients, straight on the server. */
async function pgbenchSelectOnly() {
  const url = await createDatabase('pgbench');
  await run('pgbench', ['-i', '-q', '-s', '10', url]);
  const { stdout } = await run('pgbench', ['-S', '-n', '-c', String(CONNECTIONS), '-j', '2', '-T', String(LOAD_SECONDS), url]);
  return {
    tps: Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)[1]),
    latencyAverageMs: Number(/latency average = ([\d.]+) ms/.exec(stdout)[1]),
  };
}

/** A bare Fastify route in a process of its own: what the HTTP stack alone allows. */
async function helloWorld() {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bench/hello-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolveUrl) => child.stdout.once('data', (chunk) => resolveUrl(String(chunk).trim())));
  try {
    return summarize(await load({ url: `${url}/hello` }));
  } finally {
    child.kill('SIGTERM');
  }
}

async function registerShops(server, count, prefix = 'bench') {
  const shops = [];
  for (let index = 0; index < count; index++) {
    const email = `${prefix}-${runId}-${index}@example.com`;
    const tokens = await postJson(`${server.url}/api/auth/register`, { email, password: PASSWORD });
    shops.push({ email, userId: tokens.user_id, accessToken: tokens.access_token });
  }
  return shops;
}

/** GET /api/auth/me: JWT verification, the guard's user load, the profile mapper. */
async function guardedRead(server, shop) {
  return loadWithCpu(server.child.pid, { url: `${server.url}/api/auth/me`, headers: { authorization: `Bearer ${shop.accessToken}` } });
}

/** The same request on bench/nest-reference.mjs (Nest, Fastify, a passport-jwt guard, a profile from memory). */
async function nestReference(shop) {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bench/nest-reference.mjs')], {
    env: { ...process.env, JWT_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolveUrl) => child.stdout.once('data', (chunk) => resolveUrl(String(chunk).trim())));
  try {
    return await loadWithCpu(child.pid, { url: `${url}/api/auth/me`, headers: { authorization: `Bearer ${shop.accessToken}` } });
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * GET /api/auth/me for a shop with a long history (HISTORY_FAMILIES ended logins) on statistics taken before that
 * history was written (autovacuum off on the two tables, so they stay stale): the guard must find the family by
 * primary key whatever the history, so this figure should match /me with the cache off.
 */
async function guardedReadWithHistory(server, databaseUrl, shop) {
  await withClient(databaseUrl, async (client) => {
    for (const table of ['refresh_families', 'auth_tokens']) {
      await client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
      await client.query(`ANALYZE ${table}`);
    }
    await client.query(
      `WITH family AS (
         INSERT INTO refresh_families (id, user_id, expires_at, revoked_at)
         SELECT gen_random_uuid(), $1, now() + interval '30 days', now() FROM generate_series(1, $2)
         RETURNING id, user_id, expires_at
       )
       INSERT INTO auth_tokens (user_id, token_hash, family_id, expires_at, revoked_at)
       SELECT user_id, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), id, expires_at, now() FROM family`,
      [shop.userId, HISTORY_FAMILIES],
    );
  });
  return { families: HISTORY_FAMILIES, ...(await guardedRead(server, shop)) };
}

/**
 * GET /api/auth/me on a second instance while the first logs sessions out one after another. Readers ask with
 * every session's access token in rotation; a 200 for a request sent after its session's logout had answered (the
 * revocation committed) is a revoked session let through. Reported: how many, and the longest such delay.
 */
async function revocationsUnderLoad(first, second, shop) {
  const sessions = [];
  for (let index = 0; index < REVOKED_SESSIONS; index++) {
    const tokens = await postJson(`${first.url}/api/auth/login`, { email: shop.email, password: PASSWORD });
    sessions.push({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, revokedAt: Infinity });
  }
  let revoking = true;
  let requests = 0;
  let letThrough = 0;
  let worstDelayMs = 0;
  const reader = async (offset) => {
    for (let index = offset; revoking; index += CONNECTIONS) {
      const session = sessions[index % sessions.length];
      const sent = performance.now();
      const response = await fetch(`${second.url}/api/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
      await response.arrayBuffer();
      requests++;
      if (response.status === 200 && sent > session.revokedAt) {
        letThrough++;
        worstDelayMs = Math.max(worstDelayMs, sent - session.revokedAt);
      }
    }
  };
  const readers = Array.from({ length: CONNECTIONS }, (_, offset) => reader(offset));
  const started = performance.now();
  for (const session of sessions) {
    const response = await fetch(`${first.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: session.refreshToken }),
    });
    if (response.status !== 204) throw new Error(`logout answered ${response.status}`);
    session.revokedAt = performance.now();
  }
  revoking = false;
  await Promise.all(readers);
  const seconds = (performance.now() - started) / 1000;
  return { sessions: REVOKED_SESSIONS, requests, requestsPerSecond: requests / seconds, letThrough, worstDelayMs };
}

/**
 * POST /api/quotes with the requests spread over `shops` in rotation, each with its own Idempotency-Key as a client
 * sends one, then a check that every 201 is a stored quote and that each shop's numbers are unique and contiguous.
 */
async function writePath(server, databaseUrl, shops, seconds) {
  const createdIds = [];
  let next = 0;
  const result = await load({
    url: server.url,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/quotes',
        setupRequest: (request) => ({
          ...request,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${shops[next % shops.length].accessToken}`,
            'idempotency-key': `bench-${process.pid}-${next++}`,
          },
          body: JSON.stringify({ job_type: 'swing_gate', project_description: 'bench gate', inputs_json: { width_ft: 12 } }),
        }),
        onResponse: (status, body) => {
          if (status === 201) createdIds.push(JSON.parse(body).id);
        },
      },
    ],
  });
  const userIds = shops.map((shop) => shop.userId);
  const [stored] = await withClient(databaseUrl, async (client) => {
    const found = await client.query('SELECT count(*)::int AS n FROM quotes WHERE id = ANY($1::int[])', [createdIds]);
    const numbering = await client.query(
      `SELECT count(*)::int AS quotes, count(DISTINCT quote_number)::int AS distinct_numbers,
              count(*) FILTER (WHERE right(quote_number, 5)::int > per_shop.total)::int AS beyond_count
         FROM quotes JOIN (SELECT user_id, count(*) AS total FROM quotes GROUP BY user_id) per_shop USING (user_id)
        WHERE user_id = ANY($1::int[])`,
      [userIds],
    );
    return [{ found: found.rows[0].n, ...numbering.rows[0] }];
  });
  return { ...summarize(result), created: createdIds.length, ...stored };
}

/** 50 logins at a time for the load duration while one more client keeps asking GET /api/health. */
async function loginFlood(server, databaseUrl, shop) {
  const [login, health] = await Promise.all([
    load({
      url: `${server.url}/api/auth/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: shop.email, password: PASSWORD }),
    }),
    load({ url: `${server.url}/api/health`, connections: 1 }),
  ]);
  const [{ password_hash: hash }] = await withClient(
    databaseUrl,
    async (client) => (await client.query('SELECT password_hash FROM users WHERE id = $1', [shop.userId])).rows,
  );
  // Under npm start's allocator settings, as the server hashes.
  const { stdout } = await run(
    process.execPath,
    [resolve(PROJECT_ROOT, 'bench/argon2-verify.mjs'), hash, PASSWORD, String(LOAD_SECONDS), String(CONNECTIONS)],
    { env: { ...process.env, ...START_ENV } },
  );
  const raw = JSON.parse(stdout);
  return {
    login: summarize(login),
    health: summarize(health),
    rawVerifiesPerSecond: raw.verifies / raw.seconds,
    hashParameters: /\$argon2\w+\$v=\d+\$([^$]+)\$/.exec(hash)[1],
  };
}

const PRICE_COLUMNS = 'material_type, supplier, supplier_id, price_date, price_per_foot, source';

function csvLine(record, supplierId, source, ...extra) {
  return `${[record.material_type, record.supplier, supplierId, record.date, record.price_per_foot, source, ...extra].join(',')}\n`;
}

/**
 * The reference: the rows the seeder ends up with (every observation in the history, the latest one per key as the
 * current price), loaded with COPY in one transaction through psql.
 */
async function copyReference(databaseUrl, records) {
  const latest = new Map();
  for (const record of records) {
    const key = `${record.material_type}\u0000${record.supplier}`;
    if ((latest.get(key)?.date ?? '') < record.date) latest.set(key, record);
  }
  // The suppliers are records, which prices reference.
  const supplierIds = new Map([...new Set(records.map((record) => record.supplier))].map((name, index) => [name, index + 1]));
  const historyCsv = join(scratch, 'history.csv');
  const currentCsv = join(scratch, 'current.csv');
  writeFileSync(historyCsv, records.map((record) => csvLine(record, supplierIds.get(record.supplier), 'copy')).join(''));
  // A current price holds one unit's price and names that unit.
  writeFileSync(
    currentCsv,
    [...latest.values()].map((record) => csvLine(record, supplierIds.get(record.supplier), 'copy', 'foot')).join(''),
  );
  const script = join(scratch, 'copy.sql');
  writeFileSync(
    script,
    [
      'BEGIN;',
      `INSERT INTO suppliers (id, name, name_key) VALUES ${[...supplierIds].map(([name, id]) => `(${id}, '${name}', '${name.toLowerCase()}')`).join(', ')};`,
      `\\copy material_price_history (${PRICE_COLUMNS}) FROM '${historyCsv}' WITH (FORMAT csv)`,
      `\\copy material_prices (${PRICE_COLUMNS}, unit) FROM '${currentCsv}' WITH (FORMAT csv)`,
      'COMMIT;',
    ].join('\n'),
  );
  const started = performance.now();
  await run('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-f', script, databaseUrl]);
  const seconds = (performance.now() - started) / 1000;
  await withClient(databaseUrl, (client) => client.query('TRUNCATE material_price_history, material_prices, suppliers'));
  return { seconds, currentRows: latest.size };
}

/** dist/seed.js on the generated files, timed from spawn to exit, its peak RSS reported by a preloaded hook. */
async function seeder(databaseUrl) {
  const records = generatePriceRecords(SEED_RECORDS, SEED_KEYS);
  const dir = join(scratch, 'prices');
  writePriceFiles(dir, records, SEED_FILES);
  const copy = await copyReference(databaseUrl, records);
  const started = performance.now();
  const { stdout, stderr } = await run(
    process.execPath,
    [...START_FLAGS, '--require', resolve(PROJECT_ROOT, 'bench/report-max-rss.cjs'), SEED_ENTRY, '--dir', dir],
    {
      cwd: scratch,
      env: childEnv({ DATABASE_URL: databaseUrl, JWT_SECRET, LOG_LEVEL: 'warn' }),
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const [counts] = await withClient(
    databaseUrl,
    async (client) =>
      (
        await client.query(
          'SELECT (SELECT count(*) FROM material_prices)::int AS current, (SELECT count(*) FROM material_price_history)::int AS history',
        )
      ).rows,
  );
  return {
    seconds,
    maxRssMb: Number(/max-rss-kb (\d+)/.exec(stderr)[1]) / 1024,
    summary: /Loaded \d+ material prices, \d+ already current/.exec(stdout)?.[0] ?? stdout.trim().split('\n').pop(),
    copySeconds: copy.seconds,
    expectedCurrent: copy.currentRows,
    ...counts,
  };
}

/**
 * 50,000 records as one CSV file: uploaded to POST /api/material-prices/imports (request to answer, the server's
 * memory around it), loaded by the CLI seeder from the same file, and as COPY of the same rows, in this run.
 */
async function importThroughApi(databaseUrl) {
  const records = generatePriceRecords(IMPORT_RECORDS, IMPORT_KEYS);
  const csv = priceCsv(records);
  const dir = join(scratch, 'import');
  mkdirSync(dir);
  writeFileSync(join(dir, 'prices.csv'), csv);
  // The seeder's run above left its rows; each load here starts from empty tables.
  await withClient(databaseUrl, (client) => client.query('TRUNCATE material_price_history, material_prices, suppliers'));
  const copy = await copyReference(databaseUrl, records);

  const cliStarted = performance.now();
  await run(process.execPath, [...START_FLAGS, SEED_ENTRY, '--dir', dir], {
    cwd: scratch,
    env: childEnv({ DATABASE_URL: databaseUrl, JWT_SECRET, LOG_LEVEL: 'warn' }),
  });
  const cliSeconds = (performance.now() - cliStarted) / 1000;
  await withClient(databaseUrl, (client) => client.query('TRUNCATE material_price_history, material_prices, suppliers'));

  const server = await startServer({ DATABASE_URL: databaseUrl, RATE_LIMIT_REGISTER_IP: UNLIMITED }, scratch);
  try {
    const [shop] = await registerShops(server, 1, 'importer');
    const before = memoryOf(server.child.pid);
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'prices.csv');
    const started = performance.now();
    const response = await fetch(`${server.url}/api/material-prices/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shop.accessToken}` },
      body: form,
    });
    const seconds = (performance.now() - started) / 1000;
    const body = await response.json();
    if (response.status !== 201) throw new Error(`the import answered ${response.status}: ${JSON.stringify(body.message)}`);
    const after = memoryOf(server.child.pid);
    return {
      records: IMPORT_RECORDS,
      keys: IMPORT_KEYS,
      seconds,
      fileMb: Buffer.byteLength(csv) / (1024 * 1024),
      rssBeforeMb: before.rssMb,
      peakMb: after.peakMb,
      loaded: body.counts.material_prices.loaded,
      history: body.counts.material_prices.new_observations,
      cliSeconds,
      copySeconds: copy.seconds,
      expectedCurrent: copy.currentRows,
    };
  } finally {
    await server.stop();
  }
}

/** The same records as an .xlsx workbook (one sheet), written with exceljs's streaming writer. */
async function priceWorkbook(records, path) {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Prices');
  sheet.addRow(['material_type', 'price_per_foot', 'supplier', 'date']).commit();
  for (const record of records) sheet.addRow([record.material_type, record.price_per_foot, record.supplier, record.date]).commit();
  sheet.commit();
  await workbook.commit();
}

/** 50,000 records imported through the API as a workbook and as CSV, each into a shop of its own, CSV first. */
async function workbookImport(databaseUrl) {
  const records = generatePriceRecords(IMPORT_RECORDS, IMPORT_KEYS);
  const dir = join(scratch, 'workbook');
  mkdirSync(dir);
  const files = { csv: Buffer.from(priceCsv(records)), xlsx: null };
  await priceWorkbook(records, join(dir, 'prices.xlsx'));
  files.xlsx = readFileSync(join(dir, 'prices.xlsx'));
  const server = await startServer({ DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'true', RATE_LIMIT_REGISTER_IP: UNLIMITED }, scratch);
  try {
    const result = { records: IMPORT_RECORDS, loadBefore: loadavg()[0] };
    for (const format of ['csv', 'xlsx']) {
      const [shop] = await registerShops(server, 1, `workbook-${format}`);
      const form = new FormData();
      form.append('file', new Blob([files[format]]), `prices.${format}`);
      const started = performance.now();
      const response = await fetch(`${server.url}/api/material-prices/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shop.accessToken}` },
        body: form,
      });
      const body = await response.json();
      if (response.status !== 201) throw new Error(`the ${format} import answered ${response.status}: ${JSON.stringify(body.message)}`);
      result[format] = {
        seconds: (performance.now() - started) / 1000,
        fileMb: files[format].length / (1024 * 1024),
        loaded: body.counts.material_prices.loaded,
      };
    }
    result.ratio = result.xlsx.seconds / result.csv.seconds;
    result.loadAfter = loadavg()[0];
    return result;
  } finally {
    await server.stop();
  }
}

/** RSS of the server after it started and served one registration and one login, on PostgreSQL and embedded. */
async function idleMemory(databaseUrl) {
  const measure = async (env, cwd) => {
    const server = await startServer(env, cwd);
    try {
      const [shop] = await registerShops(server, 1, `idle-${Object.keys(env).length}`);
      await postJson(`${server.url}/api/auth/login`, { email: shop.email, password: PASSWORD });
      return memoryOf(server.child.pid).rssMb;
    } finally {
      await server.stop();
    }
  };
  return {
    postgresMb: await measure({ DATABASE_URL: databaseUrl }, scratch),
    embeddedMb: await measure({}, mkdtempSync(join(scratch, 'idle-embedded-'))),
  };
}

/** Spawn to first 200 from /api/health, `COLD_STARTS` times each; the embedded runs start on a fresh folder. */
async function coldStarts(databaseUrl) {
  const startOnce = async (env, cwd) => {
    const server = await startServer(env, cwd);
    await server.stop();
    return server.startupMs;
  };
  const postgres = [];
  const embeddedFresh = [];
  const embeddedExisting = [];
  for (let attempt = 0; attempt < COLD_STARTS; attempt++) {
    postgres.push(await startOnce({ DATABASE_URL: databaseUrl }, scratch));
    const folder = mkdtempSync(join(scratch, 'embedded-'));
    embeddedFresh.push(await startOnce({}, folder));
    embeddedExisting.push(await startOnce({}, folder));
  }
  return { postgres, embeddedFresh, embeddedExisting };
}

/** A database of its own, migrated, for a section run alone. */
async function migratedDatabase(purpose) {
  const databaseUrl = await createDatabase(purpose);
  const server = await startServer({ DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'true' }, scratch);
  await server.stop();
  return databaseUrl;
}

/** A migrated server whose login and registration limits do not get in the flood's way. */
const UNLIMITED_LOGINS = {
  MIGRATE_ON_START: 'true',
  RATE_LIMIT_LOGIN_ACCOUNT: UNLIMITED,
  RATE_LIMIT_LOGIN_ACCOUNT_IP: UNLIMITED,
  RATE_LIMIT_LOGIN_IP: UNLIMITED,
  RATE_LIMIT_REGISTER_IP: UNLIMITED,
};

/** The login flood of the whole run, on a server and a shop of its own. */
async function loginsAlone() {
  const databaseUrl = await createDatabase('logins');
  const server = await startServer({ DATABASE_URL: databaseUrl, ...UNLIMITED_LOGINS }, scratch);
  try {
    const [shop] = await registerShops(server, 1, 'logins');
    return await loginFlood(server, databaseUrl, shop);
  } finally {
    await server.stop();
  }
}

/** What `--only NAME` runs alone, printing its figures instead of writing BENCHMARKS.md. */
const SECTIONS = {
  workbook: async () => workbookImport(await createDatabase('workbook')),
  logins: loginsAlone,
  'cold-start': async () => coldStarts(await migratedDatabase('starts')),
  'idle-memory': async () => idleMemory(await migratedDatabase('idle')),
};

/** The attack shapes `--only attacks[=NAME,NAME]` asks for, or undefined for the whole run. */
function onlyAttacks(args) {
  const at = args.indexOf('--only');
  if (at === -1) return undefined;
  const [what, list] = (args[at + 1] ?? '').split('=');
  const names = list ? list.split(',') : ATTACK_NAMES;
  const unknown = names.filter((name) => !ATTACK_NAMES.includes(name));
  if (what !== 'attacks' || unknown.length > 0)
    throw new Error(
      `usage: node bench/run.mjs [--only attacks[=NAME,NAME] | --only ${Object.keys(SECTIONS).join(' | --only ')}]; attack shapes: ${ATTACK_NAMES.join(', ')}`,
    );
  return names;
}

async function attacks(names) {
  return runAttacks({ names, databaseUrl: await createDatabase('attacks'), scratch, runId, log });
}

async function main() {
  if (!existsSync(resolve(PROJECT_ROOT, 'dist/main.js'))) throw new Error('dist/main.js is missing: run `npx nest build` first');
  const started = performance.now();
  const [only, section] = process.argv.slice(2);
  if (only === '--only' && Object.hasOwn(SECTIONS, section)) {
    const results = { machine: await machine(), [section]: await SECTIONS[section]() };
    results.machine.loadAtEnd = loadavg()[0];
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  const attackNames = onlyAttacks(process.argv.slice(2));
  if (attackNames) {
    const results = { machine: await machine(), attacks: await attacks(attackNames) };
    results.totalSeconds = (performance.now() - started) / 1000;
    results.machine.loadAtEnd = loadavg()[0];
    console.log(renderAttackReport(results));
    return;
  }
  const results = { machine: await machine(), connections: CONNECTIONS, loadSeconds: LOAD_SECONDS };
  log(`machine: ${results.machine.cpu}, ${results.machine.memory}`);

  log('pgbench -S');
  results.pgbench = await pgbenchSelectOnly();
  log('bare Fastify hello world');
  results.hello = await helloWorld();

  const appDatabase = await createDatabase('app');
  const server = await startServer({ DATABASE_URL: appDatabase, ...UNLIMITED_LOGINS }, scratch);
  try {
    const shops = await registerShops(server, CONNECTIONS);
    // The reference and /me alternate, twice each, so both see the same load of the machine; the better run counts.
    const best = (runs) => runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const meRuns = [];
    const referenceRuns = [];
    for (let round = 1; round <= 2; round++) {
      log(`GET /api/auth/me (${round} of 2)`);
      meRuns.push(await guardedRead(server, shops[0]));
      log(`the Nest reference's GET /api/auth/me (${round} of 2)`);
      referenceRuns.push(await nestReference(shops[0]));
    }
    results.me = best(meRuns);
    results.nestReference = best(referenceRuns);
    log('GET /api/auth/me with the cache off, on a second instance');
    const uncached = await startServer({ DATABASE_URL: appDatabase, AUTH_CACHE_SECONDS: '0' }, scratch);
    try {
      results.meUncached = await guardedRead(uncached, shops[0]);
      log(`GET /api/auth/me of a shop with ${HISTORY_FAMILIES} ended logins, statistics stale, the cache off`);
      results.meWithHistory = await guardedReadWithHistory(uncached, appDatabase, shops[2]);
    } finally {
      await uncached.stop();
    }
    log(`GET /api/auth/me on a second instance while the first logs ${REVOKED_SESSIONS} sessions out`);
    const second = await startServer({ DATABASE_URL: appDatabase }, scratch);
    try {
      results.revocations = await revocationsUnderLoad(server, second, shops[3]);
    } finally {
      await second.stop();
    }
    log('POST /api/quotes, 50 shops');
    results.quotes = await writePath(server, appDatabase, shops, LOAD_SECONDS);
    log('POST /api/quotes, one shop');
    results.quotesOneShop = await writePath(server, appDatabase, shops.slice(0, 1), LOAD_SECONDS / 2);
    log('login flood and raw argon2.verify');
    results.logins = await loginFlood(server, appDatabase, shops[1]);
  } finally {
    await server.stop();
  }

  if (existsSync(SEED_ENTRY)) {
    log('seeder and COPY');
    results.seeder = await seeder(appDatabase);
    log('an import through the API, the CLI seeder and COPY');
    results.imports = await importThroughApi(appDatabase);
  } else {
    log('dist/seed.js is missing: the seeder is not measured');
  }

  log('cold starts');
  results.coldStart = await coldStarts(appDatabase);
  log('idle memory');
  results.idleMemory = await idleMemory(appDatabase);
  results.attacks = await attacks(ATTACK_NAMES);
  results.totalSeconds = (performance.now() - started) / 1000;
  results.machine.loadAtEnd = loadavg()[0];

  const report = renderReport(results);
  writeFileSync(resolve(PROJECT_ROOT, 'BENCHMARKS.md'), report);
  console.log(report);
}

async function cleanUp() {
  await withClient(SERVER_URL, async (client) => {
    for (const name of databases) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }).catch((error) => console.error(`could not drop the bench databases: ${error.message}`));
  rmSync(scratch, { recursive: true, force: true });
}

try {
  await main();
} finally {
  await cleanUp();
}
