// Renders the results of bench/run.mjs as the generated part of BENCHMARKS.md. What follows GENERATED_END in the
// file (the analysis of the figures, written by people) is kept when the figures are regenerated.
import { existsSync, readFileSync } from 'node:fs';

import { ATTACK_WINDOW_SECONDS, PROBE_RATE, PROBE_SOCKETS } from './attacks.mjs';
import { median } from './lib.mjs';

export const GENERATED_END = '<!-- end of the figures written by `npm run bench`; the analysis below is kept across runs -->';

const GOALS = {
  me: 0.5,
  meVsNestReference: 0.7,
  logins: 0.8,
  healthP99Ms: 50,
  seederTimeRatio: 3,
  seederRssMb: 300,
  coldStartMs: 1000,
  embeddedFirstStartMs: 3000,
  embeddedRestartMs: 1500,
  idleRssPostgresMb: 120,
  idleRssEmbeddedMb: 300,
  revokedLetThrough: 0,
  attackMeP99Ratio: 5,
  attackPeakRssRatio: 2,
};

const number = (value, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value) => `${number(value, value < 10 ? 1 : 0)} ms`;
/** Server CPU time (user + system, from /proc) per answered request. */
const cpu = (result) => `${number(result.cpuMsPerRequest, 2)} ms CPU/request`;
const size = (bytes) => (bytes < 1e6 ? `${number(bytes / 1e3, 1)} kB` : `${number(bytes / 1e6, 1)} MB`);
const ratio = (value) => `${number(value, 2)}×`;
const verdict = (met) => (met ? 'met' : '**missed**');
const codes = (statusCodes) =>
  Object.entries(statusCodes)
    .map(([code, count]) => `${code}: ${number(count)}`)
    .join(', ');

