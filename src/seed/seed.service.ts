import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { normalizeEmail } from '../users/email';
import type { SeedProgress } from './progress-line';
import { readRecord } from './readers';
import type { SeedOptions } from './seed-options';
import { emptyReport, type FileSummary, type SeedReport } from './seed-report';
import { SeedRunError } from './seed-run.error';
import { ActualWriter, PriceWriter } from './seed-writers';
import { listSourceFiles, readSourceFile } from './source-files';

/** How often, in records, a long file reports progress. */
const PROGRESS_EVERY_RECORDS = 5000;

interface RunWriters {
  prices: PriceWriter;
  actuals: ActualWriter;
}

/**
 * Loads a folder of JSON files into material prices (with their history) and labor actuals: files one at a time,
 * each record through the reader of its shape into canonical records, then batched upserts. One transaction per
 * run: a failure anywhere leaves the database as it was, and a dry run rolls the same work back.
 */
@Injectable()
export class SeedService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run(options: SeedOptions, onProgress: (progress: SeedProgress) => void = () => undefined): Promise<SeedReport> {
    const report = emptyReport(options);
    const directory = resolve(options.directory);
    // Every query of the run goes through this one connection: the embedded database serves one statement at a
    // time, so a second connection would wait for ever behind the open transaction.
    const runner = this.dataSource.createQueryRunner();
    try {
      const shopId = options.shopEmail === null ? null : await this.findShop(runner, options.shopEmail);
      const folder = await listSourceFiles(directory);
      if (!folder.exists) return { ...report, nothingToLoad: `${options.directory} does not exist` };
      report.ignoredFiles = folder.ignored;
      if (folder.files.length === 0) return { ...report, nothingToLoad: `no .json files in ${options.directory}` };

      await runner.startTransaction();
      const writers: RunWriters = { prices: new PriceWriter(runner, shopId), actuals: new ActualWriter(runner, shopId) };
      for (const [index, file] of folder.files.entries()) {
        const progress = (records: number) => onProgress({ file, fileNumber: index + 1, fileCount: folder.files.length, records });
        report.files.push(await this.loadFile(join(directory, file), file, writers, report, progress));
      }
      report.prices = { ...report.prices, ...(await writers.prices.finish()) };
      const actuals = await writers.actuals.finish();
      report.actuals = { loaded: actuals.loaded, alreadyCurrent: actuals.alreadyCurrent };
      for (const { place, reason } of actuals.rejected) {
        report.rejects.push({ file: place.file, locator: place.locator, reason });
        const summary = report.files.find((candidate) => candidate.file === place.file)!;
        summary.accepted -= 1;
        summary.rejected += 1;
      }
      // DECISION: a dry run does all the work of a real run in its transaction and rolls it back, so its counts
      // are a real run's by construction; the only trace it leaves is id sequence numbers it consumed.
      if (options.dryRun) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      return report;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async findShop(runner: QueryRunner, email: string): Promise<number> {
    const rows: { id: number }[] = await runner.query('SELECT id FROM users WHERE email = $1', [normalizeEmail(email)]);
    if (rows.length === 0) throw new SeedRunError(`No shop account has the email ${email}: register the shop first, or leave out --shop to load the shared baseline`);
    return rows[0].id;
  }

  private async loadFile(path: string, file: string, writers: RunWriters, report: SeedReport, progress: (records: number) => void): Promise<FileSummary> {
    const summary: FileSummary = { file, problem: null, records: 0, shapes: [], accepted: 0, rejected: 0, exactDuplicates: 0 };
    progress(0);
    const content = await readSourceFile(path);
    if ('problem' in content) {
      report.rejects.push({ file, locator: null, reason: content.problem });
      return { ...summary, problem: content.problem, rejected: 1 };
    }
    const seen = new Set<string>();
    const shapes = new Set<string>();
    for (const [index, record] of content.records.entries()) {
      const fingerprint = JSON.stringify(record);
      if (seen.has(fingerprint)) summary.exactDuplicates += 1;
      else seen.add(fingerprint);
      const reading = readRecord(record, { file, locator: String(index) });
      if (reading.shape !== null) shapes.add(reading.shape);
      for (const item of reading.items) {
        if ('problem' in item) {
          report.rejects.push({ file, locator: item.locator, reason: item.problem });
          summary.rejected += 1;
          continue;
        }
        summary.accepted += 1;
        if (item.record.kind === 'material_price') {
          report.prices.entries += 1;
          await writers.prices.add(item.record.price);
        } else {
          writers.actuals.add(item.record.actual, { file, locator: item.locator });
        }
      }
      if ((index + 1) % PROGRESS_EVERY_RECORDS === 0) progress(index + 1);
    }
    return { ...summary, records: content.records.length, shapes: [...shapes] };
  }
}
