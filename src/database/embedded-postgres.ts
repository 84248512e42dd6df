import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// The ESM declarations, as import() below loads PGlite.
import type { PGlite } from '@electric-sql/pglite' with { 'resolution-mode': 'import' };
import { Logger } from '@nestjs/common';

import type { EmbeddedImage } from './embedded-image';
import { PgliteWireServer } from './pglite-wire-server';

/** Where a PostgreSQL client reaches the embedded server. */
export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

/** PGlite's name for a database that lives in memory only (tests, benchmarks). */
export const IN_MEMORY = 'memory://';

/**
 * Added to PGlite's start parameters. PostgreSQL's default shared_buffers (128 MB) is allocated and touched inside
 * PGlite's WebAssembly memory at every start: it was a third of the idle process, for a database that holds a
 * trial shop's few MB. 16 MB keeps them all in memory with room.
 */
const EXTRA_START_PARAMS = ['-c', 'shared_buffers=16MB'];

/**
 * PostgreSQL embedded in this process (PGlite) behind a loopback socket, so the app talks to it with the same
 * `pg` driver and SQL as to a real server.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PgliteWireServer,
    private readonly releaseLock: () => void,
    readonly endpoint: EmbeddedEndpoint,
  ) {}

  /**
   * `maxConnections` must equal the client pool's `max`: the socket server refuses connections beyond it, and
   * PGlite runs one statement at a time anyway. A new folder (absent or empty) starts as a copy of `image` when
   * one is given, instead of being created by initdb.
   */
  static async start(dataDir: string, maxConnections: number, image?: EmbeddedImage): Promise<EmbeddedPostgres> {
    const inMemory = dataDir === IN_MEMORY;
    const releaseLock = inMemory ? () => undefined : lockDataDir(dataDir);
    try {
      const db = await openDatabase(inMemory ? IN_MEMORY : resolve(dataDir), image);
      const server = new PgliteWireServer(db, maxConnections);
      const port = await server.listen('127.0.0.1');
      return new EmbeddedPostgres(db, server, releaseLock, { host: '127.0.0.1', port });
    } catch (error) {
      releaseLock();
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.server.close();
      await this.db.close();
    } finally {
      this.releaseLock();
    }
  }
}

async function openDatabase(dataDir: string, image: EmbeddedImage | undefined): Promise<PGlite> {
  if (!image || dataDir === IN_MEMORY || !isAbsentOrEmpty(dataDir)) return open(dataDir);
  try {
    copyImage(image.folder, dataDir);
    return await open(dataDir);
  } catch (error) {
    // The image only saves time: without it the database is created as it always was.
    new Logger('EmbeddedPostgres').warn(
      `The embedded database image ${image.folder} could not be used (${error instanceof Error ? error.message : String(error)}); creating the database instead`,
    );
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
  // DECISION: PGlite's WebAssembly runs on V8's baseline compiler only (Liftoff). By default V8 also recompiles
  // PostgreSQL's hot functions with TurboFan on background threads, which kept about 60 MB of code and compiler
  // memory for the life of the process and took CPU from the start-up; the embedded database's statements measured
  // no slower without it (they are dominated by the protocol round trips). The flag is process-wide and read when a
  // module compiles, so it is set before PGlite's; the app compiles no other WebAssembly of weight.
  setFlagsFromString('--liftoff-only');
  // Loaded here, not with the module: a server on DATABASE_URL never needs it.
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

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database folder ${dataDir} is in use by another process (pid ${pid}). ` +
        'Stop that process, or point PGLITE_DIR at another folder, or set DATABASE_URL to use a PostgreSQL server.',
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Two processes opening one PGlite folder corrupt it, so a lock file beside the folder names its owner.
 * A lock left by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const absolute = resolve(dataDir);
  // PGlite does not create parent folders.
  mkdirSync(dirname(absolute), { recursive: true });
  const lockPath = `${absolute}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (isRunning(owner) && owner !== process.pid) throw new DataDirInUseError(dataDir, owner);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
