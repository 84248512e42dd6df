import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  PayloadTooLargeException,
} from '@nestjs/common';

import { RateLimitService } from '../auth/rate-limit/rate-limit.service';
import { refuseGuestWrite } from '../common/guest-writes';
import type { Page } from '../common/page.query';
import { createScratchFolder, removeFoldersOfEndedServers, removeScratchFolder } from '../common/scratch-folders';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import type { User } from '../database/entities';
import { isRowId } from '../database/postgres-limits';
import { isDatabaseUnavailable } from '../database/query-errors';
import type { SqlClient } from '../database/sql-client';
import { MetricsService } from '../metrics/metrics.service';
import { emptyReport, type LoadReport, rejectCount, reportAsJson, warningCount } from '../price-loads/load-report';
import { PriceLoadError, PriceLoadLimitError } from '../price-loads/price-load.error';
import { PriceLoadService } from '../price-loads/price-load.service';
import type { SourceFormat } from '../price-loads/source-files';
import type { PriceImportResponse, PriceImportSummaryResponse } from './dto/price-import.response';
import { type ImportCounts, type ImportFileRow, type ImportRow, PriceImportsRepository } from './price-imports.repository';
import type { UploadedFile } from './uploaded-files';

/** Reads the request's files into `folder`: called once the request is admitted, never before. */
export type UploadReceiver = (folder: string) => Promise<UploadedFile[]>;

@Injectable()
export class PriceImportsService implements OnApplicationBootstrap {
  constructor(
    private readonly loads: PriceLoadService,
    private readonly rateLimits: RateLimitService,
    private readonly metrics: MetricsService,
    private readonly database: DatabaseService,
    private readonly imports: PriceImportsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const removed = await removeFoldersOfEndedServers();
    if (removed.length > 0)
      new Logger(PriceImportsService.name).log(`Removed the upload folders of servers that were killed: ${removed.join(', ')}`);
  }

  async import(user: User, dryRun: boolean, receive: UploadReceiver): Promise<PriceImportResponse> {
    const outcome = { kind: dryRun ? 'preview' : 'load', status: '201' };
    try {
      return await this.importFiles(user, dryRun, receive);
    } catch (error) {
      outcome.status = String(isDatabaseUnavailable(error) ? 503 : ((error as { getStatus?: () => number }).getStatus?.() ?? 500));
      throw error;
    } finally {
      this.metrics.priceImports.inc(outcome);
    }
  }

  private async importFiles(user: User, dryRun: boolean, receive: UploadReceiver): Promise<PriceImportResponse> {
    if (!dryRun) refuseGuestWrite(user, 'load prices (a preview with ?dry_run=true is allowed)');
    const { priceImportsPerShop } = this.config.rateLimits;

    await this.rateLimits.consume(
      'priceImportsPerShop',
      `shop:${user.id}`,
      `This shop has made ${priceImportsPerShop.count} imports in the last ${describeWindow(priceImportsPerShop.windowSeconds)}, the most allowed; try again later`,
    );
    const folder = await createScratchFolder();
    try {
      const uploaded = await receive(folder);
      const report = emptyReport({ dryRun, shopEmail: user.email, directory: null });
      const mappingsFile = uploaded.find((file) => file.format === 'mappings');
      const mappingEntries = mappingsFile ? await this.loads.readMappings(mappingsFile.path, mappingsFile.name) : [];
      if (mappingsFile) report.mappings = { file: mappingsFile.name, entries: mappingEntries.length };
      const priceFiles = uploaded.filter((file): file is UploadedFile & { format: SourceFormat } => file.format !== 'mappings');
      // What the import answers is what it keeps: built once, when the load is done, and written with it.
      const { recorded } = await this.loads.load(
        {
          report,
          shopId: user.id,
          files: priceFiles.map((file) => ({ name: file.name, path: file.path, format: file.format })),
          mappingEntries,
          limits: { maxRecords: this.config.imports.maxRecords },
          guest: user.isProvisional,
        },
        async (sql: SqlClient, loaded: LoadReport): Promise<PriceImportResponse> => {
          const files = filesOf(priceFiles, loaded);
          const reportJson = reportAsJson(loaded);
          const saved = await this.imports.insert(sql, user.id, dryRun, countsOf(loaded), files, reportJson);
          return { id: saved.id, created_at: saved.created_at, uploaded_files: files, ...reportJson };
        },
      );
      return recorded;
    } catch (error) {
      if (error instanceof PriceLoadError) {
        const lines = error.message.split('\n').map((line) => line.trim());
        throw error instanceof PriceLoadLimitError ? new PayloadTooLargeException(lines) : new BadRequestException(lines);
      }
      throw error;
    } finally {
      await removeScratchFolder(folder);
    }
  }

  async list(shopId: number, limit: number, offset: number): Promise<Page<PriceImportSummaryResponse>> {
    const page = await this.imports.page(this.database.pool, shopId, limit, offset);
    return { ...page, items: page.items.map(toSummary) };
  }

  async findOne(shopId: number, id: number): Promise<PriceImportResponse> {
    const row = isRowId(id) ? await this.imports.findOne(this.database.pool, shopId, id) : undefined;
    if (!row) throw new NotFoundException(`No import ${id} in this shop`);
    return {
      id: row.id,
      created_at: row.created_at,
      uploaded_files: row.files,
      ...row.report,
    };
  }
}

function countsOf(report: LoadReport): ImportCounts {
  return {
    records: report.files.reduce((sum, file) => sum + file.records, 0),
    prices_loaded: report.prices.loaded,
    prices_already_current: report.prices.alreadyCurrent,
    new_observations: report.prices.newObservations,
    actuals_loaded: report.actuals.loaded,
    rejected: rejectCount(report),
    ignored: report.prices.ignored,
    warnings: warningCount(report),
  };
}

function filesOf(files: readonly (UploadedFile & { format: SourceFormat })[], report: LoadReport): ImportFileRow[] {
  return files.map((file) => ({
    name: file.name,
    format: file.format,
    bytes: file.bytes,
    sha256: file.sha256,
    records: report.files.find((summary) => summary.file === file.name)?.records ?? 0,
  }));
}

function toSummary(row: ImportRow): PriceImportSummaryResponse {
  return { id: row.id, created_at: row.created_at, dry_run: row.dry_run, uploaded_files: row.files, counts: row.counts };
}

/** 3600 -> "hour", 7200 -> "2 hours", 900 -> "15 minutes". */
function describeWindow(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
