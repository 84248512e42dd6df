// The embedded database's thread (EmbeddedPostgres starts it): PGlite and the wire server that serves it on a
// loopback port, so the statements it runs never hold the event loop that answers requests.
import { cpSync, existsSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

// The ESM declarations, as import() below loads PGlite.
import type { PGlite } from '@electric-sql/pglite' with { 'resolution-mode': 'import' };

import type { EmbeddedImage } from './embedded-image';
import { PgliteWireServer } from './pglite-wire-server';

/** What EmbeddedPostgres gives the worker. */
export interface EmbeddedWorkerData {
  /** An absolute folder, or PGlite's `memory://`. */
  dataDir: string;
  maxConnections: number;
  host: string;
  /** What a new folder starts as a copy of. */
  image?: EmbeddedImage;
}

/** What the worker tells EmbeddedPostgres: where it listens, or what it could not use. */
export type EmbeddedWorkerReport = { listening: number } | { warning: string };

/**
 * Added to PGlite's start parameters. PostgreSQL's default shared_buffers (128 MB) is allocated and touched inside
 * PGlite's WebAssembly memory at every start: it was a third of the idle process, for a database that holds a
 * trial shop's few MB. 16 MB keeps them all in memory with room.
 */
const EXTRA_START_PARAMS = ['-c', 'shared_buffers=16MB'];

const port = parentPort!;
const report = (message: EmbeddedWorkerReport) => port.postMessage(message);

const data = workerData as EmbeddedWorkerData;
// A failure ends the worker with an error, which EmbeddedPostgres reports (or start() rejects with). PGlite fails with
// Emscripten's file system errors, which are plain objects: made an Error, the message says what failed.
void serve(data).catch((error: unknown) => {
  throw error instanceof Error ? error : new Error(`The embedded database could not open ${data.dataDir}: ${JSON.stringify(error)}`);
});

async function serve({ dataDir, maxConnections, host, image }: EmbeddedWorkerData): Promise<void> {
  const db = await openDatabase(dataDir, image);
  const server = new PgliteWireServer(db, maxConnections);
  // The one message EmbeddedPostgres sends: close.
  port.once('message', () => void stop(db, server));
  report({ listening: await server.listen(host) });
}

/** Closes the server and the database (PGlite writes what it holds to the folder); the worker then has nothing left. */
async function stop(db: PGlite, server: PgliteWireServer): Promise<void> {
  await server.close();
  await db.close();
  port.close();
}

async function openDatabase(dataDir: string, image: EmbeddedImage | undefined): Promise<PGlite> {
  if (!image || !isAbsentOrEmpty(dataDir)) return open(dataDir);
  try {
    copyImage(image.folder, dataDir);
    return await open(dataDir);
  } catch (error) {
    // The image only saves time: without it the database is created as it always was.
    report({
      warning: `The embedded database image ${image.folder} could not be used (${error instanceof Error ? error.message : String(error)}); creating the database instead`,
    });
    rmSync(dataDir, { recursive: true, force: true });
    return open(dataDir);
  }
}

function isAbsentOrEmpty(folder: string): boolean {
  return !existsSync(folder) || readdirSync(folder).length === 0;
}

/** Copied beside and renamed into place, so an interrupted copy is never taken for a database. */
function copyImage(image: string, dataDir: string): void {
  const copying = `${dataDir}.copying`;
  rmSync(copying, { recursive: true, force: true });
  cpSync(image, copying, { recursive: true });
  if (existsSync(dataDir)) rmdirSync(dataDir);
  renameSync(copying, dataDir);
}

async function open(dataDir: string): Promise<PGlite> {
  // DECISION: PGlite's WebAssembly runs on V8's baseline compiler only (Liftoff) when the process is started with
  // --liftoff-only, as `npm start` and `npm run seed` are (package.json). By default V8 also recompiles PostgreSQL's
  // hot functions with TurboFan on background threads, which kept about 60 MB of code and compiler memory for the life
  // of the process and took CPU from the start-up; the embedded database's statements measured no slower without it
  // (they are dominated by the protocol round trips). The flag is process-wide (the app compiles no other WebAssembly
  // of weight) and cannot be given to this worker alone: a Worker's execArgv refuses V8 flags
  // (ERR_WORKER_INVALID_EXEC_ARGV) and its resourceLimits only size its heap; setting it from inside the process is
  // what Node documents as unpredictable.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(dataDir, { startParams: [...PGlite.defaultStartParams, ...EXTRA_START_PARAMS] });
  try {
    await db.waitReady;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}