export function renderReport(results) {
  const {
    machine,
    pgbench,
    hello,
    me,
    nestReference,
    meUncached,
    meWithHistory,
    revocations,
    quotes,
    quotesOneShop,
    logins,
    seeder,
    imports,
    coldStart,
  } = results;
  const meRatio = me.requestsPerSecond / pgbench.tps;
  const meVsNest = me.requestsPerSecond / nestReference.requestsPerSecond;
  const loginRatio = logins.login.requestsPerSecond / logins.rawVerifiesPerSecond;
  const coldPostgres = median(coldStart.postgres);
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${machine.date}; the whole run took ${number(results.totalSeconds)} s.`,
    `Every figure is measured in that one run on this machine, beside a reference measured in the same run.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.memory} RAM; load average (1 min) ${number(machine.loadAtStart, 2)} at the start, ${number(machine.loadAtEnd, 2)} at the end (the machine is shared)`,
    `- Node.js ${machine.node}`,
    `- ${machine.postgres}`,
    `- HTTP load: autocannon, ${results.connections} connections, ${results.loadSeconds} s per figure unless stated; the server runs with its defaults (pool of 10 connections) and LOG_LEVEL=warn.`,
    '',
    '## Goals',
    '',
    '| goal | measured | reference | ratio | target | |',
    '|---|---|---|---|---|---|',
    `| guarded read | GET /api/auth/me ${number(me.requestsPerSecond)} req/s | pgbench -S ${number(pgbench.tps)} tps | ${ratio(meRatio)} | ≥ ${GOALS.me}× | ${verdict(meRatio >= GOALS.me)} |`,
    `| guarded read beside a minimal Nest app | GET /api/auth/me ${number(me.requestsPerSecond)} req/s, ${cpu(me)} | the Nest reference ${number(nestReference.requestsPerSecond)} req/s, ${cpu(nestReference)} | ${ratio(meVsNest)} | ≥ ${GOALS.meVsNestReference}× | ${verdict(meVsNest >= GOALS.meVsNestReference)} |`,
    `| logins | ${number(logins.login.requestsPerSecond, 1)} logins/s | raw argon2.verify ${number(logins.rawVerifiesPerSecond, 1)}/s | ${ratio(loginRatio)} | ≥ ${GOALS.logins}× | ${verdict(loginRatio >= GOALS.logins)} |`,
    `| health under the login flood | p99 ${ms(logins.health.p99)} | — | — | ≤ ${GOALS.healthP99Ms} ms | ${verdict(logins.health.p99 <= GOALS.healthP99Ms)} |`,
    ...seederGoals(seeder),
    ...importGoals(imports, seeder),
    `| revoked sessions let through by another instance | ${number(revocations.letThrough)} of ${number(revocations.requests)} requests (worst delay ${ms(revocations.worstDelayMs)}) | — | — | ${GOALS.revokedLetThrough} | ${verdict(revocations.letThrough <= GOALS.revokedLetThrough)} |`,
    `| cold start on PostgreSQL | ${ms(coldPostgres)} (median of ${coldStart.postgres.length}) | — | — | ≤ ${number(GOALS.coldStartMs)} ms | ${verdict(coldPostgres <= GOALS.coldStartMs)} |`,
    ...embeddedStartGoals(coldStart),
    ...idleMemoryGoals(results.idleMemory),
    ...attackGoals(results.attacks),
    '',
    '## 1. Guarded read: GET /api/auth/me',
    '',
    '| | req/s | server CPU per request | p50 | p99 | max | responses |',
    '|---|---|---|---|---|---|---|',
    `| GET /api/auth/me (Nest, JWT guard answering from its cache, profile) | ${number(me.requestsPerSecond)} | ${cpu(me)} | ${ms(me.p50)} | ${ms(me.p99)} | ${ms(me.max)} | ${codes(me.statusCodes)} |`,
    `| the Nest reference (bench/nest-reference.mjs: Nest 12, Fastify, passport-jwt guard, profile from memory) | ${number(nestReference.requestsPerSecond)} | ${cpu(nestReference)} | ${ms(nestReference.p50)} | ${ms(nestReference.p99)} | ${ms(nestReference.max)} | ${codes(nestReference.statusCodes)} |`,
    `| the same with the cache off (AUTH_CACHE_SECONDS=0: the user and family read on every request) | ${number(meUncached.requestsPerSecond)} | | ${ms(meUncached.p50)} | ${ms(meUncached.p99)} | ${ms(meUncached.max)} | ${codes(meUncached.statusCodes)} |`,
    `| GET /api/auth/me of a shop with ${number(meWithHistory.families)} ended logins, statistics taken before them, the cache off | ${number(meWithHistory.requestsPerSecond)} | | ${ms(meWithHistory.p50)} | ${ms(meWithHistory.p99)} | ${ms(meWithHistory.max)} | ${codes(meWithHistory.statusCodes)} |`,
    `| bare Fastify hello world (own process, no database) | ${number(hello.requestsPerSecond)} | | ${ms(hello.p50)} | ${ms(hello.p99)} | ${ms(hello.max)} | ${codes(hello.statusCodes)} |`,
    `| \`pgbench -S\` (50 clients, -j 2, scale 10) | ${number(pgbench.tps)} tps | | average ${ms(pgbench.latencyAverageMs)} | | | |`,
    '',
    `/me is ${ratio(meVsNest)} of the Nest reference, ${ratio(meRatio)} of pgbench -S and ${ratio(me.requestsPerSecond / hello.requestsPerSecond)} of the bare route; the cache makes it ${ratio(me.requestsPerSecond / meUncached.requestsPerSecond)} of /me with the cache off. With the long history and the cache off it runs at ${ratio(meWithHistory.requestsPerSecond / meUncached.requestsPerSecond)} of /me with the cache off (the family is read by primary key).`,
    '',
    '### While another instance logs sessions out',
    '',
    '| sessions logged out one by one on the first instance | GET /api/auth/me on the second, 50 readers, every session in rotation | req/s | 200s for a session after its logout answered | worst delay |',
    '|---|---|---|---|---|',
    `| ${number(revocations.sessions)} | ${number(revocations.requests)} requests | ${number(revocations.requestsPerSecond)} | ${number(revocations.letThrough)} | ${ms(revocations.worstDelayMs)} |`,
    '',
    "A request counts against the cache when it was sent after the logout's 204 (the revocation committed) and was still answered 200; the worst delay is the longest time from that 204 to such a request.",
    '',
    '## 2. Write path: POST /api/quotes (each request with its own Idempotency-Key)',
    '',
    "| | req/s | p50 | p99 | responses | 201s found in the database | numbers unique | numbers beyond the shop's count |",
    '|---|---|---|---|---|---|---|---|',
    writeRow(`50 shops in rotation, ${results.loadSeconds} s`, quotes),
    writeRow(`one shop (its quote numbers serialise), ${results.loadSeconds / 2} s`, quotesOneShop),
    '',
    "Every 201 must name a stored quote, and each shop's quote numbers must be distinct and run 1..count without gaps.",
    '',
    '## 3. Logins under flood',
    '',
    '| | per second | p50 | p99 | max | responses |',
    '|---|---|---|---|---|---|',
    `| POST /api/auth/login, 50 connections | ${number(logins.login.requestsPerSecond, 1)} | ${ms(logins.login.p50)} | ${ms(logins.login.p99)} | ${ms(logins.login.max)} | ${codes(logins.login.statusCodes)} |`,
    `| GET /api/health, 1 connection, during the flood | ${number(logins.health.requestsPerSecond)} | ${ms(logins.health.p50)} | ${ms(logins.health.p99)} | ${ms(logins.health.max)} | ${codes(logins.health.statusCodes)} |`,
    `| raw argon2.verify of the stored hash (${logins.hashParameters}), 50 at a time, own process with npm start's environment | ${number(logins.rawVerifiesPerSecond, 1)} | | | | |`,
    '',
    'The login limits are raised by environment for this run (RATE_LIMIT_LOGIN_ACCOUNT, RATE_LIMIT_LOGIN_IP), so the flood measures hashing, not the limiter.',
    '',
    ...seederSection(seeder),
    ...importSection(imports),
    '## 5. Cold start: spawn to the first 200 from GET /api/health',
    '',
    '| database | median | runs |',
    '|---|---|---|',
    `| PostgreSQL server, migrated (MIGRATE_ON_START default: false) | ${ms(coldPostgres)} | ${coldStart.postgres.map(ms).join(', ')} |`,
    `| embedded default, fresh folder (creates the database and migrates) | ${ms(median(coldStart.embeddedFresh))} | ${coldStart.embeddedFresh.map(ms).join(', ')} |`,
    `| embedded default, existing folder | ${ms(median(coldStart.embeddedExisting))} | ${coldStart.embeddedExisting.map(ms).join(', ')} |`,
    '',
    ...idleMemorySection(results.idleMemory),
    ...attackSection(results.attacks, '7. '),
    GENERATED_END,
  ];
  return `${lines.join('\n')}\n${keptAnalysis()}`;
}

