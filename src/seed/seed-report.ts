import type { SeedOptions } from './seed-options';

/** What happened to one file of the run. */
export interface FileSummary {
  file: string;
  /** Set when the file itself could not be read (its reject has no record index). */
  problem: string | null;
  records: number;
  /** The shapes its records were recognised as. */
  shapes: string[];
  /** Entries accepted and rejected; a bill of materials is one record with an entry per line. */
  accepted: number;
  rejected: number;
  /** Records identical to an earlier record of the same file; their prices are stored once. */
  exactDuplicates: number;
}

/** A record (or a whole file, with no locator) that was not loaded, and why. */
export interface Reject {
  file: string;
  locator: string | null;
  reason: string;
}

export interface SeedReport {
  options: SeedOptions;
  /** Why there was nothing to do (a missing or empty folder), or null. */
  nothingToLoad: string | null;
  /** Files of the folder that are not .json. */
  ignoredFiles: string[];
  files: FileSummary[];
  prices: { loaded: number; alreadyCurrent: number; newObservations: number; entries: number };
  actuals: { loaded: number; alreadyCurrent: number };
  rejects: Reject[];
}

export function emptyReport(options: SeedOptions): SeedReport {
  return {
    options,
    nothingToLoad: null,
    ignoredFiles: [],
    files: [],
    prices: { loaded: 0, alreadyCurrent: 0, newObservations: 0, entries: 0 },
    actuals: { loaded: 0, alreadyCurrent: 0 },
    rejects: [],
  };
}

/** 0 when every record was accepted, 2 when some were rejected; 1 (could not run) never comes from a report. */
export function exitCodeOf(report: SeedReport): 0 | 2 {
  return report.rejects.length > 0 ? 2 : 0;
}

/**
 * The report as the command prints it. The summary line `Loaded X material prices, Y already current` is always
 * there, followed by the labor actuals line and the rejects line with one `file:index: reason` line per reject.
 */
export function formatReport(report: SeedReport): string[] {
  const { options, prices, actuals, rejects } = report;
  const scope = options.shopEmail === null ? 'the shared baseline' : `the prices of shop ${options.shopEmail}`;
  const lines = [`${options.dryRun ? 'Dry run: nothing is written. ' : ''}Loading ${options.directory} into ${scope}`];
  if (report.nothingToLoad !== null) lines.push(`Nothing to load: ${report.nothingToLoad}`);
  for (const file of report.ignoredFiles) lines.push(`Ignored ${file}: only .json files are read`);
  for (const file of report.files) lines.push(describeFile(file));
  if (prices.entries > 0) {
    lines.push(`Price history: ${plural(prices.newObservations, 'new observation')} from ${plural(prices.entries, 'price')} read`);
  }
  lines.push(`Loaded ${prices.loaded} material prices, ${prices.alreadyCurrent} already current`);
  lines.push(`Loaded ${actuals.loaded} labor actuals, ${actuals.alreadyCurrent} already current`);
  lines.push(`Rejected ${plural(rejects.length, 'record')}${rejects.length > 0 ? ':' : ''}`);
  for (const reject of rejects) lines.push(`  ${describeReject(reject)}`);
  return lines;
}

/**
 * DECISION: a problem with a whole file (not valid JSON, unreadable) has no record index, so it is printed as
 * `file: reason`; every record-level problem is `file:index: reason`.
 */
export function describeReject(reject: Reject): string {
  return reject.locator === null ? `${reject.file}: ${reject.reason}` : `${reject.file}:${reject.locator}: ${reject.reason}`;
}

function describeFile(file: FileSummary): string {
  if (file.problem !== null) return `${file.file}: not read (see the rejects below)`;
  const shapes = file.shapes.length > 0 ? ` (${file.shapes.join(', ')})` : '';
  const duplicates = file.exactDuplicates > 0 ? `, ${plural(file.exactDuplicates, 'exact duplicate')} stored once` : '';
  return `${file.file}: ${plural(file.records, 'record')}${shapes}: ${file.accepted} accepted, ${file.rejected} rejected${duplicates}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
