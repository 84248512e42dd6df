// The attack shapes of the work bounds (operations.md, "Work bounds"): what one account, a guest's included, may
// send to stall or exhaust the server. Each shape runs on a server of its own: another shop's GET /api/auth/me is
// probed for a quiet window, then again while the attack runs, and the p99s are compared; the server's resident
// memory is read before the attack and its peak during it. Attackers repeat their shape until the window has
// passed, bounded in requests and in time; every answer (4xx, 413, 408, a closed socket) is counted, none is fatal.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { Worker } from 'node:worker_threads';

import { delay, memoryOf, percentile, postJson, resetPeakMemory, send, startServer } from './lib.mjs';
import { generatePriceRecords, priceCsv } from './price-records.mjs';

/** The quiet window, and the least time each attack runs. */
export const ATTACK_WINDOW_SECONDS = 10;
/** The probe: GET /api/auth/me of another shop, this many a second, on at most this many sockets. */
export const PROBE_RATE = 100;
export const PROBE_SOCKETS = 16;
const PROBE_DRAIN_MS = 30_000;
/** No attack request is waited for longer; nor does one connection send more than this many. */
const ATTACK_REQUEST_TIMEOUT_MS = 150_000;
const ATTEMPTS_PER_CONNECTION = 1_000;

// MAPPINGS_MAX_ENTRIES' default: the merged chain is exactly at the cap.
const ALIAS_CHAIN = 5_000;
const CONTROL_FILES = 7;
const CONTROL_FILE_BYTES = 5_000_000;
const BODY_MEMBERS = 60_000;
const BODY_CONNECTIONS = 2;
const GUEST_PREVIEWS = 5;
const GUEST_ALIASES = 20_000;
/** When the registered shop sends its one-line import, after the guests' previews started. */
const SHOP_IMPORT_AFTER_MS = 1_000;
const IMPORT_RECORDS = 50_000;
const IMPORT_KEYS = 5_000;

const PASSWORD = 'bench password 0123456789';
const ONE_LINE_CSV = 'material_type,price_per_foot,supplier,date\nsq_tube_1x11ga,2.50,Supplier A,2024-01-02\n';
const IMPORTS = '/api/material-prices/imports';
const PREVIEWS = `${IMPORTS}?dry_run=true`;

/**
 * Each shape: `prepare` makes its accounts and bodies (outside the windows), `attack` runs it until `deadline` on
 * connections from `newConnection()` and gives back what its requests got.
 */