function embeddedStartGoals(coldStart) {
  const first = median(coldStart.embeddedFresh);
  const restart = median(coldStart.embeddedExisting);
  return [
    `| embedded first start | ${ms(first)} (median of ${coldStart.embeddedFresh.length}) | — | — | ≤ ${number(GOALS.embeddedFirstStartMs)} ms | ${verdict(first <= GOALS.embeddedFirstStartMs)} |`,
    `| embedded restart | ${ms(restart)} (median of ${coldStart.embeddedExisting.length}) | — | — | ≤ ${number(GOALS.embeddedRestartMs)} ms | ${verdict(restart <= GOALS.embeddedRestartMs)} |`,
  ];
}

function idleMemoryGoals(idle) {
  if (!idle) return [];
  return [
    `| idle RSS on PostgreSQL | ${number(idle.postgresMb)} MB | — | — | ≤ ${GOALS.idleRssPostgresMb} MB | ${verdict(idle.postgresMb <= GOALS.idleRssPostgresMb)} |`,
    `| idle RSS, embedded default | ${number(idle.embeddedMb)} MB | — | — | ≤ ${GOALS.idleRssEmbeddedMb} MB | ${verdict(idle.embeddedMb <= GOALS.idleRssEmbeddedMb)} |`,
  ];
}

function idleMemorySection(idle) {
  if (!idle) return [];
  return [
    '## 6. Idle memory: RSS of the server after start, one registration and one login',
    '',
    '| database | RSS |',
    '|---|---|',
    `| PostgreSQL server | ${number(idle.postgresMb)} MB |`,
    `| embedded default | ${number(idle.embeddedMb)} MB |`,
    '',
  ];
}

/** The figures of `node bench/run.mjs --only attacks`: its goals and its section, printed, BENCHMARKS.md left alone. */
export function renderAttackReport(results) {
  const { machine } = results;
  return [
    `# Work bounds under attack: \`node bench/run.mjs --only attacks\` on ${machine.date}, ${number(results.totalSeconds)} s`,
    '',
    `- Machine: ${machine.cpu}, ${machine.memory} RAM; Node.js ${machine.node}`,
    '',
    '| goal | measured | reference | ratio | target | |',
    '|---|---|---|---|---|---|',
    ...attackGoals(results.attacks),
    '',
    ...attackSection(results.attacks, ''),
  ].join('\n');
}

