import { Inject, Injectable } from '@nestjs/common';

import { EventLoopSlices } from '../common/event-loop-slices';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService, type QueryRunner } from '../database/database.service';
import type { SqlClient } from '../database/sql-client';
import { closestKeys } from '../material-keys/closest-keys';
import { MaterialPricesRepository } from '../material-prices/material-prices.repository';
import { type MappingEntry, MappingLookup } from '../material-prices/price-mappings';
import { PriceMappingsRepository } from '../material-prices/price-mappings.repository';
import { SuppliersRepository } from '../material-prices/suppliers.repository';
import { QuotesRepository } from '../quotes/quotes.repository';
import { UsersRepository } from '../users/users.repository';
import { ActualWriter } from './actual-writer';
import { HistoricalActualsRepository } from './historical-actuals.repository';
import { type LoadReport, LoadReportBuilder, rejectCount } from './load-report';
import { LoadSlots } from './load-slots';
import { PriceLoadError, PriceLoadLimitError } from './price-load.error';
import { PriceWriter } from './price-writer';
import type { SourceFormat } from './source-files';
import { type FileListener, SourceReaderPool } from './source-reader-pool';
import { SourceFileError } from './source-records';

const BASELINE_CURRENCY = 'USD';
const PROGRESS_EVERY_RECORDS = 5000;

export interface LoadProgress {
  file: string;
  fileNumber: number;
  fileCount: number;
  records: number;
  runRecords: number;
  runRejects: number;
}

export interface LoadFile {
  name: string;
  path: string;
  format: SourceFormat;
}

export interface LoadPlan {
  report: LoadReport;
  shopId: number | null;
  files: LoadFile[];
  mappingEntries: MappingEntry[];
  /**
   * An import's terms: more records than `maxRecords` stop the load, and so does a file that cannot be read at
   * all (the seeder reports such a file and loads the others).
   */
  limits?: { maxRecords: number };
  /** A guest's preview: it waits for the one load slot all guests share. */
  guest?: boolean;
  onProgress?: (progress: LoadProgress) => void;
}

/** Writes what a load keeps of itself (an import's row): in its transaction before the commit; after a dry run's rollback. */
export type LoadRecorder<T> = (sql: SqlClient, report: LoadReport) => Promise<T>;

export interface LoadOutcome<T> {
  report: LoadReport;
  recorded: T;
}

interface RunWriters {
  prices: PriceWriter;
  actuals: ActualWriter;
}

interface LoadState {
  writers: RunWriters;
  mappingEntries: readonly MappingEntry[];
  report: LoadReportBuilder;
  records: number;
  limits?: LoadPlan['limits'];
  currency: string;
}

/** One transaction per load: a failure anywhere leaves the database as it was. */
@Injectable()
export class PriceLoadService {
  /** Loads running at once in this process: half of the pool at most, so the rest of the API keeps its connections. */
  private readonly loadSlots: LoadSlots;

  constructor(
    private readonly database: DatabaseService,
    private readonly users: UsersRepository,
    private readonly quotes: QuotesRepository,
    private readonly prices: MaterialPricesRepository,
    private readonly suppliers: SuppliersRepository,
    private readonly mappings: PriceMappingsRepository,
    private readonly historicalActuals: HistoricalActualsRepository,
    private readonly reader: SourceReaderPool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loadSlots = new LoadSlots(Math.max(1, Math.floor(config.database.poolMax / 2)), config.prices.loadWaitMs);
  }

  async readMappings(path: string, name = path): Promise<MappingEntry[]> {
    const reading = await this.reader.readMappingsFile({ path, maxEntries: this.config.prices.mappingsMaxEntries });
    if ('unreadable' in reading) throw new PriceLoadError(`The mappings ${name} ${reading.unreadable}`);
    if ('refused' in reading) throw mappingsRefusal(reading, name);
    return reading.entries;
  }

  async load(plan: LoadPlan): Promise<LoadOutcome<undefined>>;
  async load<T>(plan: LoadPlan, record: LoadRecorder<T>): Promise<LoadOutcome<T>>;
  async load<T>(plan: LoadPlan, record?: LoadRecorder<T>): Promise<LoadOutcome<T | undefined>> {
    return this.loadSlots.run({ shopId: plan.shopId, guest: plan.guest ?? false }, () => this.loadNow(plan, record));
  }

