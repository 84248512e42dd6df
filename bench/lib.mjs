import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { clearTimeout } from 'node:timers';

import autocannon from 'autocannon';
import pg from 'pg';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..');
export const SERVER_ENTRY = resolve(PROJECT_ROOT, 'dist/main.js');
export const SEED_ENTRY = resolve(PROJECT_ROOT, 'dist/seed.js');
export const JWT_SECRET = randomBytes(48).toString('base64url');
/**
 * The environment (`NAME=value` before node) and the node options of `npm start` (package.json), which every spawned
 * server runs with, as in production.
 */
export const { env: START_ENV, flags: START_FLAGS } = startCommand();
const CLOCK_TICKS_PER_SECOND = 100;

function startCommand() {
  const { scripts } = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8'));
  const words = scripts.start.split(/\s+/);
  const node = words.indexOf('node');
  const assignments = words.slice(0, node).filter((word) => /^[A-Z_]+=/.test(word));
  return {
    env: Object.fromEntries(assignments.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)])),
    flags: words.slice(node + 1, words.indexOf('dist/main.js')),
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * The environment of a child: this process's PATH and the like, without any database, Redis or embedded-folder
 * choice of the caller's shell, plus `env`.
 */
export function childEnv(env) {
  const { DATABASE_URL, REDIS_URL, PGLITE_DIR, MIGRATE_ON_START, ...inherited } = process.env;
  return { ...inherited, NO_COLOR: '1', ...env };
}

/**
 * Starts the built server and resolves once GET /api/health answers 200. `startupMs` runs from the spawn to that
 * first 200. `cwd` is a scratch folder, so no developer `.env` leaks in and the embedded default folder lands there.
 */
export async function startServer(env, cwd) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...START_FLAGS, SERVER_ENTRY], {
    cwd,
    env: childEnv({ ...START_ENV, JWT_SECRET, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const gaveUp = performance.now() + 60_000;
  while (performance.now() < gaveUp) {
    const status = await fetch(`${url}/api/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) {
      const startupMs = performance.now() - started;
      return { url, child, startupMs, stop: () => stopChild(child, exited) };
    }
    const exit = await Promise.race([exited, delay(5)]);
    if (exit) throw new Error(`server exited (${exit.code ?? exit.signal}) before answering 200`);
  }
  child.kill('SIGKILL');
  throw new Error('server did not answer 200 within 60 s');
}

async function stopChild(child, exited) {
  child.kill('SIGTERM');
  const exit = await Promise.race([exited, delay(10_000)]);
  if (!exit) child.kill('SIGKILL');
  await exited;
}

export function delay(ms) {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

/** Runs a command to completion and gives back its output; a non-zero exit is an error. */
export function run(command, args, options = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolveRun({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${stderr}${stdout}`));
    });
  });
}

/** autocannon with the options every run here shares; resolves with its result. */
export function load(options) {
  return autocannon({ connections: 50, duration: 10, ...options });
}

/** autocannon against the process `pid`, with the CPU time that process used per answered request. */
export async function loadWithCpu(pid, options) {
  const before = cpuMsOf(pid);
  const result = summarize(await load(options));
  return { ...result, cpuMsPerRequest: (cpuMsOf(pid) - before) / (result.ok + result.notOk) };
}

/** The figures of an autocannon result that the report shows. */
export function summarize(result) {
  const seconds = result.duration;
  return {
    requestsPerSecond: result['2xx'] / seconds,
    ok: result['2xx'],
    notOk: result.non2xx + result.errors + result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)])),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function postJson(url, body, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The nearest-rank percentile `p` (0–100) of `values`. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Resident and peak resident memory of a process, in MB, from /proc (Linux); undefined once it has exited. */
export function memoryOf(pid) {
  let status;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Sets a process's peak resident memory (VmHWM) back to its present RSS, so the peak of what follows can be read. */
export function resetPeakMemory(pid) {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * One HTTP request that never throws: resolves with the status code as text, or `closed` (the server cut the
 * connection), `timeout`, or the socket error's code; the answer is counted, not kept, so an answer of hundreds of
 * megabytes costs nothing here.
 */
export function send(url, { method = 'GET', headers = {}, body, agent, timeoutMs }) {
  return new Promise((resolveSend) => {
    const started = performance.now();
    let bytes = 0;
    let settled = false;
    const settle = (status) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveSend({ status: String(status), bytes, seconds: (performance.now() - started) / 1000 });
    };
    const sent = httpRequest(
      url,
      { method, agent, headers: body ? { 'content-length': body.length, ...headers } : headers },
      (response) => {
        response.on('data', (chunk) => (bytes += chunk.length));
        response.on('end', () => settle(response.statusCode));
        response.on('error', () => settle('closed'));
        response.on('close', () => settle(response.complete ? response.statusCode : 'closed'));
      },
    );
    sent.on('error', (error) => settle(['ECONNRESET', 'EPIPE'].includes(error.code) ? 'closed' : (error.code ?? 'error')));
    const timer = setTimeout(() => {
      settle('timeout');
      sent.destroy();
    }, timeoutMs);
    sent.end(body);
  });
}
