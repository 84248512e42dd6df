import type { PriceUnit } from '../database/entities';
import { descriptionKey } from '../material-prices/price-mappings';
import { describePlace, type PriceOffer } from './readers';

/** What happened to one file of the run. */
export interface FileSummary {
  file: string;
  /** Set when the file itself could not be read (its reject has no record number). */
  problem: string | null;
  records: number;
  /** The shapes its records were recognised as. */
  shapes: string[];
  /** Entries accepted, rejected and skipped by the owner's `ignore`; a bill of materials has an entry per line. */
  accepted: number;
  rejected: number;
  ignored: number;
  /** Records identical to an earlier record of the same file; their prices are stored once. */
  exactDuplicates: number;
}

/** A record (or a whole file, with no record number) that was not loaded, and why. */
export interface Reject {
  file: string;
  /** From 1; null for a problem with the whole file. */
  record: number | null;
  /** The line of a bill of materials, or of a CSV file, from 1. */
  line: number | null;
  reason: string;
  /** The supplier's priced line the record was, when an owner's mapping can fix or skip it. */
  offer: PriceOffer | null;
}

export type PriceWarningKind = 'undated_current' | 'same_day_conflict' | 'unknown_key_family' | 'supplier_look_alike' | 'outlier';

/** Reported, not rejected: something the owner should look at. */
export interface PriceWarning {
  kind: PriceWarningKind;
  /** One line for the owner. */
  message: string;
  material_type?: string;
  supplier?: string | null;
  unit?: PriceUnit;
  date?: string;
  prices?: number[];
  median?: number;
  records?: string[];
  /** The supplier alias that would merge two look-alike names. */
  alias?: Record<string, string>;
}

/** A current price the run set: `old` is null for a material, supplier and unit that had none. */
export interface PriceChange {
  material_type: string;
  supplier: string | null;
  unit: PriceUnit;
  old: { price: number; price_date: string | null } | null;
  new: { price: number; price_date: string | null };
}

/** What a report is of: a run of the seeder on a folder, or an import of uploaded files (no folder). */
export interface LoadDescription {
  dryRun: boolean;
  /** The shop whose prices are loaded; null for the shared baseline. */
  shopEmail: string | null;
  directory: string | null;
}

export interface SeedReport {
  load: LoadDescription;
  /** Why there was nothing to do (an empty folder, the default folder missing), or null. */
  nothingToLoad: string | null;
  /** The mapping file applied first, and how many entries it had. */
  mappings: { file: string; entries: number } | null;
  /** Files of the folder that are neither .json nor .csv. */
  ignoredFiles: string[];
  files: FileSummary[];
  prices: { loaded: number; alreadyCurrent: number; newObservations: number; entries: number; ignored: number };
  actuals: { loaded: number; alreadyCurrent: number };
  rejects: Reject[];
  warnings: PriceWarning[];
  changes: PriceChange[];
}

export function emptyReport(load: LoadDescription): SeedReport {
  return {
    load: { dryRun: load.dryRun, shopEmail: load.shopEmail, directory: load.directory },
    nothingToLoad: null,
    mappings: null,
    ignoredFiles: [],
    files: [],
    prices: { loaded: 0, alreadyCurrent: 0, newObservations: 0, entries: 0, ignored: 0 },
    actuals: { loaded: 0, alreadyCurrent: 0 },
    rejects: [],
    warnings: [],
    changes: [],
  };
}

/** 0 when every record was accepted, 2 when some were rejected; 1 (could not run) never comes from a report. */
export function exitCodeOf(report: SeedReport): 0 | 2 {
  return report.rejects.length > 0 ? 2 : 0;
}

/** What the owner pastes into the mappings to fix rejects of one description: a key for it, or skipping it. */
export const MATERIAL_KEY_PLACEHOLDER = 'MATERIAL_KEY';

function fixesFor(offer: PriceOffer): ({ materials: Record<string, string> } | { ignore: string[] })[] {
  const skip = { ignore: [offer.description] };
  return offer.mappable ? [{ materials: { [offer.description]: MATERIAL_KEY_PLACEHOLDER } }, skip] : [skip];
}

function whereRead(reject: Reject): string {
  return reject.record === null ? reject.file : describePlace({ file: reject.file, record: reject.record, line: reject.line ?? undefined });
}

/**
 * The report as the command prints it, for the shop owner: the files read, the rejects grouped by description
 * (one line per item: its records with price and date, the reason, and the mapping that would fix it), the
 * warnings, then the summary lines of seeding.md (`Loaded X material prices, Y already current`, or `Would load`
 * in a dry run).
 */