const SCENARIOS = {
  'alias-chain': {
    label: 'alias chain at the cap',
    title: `alias chain at the cap: a shop's preview merges ${ALIAS_CHAIN.toLocaleString('en-US')} supplier aliases into one chain`,
    async prepare(server, tag) {
      const shop = await register(server, `${tag}-shop`);
      // Stored for real: s1 -> s0, s3 -> s2, ...; the preview adds s2 -> s1, s4 -> s3, ...: one chain s5000 -> ... -> s0.
      const stored = await post(server, shop, IMPORTS, multipart([mappingsFile(chainLinks(1)), oneLineCsv()]), false);
      return { shop, storedStatus: stored.status, form: multipart([mappingsFile(chainLinks(2)), oneLineCsv()]) };
    },
    async attack(server, { shop, storedStatus, form }, deadline, newConnection) {
      const connection = newConnection();
      return {
        setup: `stored half of the chain: ${storedStatus}`,
        attacks: tally(await repeat(deadline, () => post(server, shop, PREVIEWS, form, connection))),
      };
    },
  },
  'control-chars': {
    label: `${CONTROL_FILES} × ${CONTROL_FILE_BYTES / 1e6} MB control-character preview`,
    title: `${CONTROL_FILES} × ${CONTROL_FILE_BYTES / 1e6} MB CSV files, each one cell of control characters, previewed by a guest`,
    worstUpload: true,
    async prepare(server) {
      // The price cell: a reject quotes a text that is not a number whole (material_type and the others are refused
      // past a length without being quoted).
      const [before, after] = ['material_type,price_per_foot,supplier,date\nsq_tube_1x11ga,', ',Supplier A,2024-01-02\n'];
      const content = Buffer.concat([
        Buffer.from(before),
        Buffer.alloc(CONTROL_FILE_BYTES - before.length - after.length, 0x01),
        Buffer.from(after),
      ]);
      const files = Array.from({ length: CONTROL_FILES }, (_, index) => ({ name: `control-${index + 1}.csv`, content }));
      return { guest: await guest(server), form: multipart(files) };
    },
    async attack(server, { guest, form }, deadline, newConnection) {
      const connection = newConnection();
      return { attacks: tally(await repeat(deadline, () => post(server, guest, PREVIEWS, form, connection))) };
    },
  },
  'json-members': {
    label: `${BODY_MEMBERS.toLocaleString('en-US')}-member JSON bodies`,
    title: `JSON bodies of ${BODY_MEMBERS.toLocaleString('en-US')} object members from a guest, ${BODY_CONNECTIONS} connections: POST /api/quote-sessions (unknown property) and POST /api/quotes (inputs_json)`,
    async prepare(server) {
      const members = JSON.stringify(
        Object.fromEntries(Array.from({ length: BODY_MEMBERS }, (_, index) => [`key_${String(index).padStart(6, '0')}`, 1])),
      );
      const bodies = [
        { path: '/api/quote-sessions', body: Buffer.from(`{"job_type":"swing_gate","notes":${members}}`) },
        { path: '/api/quotes', body: Buffer.from(`{"job_type":"swing_gate","inputs_json":${members}}`) },
      ];
      return { guest: await guest(server), bodies };
    },
    async attack(server, { guest, bodies }, deadline, newConnection) {
      const outcomes = await Promise.all(
        Array.from({ length: BODY_CONNECTIONS }, (_, connectionIndex) => {
          const connection = newConnection();
          let sent = connectionIndex;
          return repeat(deadline, async () => {
            const { path, body } = bodies[sent++ % bodies.length];
            return { path, ...(await sendJson(server, guest, path, body, connection)) };
          });
        }),
      );
      const all = outcomes.flat();
      return {
        bodyMb: bodies[1].body.length / 1e6,
        attacks: tally(all),
        byRoute: Object.fromEntries(bodies.map(({ path }) => [path, tally(all.filter((outcome) => outcome.path === path))])),
      };
    },
  },
  'guest-previews': {
    label: `${GUEST_PREVIEWS} guest previews of ${GUEST_ALIASES.toLocaleString('en-US')} aliases`,
    title: `${GUEST_PREVIEWS} guests preview at once, each with a mappings.json of ${GUEST_ALIASES.toLocaleString('en-US')} supplier aliases; a registered shop imports one line meanwhile`,
    async prepare(server, tag) {
      const suppliers = Object.fromEntries(
        Array.from({ length: GUEST_ALIASES }, (_, index) => [`Alias ${index}`, `Supplier ${'ABCD'[index % 4]}`]),
      );
      const form = multipart([{ name: 'mappings.json', content: JSON.stringify({ suppliers }) }, oneLineCsv()]);
      const guests = [];
      for (let index = 0; index < GUEST_PREVIEWS; index++) guests.push(await guest(server));
      return { guests, form, shop: await register(server, `${tag}-shop`), shopForm: multipart([oneLineCsv()]) };
    },
    async attack(server, { guests, form, shop, shopForm }, deadline, newConnection) {
      const previews = guests.map((caller) => {
        const connection = newConnection();
        return repeat(deadline, () => post(server, caller, PREVIEWS, form, connection));
      });
      const shopImport = delay(SHOP_IMPORT_AFTER_MS).then(() => post(server, shop, IMPORTS, shopForm, newConnection()));
      const [outcomes, shopOutcome] = await Promise.all([Promise.all(previews), shopImport]);
      return { attacks: tally(outcomes.flat()), shopImport: { status: shopOutcome.status, seconds: shopOutcome.seconds } };
    },
  },
  'import-postgres': importScenario('PostgreSQL', 'PostgreSQL'),
  'import-embedded': { ...importScenario('the embedded database', 'embedded'), embedded: true },
};

export const ATTACK_NAMES = Object.keys(SCENARIOS);

function importScenario(database, short) {
  return {
    label: `${IMPORT_RECORDS / 1000}k-record import, ${short}`,
    title: `a registered shop imports ${IMPORT_RECORDS.toLocaleString('en-US')} records (one CSV file) on ${database}`,
    async prepare(server, tag) {
      const records = generatePriceRecords(IMPORT_RECORDS, IMPORT_KEYS);
      return { shop: await register(server, `${tag}-shop`), form: multipart([{ name: 'prices.csv', content: priceCsv(records) }]) };
    },
    async attack(server, { shop, form }, deadline, newConnection) {
      const connection = newConnection();
      return { attacks: tally(await repeat(deadline, () => post(server, shop, IMPORTS, form, connection))) };
    },
  };
}

/**
 * Runs the shapes named in `names`, each on a server of its own (on `databaseUrl`, or the embedded database in a
 * folder of `scratch`), and gives back their figures in that order.
 */
export async function runAttacks({ names, databaseUrl, scratch, runId, log }) {
  const results = [];
  for (const name of names) {
    const scenario = SCENARIOS[name];
    log(`attack ${name}: ${scenario.title}`);
    const database = scenario.embedded
      ? { PGLITE_DIR: join(mkdtempSync(join(scratch, 'attack-embedded-')), 'pglite') }
      : { DATABASE_URL: databaseUrl };
    const loadAverage = loadavg()[0];
    const server = await startServer({ ...database, MIGRATE_ON_START: 'true', RATE_LIMIT_REGISTER_IP: '1000000/1m' }, scratch);
    try {
      results.push({
        name,
        label: scenario.label,
        title: scenario.title,
        loadAverage,
        worstUpload: scenario.worstUpload === true,
        ...(await measure(server, scenario, `${runId}-${name}`)),
      });
    } finally {
      await server.stop();
    }
  }
  return results;
}