  private async loadNow<T>(plan: LoadPlan, record?: LoadRecorder<T>): Promise<LoadOutcome<T | undefined>> {
    const { report, shopId } = plan;
    // Every query of the load goes through this one connection: the embedded database serves one statement at a
    // time, so a second connection would wait for ever behind the open transaction.
    const runner = this.database.holdConnection();
    let writers: RunWriters | undefined;
    try {
      await runner.startTransaction();
      // One load per scope at a time: two would otherwise wait on each other's rows in opposite orders.
      await this.prices.lockScopeForLoad(runner, shopId, this.config.prices.loadWaitMs);

      const merged = await this.reader.mergeMappings({
        stored: await this.mappings.findEntries(runner, shopId),
        incoming: plan.mappingEntries,
        maxEntries: this.config.prices.mappingsMaxEntries,
      });
      if ('refused' in merged) throw mappingsRefusal(merged, report.mappings?.file);
      await this.mappings.merge(runner, shopId, merged.changed);
      const mappings = new MappingLookup(merged.entries);
      writers = {
        prices: new PriceWriter(this.prices, this.suppliers, runner, shopId, mappings, this.reader),
        actuals: new ActualWriter(this.historicalActuals, this.quotes, runner, shopId),
      };
      await writers.prices.applySupplierAliases();
      const currency = shopId === null ? BASELINE_CURRENCY : await this.users.currencyOf(runner, shopId);
      const builder = new LoadReportBuilder(report);
      const state: LoadState = { writers, mappingEntries: merged.entries, report: builder, records: 0, limits: plan.limits, currency };
      for (const [index, file] of plan.files.entries()) {
        const progress = (records: number) =>
          plan.onProgress?.({
            file: file.name,
            fileNumber: index + 1,
            fileCount: plan.files.length,
            records,
            runRecords: state.records,
            runRejects: rejectCount(report),
          });
        await this.loadFile(file, state, progress);
      }
      builder.pricesWritten(await writers.prices.finish(new Date()));
      const mappable = report.rejects.filter((reject) => reject.offer?.mappable);
      const knownKeys = mappable.length === 0 ? [] : await this.prices.knownKeys(runner, shopId);
      for (const reject of mappable) reject.offer!.closestKeys = closestKeys(reject.offer!.description, knownKeys);
      builder.actualsWritten(await writers.actuals.finish());
      return { report, recorded: await this.settle(runner, report, record) };
    } catch (error) {
      // A history batch still in flight would otherwise send its next statement after the rollback, outside any transaction.
      await writers?.prices.settled();
      // A connection that failed is released already, and the server ends its transaction with it.
      if (runner.isTransactionActive && !runner.isReleased) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async settle<T>(runner: QueryRunner, report: LoadReport, record?: LoadRecorder<T>): Promise<T | undefined> {
    if (!report.load.dryRun) {
      const recorded = await record?.(runner, report);
      await runner.commitTransaction();
      return recorded;
    }

    await runner.rollbackTransaction();
    if (!record) return undefined;
    await runner.startTransaction();
    const recorded = await record(runner, report);
    await runner.commitTransaction();
    return recorded;
  }

  private async loadFile(file: LoadFile, state: LoadState, progress: (records: number) => void): Promise<void> {
    const { report, writers } = state;
    report.startFile(file.name);
    progress(0);
    try {
      const scope = { currency: state.currency, maxPerUnit: this.config.prices.maxPerUnit };
      const listener: FileListener = {
        onCandidates: (candidates) => writers.prices.addCandidates(candidates),
        onEnd: ({ warnings, unknownFamilies }) => {
          writers.prices.addUnknownFamilies(unknownFamilies);
          for (const message of warnings) report.addWarning({ kind: 'ignored_columns', message: `${file.name}: ${message}` });
        },
      };
      const slices = new EventLoopSlices();
      for await (const batch of this.reader.read(file, state.mappingEntries, scope, listener)) {
        report.recordsRead(batch);
        state.records += batch.records;
        if (state.limits && state.records > state.limits.maxRecords) {
          throw new PriceLoadError(
            `The upload holds more than ${state.limits.maxRecords.toLocaleString('en-US')} records, the most one import may hold; split it into smaller imports`,
          );
        }
        for (const item of batch.items) {
          if (slices.due()) await slices.turn();
          if ('problem' in item) {
            report.rejectEntry({
              file: file.name,
              record: item.place.record,
              line: item.place.line ?? null,
              reason: item.problem,
              offer: item.offer,
            });
          } else if ('ignored' in item) {
            report.ignoreEntry();
          } else {
            report.acceptActual();
            writers.actuals.add(item.record.actual, item.place);
          }
        }
        if (batch.history !== null) await writers.prices.addHistory(batch.history);
        if (report.fileRecords % PROGRESS_EVERY_RECORDS === 0) progress(report.fileRecords);
      }
    } catch (error) {
      if (!(error instanceof SourceFileError)) throw error;

      if (state.limits || file.format === 'xlsx') throw new PriceLoadError(`${file.name} ${error.message}; nothing was loaded`);
      report.fileUnreadable(error.message);
    }
  }
}

function mappingsRefusal({ refused, problems }: { refused: string; problems: string[] }, file: string | undefined): PriceLoadError {
  const message = `The mappings${file === undefined ? '' : ` ${file}`} cannot be used; nothing was loaded:\n${problems.map((problem) => `  ${problem}`).join('\n')}`;
  return refused === 'too_many' ? new PriceLoadLimitError(message) : new PriceLoadError(message);
}
