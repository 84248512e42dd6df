import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

import { Logger } from '@nestjs/common';

import { isProcessRunning } from '../../common/process-running';
import type { AppConfig } from '../../config/app-config';
import { type EmbeddedImage, findEmbeddedImage } from './embedded-image';
import type { EmbeddedWorkerData, EmbeddedWorkerReport } from './embedded-postgres.worker';

export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

export const IN_MEMORY = 'memory://';

const HOST = '127.0.0.1';

// Beside the pool, the connection that listens for row changes.
const NOTIFICATION_CONNECTIONS = 1;

// Light to import (no TypeORM, no Nest core), so main.ts can start it before the app's modules load.
export function startEmbeddedPostgres(config: AppConfig): Promise<EmbeddedPostgres | null> {
  if (config.database.url) return Promise.resolve(null);
  return EmbeddedPostgres.start(config.database.embeddedDir, config.database.poolMax + NOTIFICATION_CONNECTIONS, findEmbeddedImage());
}

/** PGlite in a worker thread behind a loopback socket, reached with the same `pg` driver as a real server. */
export class EmbeddedPostgres {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private readonly exited: Promise<void>;
  private stopping = false;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly releaseLock: () => void,
    readonly endpoint: EmbeddedEndpoint,
  ) {
    this.exited = new Promise((resolveExit) => worker.once('exit', () => resolveExit()));
    worker.on('error', (error) => {
      if (this.stopping) this.failure = error;
      else this.logger.error(`The embedded database stopped: ${error.message}`);
    });
  }

  /** `maxConnections` must equal the pool's `max`: the socket server refuses connections beyond it. */
  static async start(dataDir: string, maxConnections: number, image?: EmbeddedImage): Promise<EmbeddedPostgres> {
    const inMemory = dataDir === IN_MEMORY;
    const releaseLock = inMemory ? () => undefined : lockDataDir(dataDir);
    try {
      const worker = startWorker({
        dataDir: inMemory ? IN_MEMORY : resolve(dataDir),
        maxConnections,
        host: HOST,
        image: inMemory ? undefined : image,
      });
      const port = await whenListening(worker, new Logger(EmbeddedPostgres.name));
      return new EmbeddedPostgres(worker, releaseLock, { host: HOST, port });
    } catch (error) {
      releaseLock();
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      if (!this.stopping) {
        this.stopping = true;
        this.worker.postMessage('close');
      }
      await this.exited;
      if (this.failure) throw this.failure;
    } finally {
      this.releaseLock();
    }
  }
}

function startWorker(data: EmbeddedWorkerData): Worker {
  // The young generation is held to 4 MB: by default V8 grows it under load and keeps it (about 25 MB more).
  const options = { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } };
  const script = workerScript();
  if (extname(script) !== '.ts') return new Worker(script, options);
  const source = JSON.stringify(script);
  const folder = JSON.stringify(dirname(script));
  return new Worker(
    `require(require.resolve('ts-node', { paths: [${folder}] })).register({ transpileOnly: true, projectSearchDir: ${folder} });
require(${source});`,
    { ...options, eval: true },
  );
}

/**
 * Found from this module's own stack frame (no __filename in Jest's ESM, no import.meta in the CommonJS build):
 * dist/compiled/database/embedded/, dist/bundle/ or src/database/embedded/, so tests run the worker of the sources they test.
 */
function workerScript(): string {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only put back as it was, never called here
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, callSites) => callSites;
  try {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder);
    const ownFile = (holder.stack as NodeJS.CallSite[])[0].getFileName();
    if (!ownFile) throw new Error('The embedded database cannot find its worker: this module has no file name');
    return join(dirname(ownFile), `embedded-postgres.worker${extname(ownFile)}`);
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

function whenListening(worker: Worker, logger: Logger): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let failure: Error | undefined;
    const onMessage = (report: EmbeddedWorkerReport) => {
      if ('warning' in report) {
        logger.warn(report.warning);
        return;
      }
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      resolvePort(report.listening);
    };
    const onError = (error: Error) => (failure = error);
    // Rejected once the thread has ended, so a folder's lock is released only after PGlite let go of it.
    const onExit = (code: number) =>
      reject(failure ?? new Error(`The embedded database's thread ended (exit code ${code}) before it listened`));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
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

function lockDataDir(dataDir: string): () => void {
  const absolute = resolve(dataDir);
  mkdirSync(dirname(absolute), { recursive: true });
  const lockPath = `${absolute}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockPath, { force: true });
      };
      // A process that exits without stopping the database ends its thread and lets go of the folder too.
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (isProcessRunning(owner) && owner !== process.pid) throw new DataDirInUseError(dataDir, owner);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}`);
}
