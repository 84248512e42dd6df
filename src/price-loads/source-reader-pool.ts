import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Piscina } from 'piscina';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import type { MappingEntry, MergedMappings } from '../material-prices/price-mappings';
import type { PriceDecision, PriceDecisionTask } from './current-price-decision';
import type { FileCandidates } from './price-reduction';
import type {
  FileEnd,
  MappingsFileReading,
  MappingsFileTask,
  MergeMappingsTask,
  ReadBatch,
  ReaderMessage,
  ReaderRequest,
  ReadTask,
} from './source-reader.worker';
import { SourceFileError } from './source-records';

/** The worker's script: bundled beside the entry scripts (scripts/build.mjs), or compiled beside its source (nest build). */
const BUNDLED_SCRIPT = join('bundle', 'source-reader.js');
const COMPILED_SCRIPT = join('price-loads', 'source-reader.worker.js');
/** Readings one thread interleaves: each spends most of its time waiting for the writes it feeds. */
const READINGS_PER_THREAD = 16;
/** A thread with nothing to read ends after this long; the pool starts one again when a file comes. */
const IDLE_THREAD_MS = 30_000;

export interface FileListener {
  onCandidates(candidates: FileCandidates): void;
  onEnd(end: FileEnd): void;
}

type LoadBalancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

@Injectable()
export class SourceReaderPool implements OnModuleDestroy {
  private pool: Piscina | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The listener hears of the file's candidates and its end, also of a break part-way, which then throws a SourceFileError. */
  async *read(
    file: ReadTask['file'],
    mappingEntries: readonly MappingEntry[],
    scope: ReadTask['scope'],
    listener: FileListener,
  ): AsyncGenerator<ReadBatch> {
    const pool = await this.poolOf();
    const { port1: port, port2: workerPort } = new MessageChannel();
    const task: ReadTask = {
      file: { name: file.name, path: file.path, format: file.format },
      mappingEntries,
      scope,
      limits: { xlsxMaxUncompressedBytes: this.config.prices.xlsxMaxUncompressedBytes },
      port: workerPort,
    };
    const inbox = new Inbox(port, pool.run(task, { transferList: [workerPort] }) as Promise<void>);
    try {
      for (let message = await inbox.next(); ; message = await inbox.next()) {
        if ('candidates' in message) {
          listener.onCandidates(message.candidates);
          continue;
        }
        if ('end' in message) {
          listener.onEnd(message.end);
          if (message.end.problem !== null) throw new SourceFileError(message.end.problem);
          return;
        }
        yield message.batch;
        port.postMessage('more' satisfies ReaderRequest);
      }
    } finally {
      port.close();
    }
  }

  async readMappingsFile(task: MappingsFileTask): Promise<MappingsFileReading> {
    const pool = await this.poolOf();
    return (await pool.run(task, { name: 'readMappingsFile' })) as MappingsFileReading;
  }

  async mergeMappings(task: MergeMappingsTask): Promise<MergedMappings> {
    const pool = await this.poolOf();
    return (await pool.run(task, { name: 'mergeMappings' })) as MergedMappings;
  }

  /** The files' candidates are transferred to the thread: the task is their last use. */
  async decideCurrentPrices(task: PriceDecisionTask): Promise<PriceDecision> {
    const pool = await this.poolOf();
    return (await pool.run(task, { name: 'decideCurrentPrices', transferList: task.files.map((file) => file.buffer) })) as PriceDecision;
  }

  async onModuleDestroy(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  private async poolOf(): Promise<Piscina> {
    if (this.pool) return this.pool;
    // Loaded with the first file read: most starts of the server read none.
    const { Piscina } = await import('piscina');
    const threads = this.config.prices.readThreads;
    this.pool ??= new Piscina({
      filename: findSourceReaderScript(),
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: IDLE_THREAD_MS,
      concurrentTasksPerWorker: READINGS_PER_THREAD,
      loadBalancer: idleThenNewThenLeastBusy(threads),
    });
    return this.pool;
  }
}

/** Beside the entry script that runs, then in dist/bundle/ of the working folder (Jest: a worker cannot run TypeScript). */
export function findSourceReaderScript(entryScript: string | undefined = process.argv[1], workingFolder = process.cwd()): string {
  const entryFolder = entryScript === undefined ? undefined : dirname(resolve(entryScript));
  const candidates = [
    ...(entryFolder === undefined ? [] : [join(entryFolder, BUNDLED_SCRIPT), join(entryFolder, COMPILED_SCRIPT)]),
    join(workingFolder, 'dist', BUNDLED_SCRIPT),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`The price file reader is not built (looked for ${candidates.join(', ')}): run "npm run build"`);
  return found;
}

// DECISION: piscina's own balancer fills a busy thread before it starts another, which would leave PRICE_READ_THREADS unused
// while readings wait for their writes: a reading goes to an idle thread, else a new one, else the least busy.
function idleThenNewThenLeastBusy(maxThreads: number): LoadBalancer {
  return (_task, workers) => {
    const idle = workers.find((worker) => worker.currentUsage === 0);
    if (idle !== undefined || workers.length < maxThreads) return idle ?? null;
    const leastBusy = workers.reduce((least, worker) => (worker.currentUsage < least.currentUsage ? worker : least), workers[0]);
    return leastBusy !== undefined && leastBusy.currentUsage < READINGS_PER_THREAD ? leastBusy : null;
  };
}

class Inbox {
  private readonly queued: ReaderMessage[] = [];
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(port: MessagePort, task: Promise<void>) {
    port.on('message', (message: ReaderMessage) => {
      this.queued.push(message);
      this.wake?.();
    });
    task.catch((error: unknown) => {
      this.failure = { error };
      this.wake?.();
    });
  }

  async next(): Promise<ReaderMessage> {
    while (this.queued.length === 0) {
      if (this.failure) throw this.failure.error;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.queued.shift()!;
  }
}
