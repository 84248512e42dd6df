import 'reflect-metadata';

import { type FileHandle, open } from 'node:fs/promises';

import { NestFactory } from '@nestjs/core';

import { DATABASE_TOOL_USES, loadConfigOrReport } from './config/app-config';
import { isDatabaseUnavailable } from './database/query-errors';
import { createLogger } from './logging/logger';
import { exitCodeOf, formatReport, reportAsJson } from './price-loads/load-report';
import { PriceLoadError } from './price-loads/price-load.error';
import { droppedOptionsMessage, dryRunTakenByNpm, NPM_DRY_RUN_MESSAGE, seedOptionsDroppedByNestStart } from './seed/launcher-arguments';
import { describeProgress, ProgressLine } from './seed/progress-line';
import { SeedModule } from './seed/seed.module';
import { parseSeedArguments, SEED_USAGE, SeedUsageError } from './seed/seed-options';
import { SeederService } from './seed/seeder.service';

/** Exit 0 all loaded, 2 some records rejected, 1 could not run. */
async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseSeedArguments(argv);
  } catch (error) {
    if (!(error instanceof SeedUsageError)) throw error;
    console.error(`${error.message}\n${SEED_USAGE}`);
    return 1;
  }
  const droppedByNestStart = seedOptionsDroppedByNestStart();
  if (droppedByNestStart.length > 0) {
    console.error(droppedOptionsMessage(droppedByNestStart, argv));
    return 1;
  }
  if (options === 'help') {
    console.log(SEED_USAGE);
    return 0;
  }
  if (dryRunTakenByNpm() && !options.dryRun) {
    console.error(NPM_DRY_RUN_MESSAGE);
    return 1;
  }

  const config = loadConfigOrReport(DATABASE_TOOL_USES);
  if (!config) return 1;
  // stdout is the report; stderr is the log. Nest's own logs stay off: every failure is logged once, below.
  const logger = await createLogger(config, process.stderr);
  const startedAt = performance.now();

  let context;
  let reportFile: FileHandle | undefined;
  try {
    // Opened before anything is loaded, so that a report path that cannot be written stops the run unchanged.
    if (options.reportFile !== null) reportFile = await open(options.reportFile, 'w');
    context = await NestFactory.createApplicationContext(SeedModule.forRoot(config), { logger: false, abortOnError: false });
    logger.info(
      { directory: options.directory, dry_run: options.dryRun, scope: options.shopEmail === null ? 'baseline' : 'shop' },
      'seed run started',
    );
    const progressLine = new ProgressLine(process.stderr);
    const report = await context.get(SeederService).run(options, (progress) => progressLine.update(describeProgress(progress)));
    progressLine.clear();
    console.log(formatReport(report).join('\n'));
    const asJson = reportAsJson(report);
    await reportFile?.writeFile(`${JSON.stringify(asJson, null, 2)}\n`);
    const exitCode = exitCodeOf(report);
    const finished = { exit_code: exitCode, counts: asJson.counts, duration_ms: Math.round(performance.now() - startedAt) };
    if (exitCode === 0) logger.info(finished, 'seed run finished');
    else logger.warn(finished, 'seed run finished');
    return exitCode;
  } catch (error) {
    const message = `The seeder could not run: ${explain(error)}`;
    logger.error({ duration_ms: Math.round(performance.now() - startedAt) }, message);
    // The report file says so too, rather than being left empty.
    await reportFile?.writeFile(`${JSON.stringify({ error: message }, null, 2)}\n`).catch(() => undefined);
    return 1;
  } finally {
    await reportFile?.close();
    await context?.close();
  }
}

function explain(error: unknown): string {
  if (error instanceof PriceLoadError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (isDatabaseUnavailable(error)) return `the database is unreachable (${message})`;
  // 42P01 undefined_table: the schema was never migrated on this server.
  if ((error as { code?: unknown }).code === '42P01') return `${message}: run "npm run migration:run" first (or set MIGRATE_ON_START=true)`;
  return message;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