async function measure(server, scenario, tag) {
  const { pid } = server.child;
  const victim = await register(server, `${tag}-victim`);
  const context = await scenario.prepare(server, tag);
  const quiet = await probeWhile(server, victim, () => delay(ATTACK_WINDOW_SECONDS * 1000));
  const idleRssMb = memoryOf(pid).rssMb;
  const sampled = sampleMemory(pid);
  const peakReset = tryResetPeak(pid);
  // One connection per attacker, kept alive between its requests (the server may still close it), closed after.
  const connections = [];
  const newConnection = () => {
    connections.push(new Agent({ keepAlive: true, maxSockets: 1 }));
    return connections.at(-1);
  };
  let attack;
  const underAttack = await probeWhile(server, victim, async () => {
    try {
      attack = await scenario.attack(server, context, performance.now() + ATTACK_WINDOW_SECONDS * 1000, newConnection);
    } finally {
      for (const connection of connections) connection.destroy();
    }
  });
  const sampledPeakMb = sampled.stop();
  const peakMb = peakReset ? Math.max(memoryOf(pid)?.peakMb ?? 0, sampledPeakMb) : sampledPeakMb;
  return {
    quiet,
    underAttack,
    ratio: underAttack.p99 / quiet.p99,
    idleRssMb,
    peakRssMb: peakMb,
    serverExited: server.child.exitCode !== null || server.child.signalCode !== null,
    ...attack,
  };
}

/** GET /api/auth/me of `victim` from a worker thread of its own, for as long as `during` runs. */
async function probeWhile(server, victim, during) {
  const worker = new Worker(new URL('./me-probe.mjs', import.meta.url), {
    workerData: {
      url: `${server.url}/api/auth/me`,
      accessToken: victim.accessToken,
      ratePerSecond: PROBE_RATE,
      maxSockets: PROBE_SOCKETS,
      drainMs: PROBE_DRAIN_MS,
      warmUpRequests: 20,
    },
  });
  try {
    await once(worker, 'message');
    try {
      await during();
    } finally {
      worker.postMessage('stop');
    }
    const [{ seconds, latencies, statusCodes }] = await once(worker, 'message');
    return {
      seconds,
      requests: latencies.length,
      statusCodes,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
    };
  } finally {
    await worker.terminate();
  }
}

/** The highest RSS read every 100 ms until `stop()`: the peak when /proc cannot reset VmHWM, or the process died. */
function sampleMemory(pid) {
  let peakMb = 0;
  const timer = setInterval(() => (peakMb = Math.max(peakMb, memoryOf(pid)?.rssMb ?? 0)), 100);
  return {
    stop() {
      clearInterval(timer);
      return peakMb;
    },
  };
}

function tryResetPeak(pid) {
  try {
    resetPeakMemory(pid);
    return true;
  } catch {
    return false;
  }
}

/** Runs `attempt` again and again on one connection until `deadline`, at least once, at most ATTEMPTS_PER_CONNECTION times. */
async function repeat(deadline, attempt) {
  const outcomes = [];
  do outcomes.push(await attempt());
  while (performance.now() < deadline && outcomes.length < ATTEMPTS_PER_CONNECTION);
  return outcomes;
}

/** How many requests got each answer, the slowest, and the largest answer. */
function tally(outcomes) {
  const statusCodes = {};
  for (const { status } of outcomes) statusCodes[status] = (statusCodes[status] ?? 0) + 1;
  return {
    requests: outcomes.length,
    statusCodes,
    slowestSeconds: Math.max(...outcomes.map((outcome) => outcome.seconds)),
    largestAnswerBytes: Math.max(...outcomes.map((outcome) => outcome.bytes)),
  };
}

async function register(server, label) {
  const tokens = await postJson(`${server.url}/api/auth/register`, { email: `${label}@example.com`, password: PASSWORD });
  return { accessToken: tokens.access_token };
}

async function guest(server) {
  const tokens = await postJson(`${server.url}/api/auth/guest`, {});
  return { accessToken: tokens.access_token };
}

function chainLinks(first) {
  const suppliers = {};
  for (let index = first; index <= ALIAS_CHAIN; index += 2) suppliers[`s${index}`] = `s${index - 1}`;
  return suppliers;
}

function mappingsFile(suppliers) {
  return { name: 'mappings.json', content: JSON.stringify({ suppliers }) };
}

function oneLineCsv() {
  return { name: 'one-line.csv', content: ONE_LINE_CSV };
}

/** A multipart/form-data body of `files`, built once and sent as often as an attack needs. */
function multipart(files) {
  const boundary = `bench-${randomBytes(12).toString('hex')}`;
  const parts = files.flatMap(({ name, content }) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

function post(server, caller, path, form, agent) {
  return send(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${caller.accessToken}`, 'content-type': form.contentType },
    body: form.body,
    agent,
    timeoutMs: ATTACK_REQUEST_TIMEOUT_MS,
  });
}

function sendJson(server, caller, path, body, agent) {
  return post(server, caller, path, { body, contentType: 'application/json' }, agent);
}
