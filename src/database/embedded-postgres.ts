import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// The ESM declarations, as import() below loads PGlite.
import type { PGlite } from '@electric-sql/pglite' with { 'resolution-mode': 'import' };

import { PgliteWireServer } from './pglite-wire-server';

/** Where a PostgreSQL client reaches the embedded server. */
export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

/** PGlite's name for a database that lives in memory only (tests, benchmarks). */
export const IN_MEMORY = 'memory://';

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
   * PGlite runs one statement at a time anyway.
   */
  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const inMemory = dataDir === IN_MEMORY;
    const releaseLock = inMemory ? () => undefined : lockDataDir(dataDir);
    try {
      // Loaded here, not with the module: a server on DATABASE_URL never needs it.
      const { PGlite } = await import('@electric-sql/pglite');
      const db = new PGlite(inMemory ? IN_MEMORY : resolve(dataDir));
      await db.waitReady;
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
