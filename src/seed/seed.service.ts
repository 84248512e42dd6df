import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { MaterialPricesRepository } from '../material-prices/material-prices.repository';
import { aliasCycles, type MappingEntry, MappingLookup, parseMappingDocument } from '../material-prices/price-mappings';
import { PriceMappingsRepository } from '../material-prices/price-mappings.repository';
import { normalizeEmail } from '../users/email';
import { PriceWriter } from './price-writer';
import type { SeedProgress } from './progress-line';
import { readRecord } from './readers';
import type { SeedOptions } from './seed-options';
import { emptyReport, type FileSummary, type SeedReport } from './seed-report';
import { SeedRunError } from './seed-run.error';
import { ActualWriter } from './seed-writers';
import { listSourceFiles, readJsonFile, readSourceFile } from './source-files';

/** How often, in records, a long file reports progress. */
const PROGRESS_EVERY_RECORDS = 5000;

interface RunWriters {
  prices: PriceWriter;
  actuals: ActualWriter;
  mappings: MappingLookup;
}

/**
 * Loads a folder of JSON files into material prices (with their history) and labor actuals: the owner's mappings
 * first, then files one at a time, each record through the reader of its shape into canonical records, then
 * batched writes. One transaction per run: a failure anywhere leaves the database as it was, and a dry run rolls
 * the same work back.
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
      const found = await listSourceFiles(directory);
      if (!found.exists && options.directoryGiven) throw new SeedRunError(`The folder ${options.directory} does not exist`);
      const folder = found.exists ? found : { files: [], ignored: [], mappingsFile: null };
      report.ignoredFiles = folder.ignored;
      const mappingsPath = options.mappingsFile ?? (folder.mappingsFile === null ? null : join(options.directory, folder.mappingsFile));
      const mappingEntries = mappingsPath === null ? [] : await readMappings(mappingsPath);
      if (mappingsPath !== null) report.mappings = { file: mappingsPath, entries: mappingEntries.length };
      if (folder.files.length === 0) report.nothingToLoad = found.exists ? `no .json files in ${options.directory}` : `${options.directory} does not exist`;
      if (folder.files.length === 0 && mappingsPath === null) return report;

      await runner.startTransaction();
      // One load per scope at a time: two would otherwise wait on each other's rows in opposite orders.
      await new MaterialPricesRepository(runner).lockScopeForLoad(shopId);
      const mappingsRepository = new PriceMappingsRepository(runner);
      await mappingsRepository.merge(shopId, mappingEntries);
      // DECISION: a scope's load reads that scope's mappings only (a shop's run not the baseline's), so what a
      // run does follows from its own scope's data and can be tested on its own.
      const storedEntries = await mappingsRepository.findEntries(shopId);
      const cycles = aliasCycles(storedEntries);
      if (cycles.length > 0) throw new SeedRunError(`The mappings cannot be used; nothing was loaded:\n${cycles.map((cycle) => `  ${cycle}`).join('\n')}`);
      const mappings = new MappingLookup(storedEntries);
      const writers: RunWriters = { prices: new PriceWriter(runner, shopId, mappings), actuals: new ActualWriter(runner, shopId), mappings };
      await writers.prices.applySupplierAliases();
      for (const [index, file] of folder.files.entries()) {
        const progress = (records: number) => onProgress({ file, fileNumber: index + 1, fileCount: folder.files.length, records });
        report.files.push(await this.loadFile(join(directory, file), file, writers, report, progress));
      }
      const prices = await writers.prices.finish(new Date());
      report.prices = { ...report.prices, loaded: prices.loaded, alreadyCurrent: prices.alreadyCurrent, newObservations: prices.newObservations };
      report.changes = prices.changes;
      report.warnings = prices.warnings;
      const actuals = await writers.actuals.finish();
      report.actuals = { loaded: actuals.loaded, alreadyCurrent: actuals.alreadyCurrent };
      for (const { place, reason } of actuals.rejected) {
        report.rejects.push({ file: place.file, record: place.record, line: place.line ?? null, reason, offer: null });
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
    const summary: FileSummary = { file, problem: null, records: 0, shapes: [], accepted: 0, rejected: 0, ignored: 0, exactDuplicates: 0 };
    progress(0);
    const content = await readSourceFile(path);
    if ('problem' in content) {
      report.rejects.push({ file, record: null, line: null, reason: content.problem, offer: null });
      return { ...summary, problem: content.problem, rejected: 1 };
    }
    const seen = new Set<string>();
    const shapes = new Set<string>();
    for (const [index, record] of content.records.entries()) {
      const fingerprint = JSON.stringify(record);
      if (seen.has(fingerprint)) summary.exactDuplicates += 1;
      else seen.add(fingerprint);
      const reading = readRecord(record, { place: { file, record: index + 1 }, mappings: writers.mappings });
      if (reading.shape !== null) shapes.add(reading.shape);
      for (const item of reading.items) {
        if ('problem' in item) {
          report.rejects.push({ file, record: item.place.record, line: item.place.line ?? null, reason: item.problem, offer: item.offer });
          summary.rejected += 1;
        } else if ('ignored' in item) {
          report.prices.ignored += 1;
          summary.ignored += 1;
        } else if (item.record.kind === 'material_price') {
          summary.accepted += 1;
          report.prices.entries += 1;
          await writers.prices.add(item.record.price);
        } else {
          summary.accepted += 1;
          writers.actuals.add(item.record.actual, item.place);
        }
      }
      if ((index + 1) % PROGRESS_EVERY_RECORDS === 0) progress(index + 1);
    }
    return { ...summary, records: content.records.length, shapes: [...shapes] };
  }
}

/** The entries of a mapping file; a file that cannot be read or holds an invalid entry stops the run (exit 1). */
async function readMappings(path: string): Promise<MappingEntry[]> {
  const content = await readJsonFile(path);
  if ('problem' in content) throw new SeedRunError(`The mappings ${path} ${content.problem}`);
  const parsed = parseMappingDocument(content.value);
  if ('problems' in parsed) throw new SeedRunError(`The mappings ${path} cannot be used; nothing was loaded:\n${parsed.problems.map((problem) => `  ${problem}`).join('\n')}`);
  return parsed.entries;
}
