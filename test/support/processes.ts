import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// Only what a process needs to run: none of the app's settings that the shell of the test run may hold
// (DATABASE_URL, JWT_SECRET, REDIS_URL, ...), so each child is configured by its test alone.
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
// A child that should have exited but did not is ended, so a wrong expectation fails instead of hanging.
const RUN_TIMEOUT_MS = 120_000;

export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    INHERITED.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]),
  );
  return { ...inherited, NO_COLOR: '1', LOG_LEVEL: 'log', ...env };
}

/** Runs a built entry point (`dist/<script>`) to completion. */
export function runBuilt(script: string, args: string[], env: Record<string, string>, cwd = process.cwd()): Promise<Finished> {
  return runNode(resolve('dist', script), args, env, cwd);
}

/** Runs a Node.js script to completion with the node running the tests. */
export function runNode(script: string, args: string[], env: Record<string, string>, cwd = process.cwd()): Promise<Finished> {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: childEnv(env) });
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return finished(child).finally(() => clearTimeout(timer));
}

export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/** A spawned server: where it listens, its process, what it has printed so far and what it printed once it exits. */
export interface Server {
  url: string;
  child: ChildProcess;
  printed: () => string;
  exit: Promise<Finished>;
}

/** The built server (dist/main.js) on a free port; resolves once it listens. */
export async function startServer(env: Record<string, string>, cwd = process.cwd()): Promise<Server> {
  const child = spawn(process.execPath, [resolve('dist/main.js')], { cwd, env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }) });
  const exit = finished(child);
  let seen = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout?.on('data', (chunk) => {
      seen += chunk;
      const match = /Listening on (http:\/\/\S+)/.exec(seen);
      if (match) resolveUrl(match[1]);
    });
    void exit.then((result) => reject(new Error(`server exited with ${result.code}: ${result.stderr}${result.stdout}`)));
  });
  return { url, child, printed: () => seen, exit };
}

/**
 * Stops a server started by startServer (SIGTERM) and waits for it to exit; one that ignores SIGTERM is killed
 * after RUN_TIMEOUT_MS. Safe when it never started.
 */
export function stopServer(server: Server): Promise<Finished>;
export function stopServer(server: Server | undefined): Promise<Finished | undefined>;
export async function stopServer(server: Server | undefined): Promise<Finished | undefined> {
  if (!server) return undefined;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return server.exit.finally(() => clearTimeout(timer));
}