export function formatReport(report: SeedReport): string[] {
  const { load, prices, actuals, rejects, warnings } = report;
  const scope = load.shopEmail === null ? 'the shared baseline' : `the prices of shop ${load.shopEmail}`;
  const lines = [`${load.dryRun ? 'Dry run: nothing is written. ' : ''}Loading ${load.directory ?? 'the uploaded files'} into ${scope}`];
  if (report.mappings)
    lines.push(`Mappings: ${plural(report.mappings.entries, 'entry', 'entries')} from ${report.mappings.file}, applied first`);
  if (report.nothingToLoad !== null) lines.push(`Nothing to load: ${report.nothingToLoad}`);
  for (const file of report.ignoredFiles) lines.push(`Ignored ${file}: only .json and .csv files are read`);
  for (const file of report.files) lines.push(describeFile(file));

  if (rejects.length > 0) {
    const items = groupRejects(rejects);
    lines.push(`Rejected ${plural(rejects.length, 'record')} (${plural(items.length, 'item')}):`);
    for (const item of items) lines.push(`  ${item}`);
  }
  if (warnings.length > 0) {
    lines.push(`Warnings (${warnings.length}):`);
    for (const warning of warnings) lines.push(`  ${warning.message}`);
  }

  const verb = load.dryRun ? 'Would load' : 'Loaded';
  if (prices.entries > 0) {
    lines.push(`Price history: ${plural(prices.newObservations, 'new observation')} from ${plural(prices.entries, 'price')} read`);
  }
  lines.push(`${verb} ${prices.loaded} material prices, ${prices.alreadyCurrent} already current`);
  lines.push(`${verb} ${actuals.loaded} labor actuals, ${actuals.alreadyCurrent} already current`);
  if (prices.ignored > 0) lines.push(`Ignored ${plural(prices.ignored, 'price')} the mappings say to skip`);
  lines.push(`Rejected ${plural(rejects.length, 'record')}`);
  lines.push(`Warnings: ${warnings.length}`);
  return lines;
}

/**
 * One line per item: the rejects of one description (compared as mappings compare them) together, every other
 * reject on its own as `file:record: reason`.
 */
function groupRejects(rejects: readonly Reject[]): string[] {
  const byDescription = new Map<string, Reject[]>();
  const lines: string[] = [];
  for (const reject of rejects) {
    if (reject.offer === null) {
      lines.push(`${whereRead(reject)}: ${reject.reason}`);
      continue;
    }
    const key = descriptionKey(reject.offer.description);
    const group = byDescription.get(key);
    if (group) group.push(reject);
    else byDescription.set(key, [reject]);
  }
  const grouped = [...byDescription.values()].map((group) => {
    const description = group[0].offer!.description;
    const records = group.map(
      (reject) => `${whereRead(reject)} (${[reject.offer!.stated, reject.offer!.date ?? 'no date'].filter(Boolean).join(', ')})`,
    );
    const reasons = [...new Set(group.map((reject) => reject.reason))].join('; ');
    const fixes = fixesFor(group[0].offer!).map(asMappingLine);
    return `${description} — ${records.join(', ')}: ${reasons}. ${fixes.length > 1 ? 'Fix in the mappings' : 'Fix the record, or skip it in the mappings'}: ${fixes.join(' or ')}`;
  });
  return [...grouped, ...lines];
}

/** `{ "ignore": ["a"] }` as the line to paste into a mapping document: `"ignore": [ "a" ]`. */
function asMappingLine(fix: object): string {
  const [[section, value]] = Object.entries(fix);
  const inner = Array.isArray(value)
    ? `[ ${value.map((text) => JSON.stringify(text)).join(', ')} ]`
    : `{ ${Object.entries(value as Record<string, string>)
        .map(([from, to]) => `${JSON.stringify(from)}: ${JSON.stringify(to)}`)
        .join(', ')} }`;
  return `${JSON.stringify(section)}: ${inner}`;
}

/** The whole report as `--report FILE` writes it (and the import API answers it): counts, rejects, warnings, changes. */
export function reportAsJson(report: SeedReport) {
  return {
    dry_run: report.load.dryRun,
    scope: report.load.shopEmail === null ? 'baseline' : 'shop',
    shop: report.load.shopEmail,
    directory: report.load.directory,
    mappings: report.mappings,
    nothing_to_load: report.nothingToLoad,
    ignored_files: report.ignoredFiles,
    files: report.files.map((file) => ({
      file: file.file,
      problem: file.problem,
      records: file.records,
      shapes: file.shapes,
      accepted: file.accepted,
      rejected: file.rejected,
      ignored: file.ignored,
      exact_duplicates: file.exactDuplicates,
    })),
    counts: {
      material_prices: {
        loaded: report.prices.loaded,
        already_current: report.prices.alreadyCurrent,
        new_observations: report.prices.newObservations,
        read: report.prices.entries,
        ignored: report.prices.ignored,
      },
      labor_actuals: { loaded: report.actuals.loaded, already_current: report.actuals.alreadyCurrent },
      rejected: report.rejects.length,
      warnings: report.warnings.length,
    },
    rejects: report.rejects.map((reject) => ({
      file: reject.file,
      record: reject.record,
      line: reject.line,
      field: reject.offer?.field ?? null,
      description: reject.offer?.description ?? null,
      price: reject.offer?.stated ?? null,
      date: reject.offer?.date ?? null,
      reason: reject.reason,
      fixes: reject.offer ? fixesFor(reject.offer) : [],
    })),
    warnings: report.warnings,
    changes: report.changes,
  };
}

function describeFile(file: FileSummary): string {
  if (file.problem !== null) return `${file.file}: not read (see the rejects below)`;
  const shapes = file.shapes.length > 0 ? ` (${file.shapes.join(', ')})` : '';
  const ignored = file.ignored > 0 ? `, ${file.ignored} ignored` : '';
  const duplicates = file.exactDuplicates > 0 ? `, ${plural(file.exactDuplicates, 'exact duplicate')} stored once` : '';
  return `${file.file}: ${plural(file.records, 'record')}${shapes}: ${file.accepted} accepted, ${file.rejected} rejected${ignored}${duplicates}`;
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