function attackGoals(attacks) {
  if (!attacks) return [];
  const rows = attacks.map(
    (attack) =>
      `| another shop's /me p99 during the attack: ${attack.label} | ${ms(attack.underAttack.p99)} | quiet p99 ${ms(attack.quiet.p99)} | ${ratio(attack.ratio)} | ≤ ${GOALS.attackMeP99Ratio}× | ${verdict(attack.ratio <= GOALS.attackMeP99Ratio)} |`,
  );
  for (const attack of attacks.filter((candidate) => candidate.worstUpload)) {
    const rssRatio = attack.peakRssMb / attack.idleRssMb;
    rows.push(
      `| peak RSS during the worst upload (${attack.label}) | ${number(attack.peakRssMb)} MB | idle ${number(attack.idleRssMb)} MB | ${ratio(rssRatio)} | ≤ ${GOALS.attackPeakRssRatio}× | ${verdict(rssRatio <= GOALS.attackPeakRssRatio)} |`,
    );
  }
  return rows;
}

function attackSection(attacks, numbering) {
  if (!attacks) return [];
  return [
    `## ${numbering}Work bounds under attack: another shop's GET /api/auth/me while one account attacks`,
    '',
    `Each shape runs on a server of its own (on PostgreSQL unless it says otherwise; the defaults, registrations unlimited). A worker thread asks GET /api/auth/me of another registered shop ${PROBE_RATE} times a second (at most ${PROBE_SOCKETS} at once), first for a quiet window of ${ATTACK_WINDOW_SECONDS} s, then from the attack's first request to its last answer; the attackers repeat their shape for at least ${ATTACK_WINDOW_SECONDS} s. A /me request is timed from the moment it was due, so a stall counts for every request due during it. Goal: /me p99 under attack ≤ ${GOALS.attackMeP99Ratio}× the quiet p99 of the same run.`,
    '',
    '| attack shape | /me quiet p50 / p99 | /me under attack p50 / p99 / max | p99 ratio | | attack window | attack requests and answers | slowest attack request | largest answer | server RSS idle → peak | machine load (1 min) at the start |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...attacks.map(
      (attack) =>
        `| ${attack.title} | ${ms(attack.quiet.p50)} / ${ms(attack.quiet.p99)} | ${ms(attack.underAttack.p50)} / ${ms(attack.underAttack.p99)} / ${ms(attack.underAttack.max)} | ${ratio(attack.ratio)} | ${verdict(attack.ratio <= GOALS.attackMeP99Ratio)} | ${number(attack.underAttack.seconds, 1)} s | ${number(attack.attacks.requests)}: ${codes(attack.attacks.statusCodes)} | ${number(attack.attacks.slowestSeconds, 2)} s | ${size(attack.attacks.largestAnswerBytes)} | ${number(attack.idleRssMb)} → ${number(attack.peakRssMb)} MB | ${number(attack.loadAverage, 1)} |`,
    ),
    '',
    ...attacks.flatMap(attackNotes),
    '',
  ];
}

/** What a shape's row cannot say: answers /me gave other than 200, the setup, the routes, the shop's import. */
function attackNotes(attack) {
  const notes = [];
  for (const [window, probe] of [
    ['quiet', attack.quiet],
    ['under attack', attack.underAttack],
  ]) {
    if (Object.keys(probe.statusCodes).some((code) => code !== '200')) notes.push(`/me ${window} answered ${codes(probe.statusCodes)}`);
  }
  if (attack.setup) notes.push(attack.setup);
  if (attack.byRoute)
    notes.push(
      `${number(attack.bodyMb, 2)} MB bodies; ${Object.entries(attack.byRoute)
        .map(([route, outcomes]) => `${route} ${codes(outcomes.statusCodes)}`)
        .join('; ')}`,
    );
  if (attack.shopImport)
    notes.push(
      `the registered shop's one-line import answered ${attack.shopImport.status} after ${number(attack.shopImport.seconds, 1)} s`,
    );
  if (attack.serverExited) notes.push('**the server exited during the attack**');
  return notes.length === 0 ? [] : [`- ${attack.label}: ${notes.join('; ')}.`];
}

