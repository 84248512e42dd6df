import { cpSync, existsSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

import type { PGlite } from '@electric-sql/pglite' with { 'resolution-mode': 'import' };

import type { EmbeddedImage } from './embedded-image';
import { PgliteWireServer } from './pglite-wire-server';

export interface EmbeddedWorkerData {
  /** An absolute folder, or PGlite's `memory://`. */
  dataDir: string;
  maxConnections: number;
  host: string;
  image?: EmbeddedImage;
}

export type EmbeddedWorkerReport = { listening: number } | { warning: string };

// PostgreSQL's default 128 MB of shared_buffers was a third of the idle process; 16 MB holds a trial shop's data.
const EXTRA_START_PARAMS = ['-c', 'shared_buffers=16MB'];

const port = parentPort!;
const report = (message: EmbeddedWorkerReport) => port.postMessage(message);

const data = workerData as EmbeddedWorkerData;
// PGlite fails with Emscripten's file system errors, plain objects: made an Error, the message says what failed.
void serve(data).catch((error: unknown) => {
  throw error instanceof Error ? error : new Error(`The embedded database could not open ${data.dataDir}: ${JSON.stringify(error)}`);
});

async function serve({ dataDir, maxConnections, host, image }: EmbeddedWorkerData): Promise<void> {
  const db = await openDatabase(dataDir, image);
  const server = new PgliteWireServer(db, maxConnections);
  port.once('message', () => void stop(db, server));
  report({ listening: await server.listen(host) });
}

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