function writeRow(label, run) {
  return `| ${label} | ${number(run.requestsPerSecond)} | ${ms(run.p50)} | ${ms(run.p99)} | ${codes(run.statusCodes)} | ${number(run.found)} of ${number(run.created)} | ${run.distinct_numbers === run.quotes ? 'yes' : '**no**'} | ${run.beyond_count} |`;
}

function seederGoals(seeder) {
  if (!seeder) return ['| seeder | not measured: dist/seed.js is missing | | | | |'];
  const timeRatio = seeder.seconds / seeder.copySeconds;
  return [
    `| seeder time | ${number(seeder.seconds, 2)} s | COPY ${number(seeder.copySeconds, 2)} s | ${ratio(timeRatio)} | ≤ ${GOALS.seederTimeRatio}× | ${verdict(timeRatio <= GOALS.seederTimeRatio)} |`,
    `| seeder memory | peak RSS ${number(seeder.maxRssMb)} MB | — | — | ≤ ${GOALS.seederRssMb} MB | ${verdict(seeder.maxRssMb <= GOALS.seederRssMb)} |`,
  ];
}

/** The import holds its answer to the seeder's own ratio to COPY, measured on the import's rows in this run. */
function importGoals(imports, seeder) {
  if (!imports || !seeder) return [];
  const importRatio = imports.seconds / imports.copySeconds;
  return [
    `| import through the API | ${number(imports.seconds, 2)} s | COPY ${number(imports.copySeconds, 2)} s | ${ratio(importRatio)} | ≤ ${GOALS.seederTimeRatio}× (the seeder's) | ${verdict(importRatio <= GOALS.seederTimeRatio)} |`,
  ];
}

function importSection(imports) {
  if (!imports) return [];
  return [
    `## 4b. Import through the API: ${number(imports.records)} canonical price records in one CSV file (${number(imports.fileMb, 1)} MB), ${number(imports.keys)} distinct keys`,
    '',
    '| | wall time | ratio to COPY | memory |',
    '|---|---|---|---|',
    `| POST /api/material-prices/imports (multipart upload to 201 with the report) | ${number(imports.seconds, 2)} s | ${ratio(imports.seconds / imports.copySeconds)} | server RSS ${number(imports.rssBeforeMb)} MB before, peak ${number(imports.peakMb)} MB |`,
    `| \`node dist/seed.js --dir …\` on the same file (spawn to exit) | ${number(imports.cliSeconds, 2)} s | ${ratio(imports.cliSeconds / imports.copySeconds)} | |`,
    `| COPY of the same rows (as above) | ${number(imports.copySeconds, 2)} s | 1.00× | |`,
    '',
    `The import loaded ${number(imports.loaded)} current prices (COPY: ${number(imports.expectedCurrent)}) and ${number(imports.history)} history rows.`,
    '',
  ];
}

function seederSection(seeder) {
  if (!seeder) return ['## 4. Seeder', '', 'Not measured in this run: dist/seed.js did not exist.', ''];
  return [
    '## 4. Seeder: 100,000 canonical price records, 10,000 distinct (material_type, supplier) keys, 10 files',
    '',
    '| | wall time | peak RSS | rows afterwards |',
    '|---|---|---|---|',
    `| \`node dist/seed.js --dir …\` (spawn to exit) | ${number(seeder.seconds, 2)} s | ${number(seeder.maxRssMb)} MB | ${number(seeder.current)} current prices, ${number(seeder.history)} history rows |`,
    `| COPY of the same rows (psql \\copy, one transaction: every observation into material_price_history, the latest per key into material_prices) | ${number(seeder.copySeconds, 2)} s | | ${number(seeder.expectedCurrent)} current prices, 100,000 history rows |`,
    '',
    `The seeder said: \`${seeder.summary}\`.`,
    '',
  ];
}

function keptAnalysis() {
  const path = new URL('../BENCHMARKS.md', import.meta.url);
  if (!existsSync(path)) return '';
  const previous = readFileSync(path, 'utf8');
  const at = previous.indexOf(GENERATED_END);
  return at === -1 ? '' : previous.slice(at + GENERATED_END.length).replace(/^\n/, '');
}
