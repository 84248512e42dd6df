import { cutText, QUOTED_INPUT } from '../common/quoted-input';
import type { PriceUnit } from '../database/entities';
import { descriptionKey, MATCH_TEXT_MAX_LENGTH, MATERIAL_KEY_PLACEHOLDER } from '../material-prices/price-mappings';
import type { ActualCounts } from './actual-writer';
import { type LoadReportResponse, PRICE_WARNING_KINDS, type ReportRejectResponse } from './load-report.response';
import { describePlace, type PriceOffer } from './readers';

/** A report lists this many rejects, and as many warnings, in full; the rest are counted. */
const REPORT_LISTED_MAX = 500;
const REPORT_CHANGES_LISTED_MAX = 2000;
const REPORT_TEXT_MAX_LENGTH = 1000;
/** How many reasons the rejects left out of the list are counted under; the rest under OTHER_REASONS. */
const OMITTED_REASONS_MAX = 100;
export const OTHER_REASONS = '(other reasons)';
/** 768 KiB keeps what holds a report under 1 MiB (an import's answer; PostgreSQL's text of the jsonb adds spaces). */
export const REPORT_JSON_MAX_BYTES = 768 * 1024;

export interface FileSummary {
  file: string;
  problem: string | null;
  records: number;
  shapes: string[];
  /** Entries accepted, rejected and skipped by the owner's `ignore`; a bill of materials has an entry per line. */
  accepted: number;
  rejected: number;
  ignored: number;
  exactDuplicates: number;
}

export interface Reject {
  file: string;
  record: number | null;
  line: number | null;
  reason: string;
  offer: PriceOffer | null;
}

export type PriceWarningKind = (typeof PRICE_WARNING_KINDS)[number];

export interface PriceWarning {
  kind: PriceWarningKind;
  message: string;
  material_type?: string;
  supplier?: string | null;
  unit?: PriceUnit;
  date?: string;
  prices?: number[];
  median?: number;
  records?: string[];
  alias?: Record<string, string>;
}

export interface PriceChange {
  material_type: string;
  supplier: string | null;
  unit: PriceUnit;
  old: { price: number; price_date: string | null } | null;
  new: { price: number; price_date: string | null };
}

export interface LoadDescription {
  dryRun: boolean;
  shopEmail: string | null;
  directory: string | null;
}

export interface LoadReport {
  load: LoadDescription;
  nothingToLoad: string | null;
  mappings: { file: string; entries: number } | null;
  ignoredFiles: string[];
  files: FileSummary[];
  prices: { loaded: number; alreadyCurrent: number; newObservations: number; entries: number; ignored: number };
  actuals: { loaded: number; alreadyCurrent: number };
  /** The first REPORT_LISTED_MAX rejects (added by LoadReportBuilder); `omitted` counts the others. */
  rejects: Reject[];
  warnings: PriceWarning[];
  changes: PriceChange[];
  omitted: OmittedEntries;
}

export interface OmittedEntries {
  rejects: Map<string, number>;
  warnings: Map<PriceWarningKind, number>;
  changes: number;
}

export function emptyReport(load: LoadDescription): LoadReport {
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
    omitted: { rejects: new Map(), warnings: new Map(), changes: 0 },
  };
}

export class LoadReportBuilder {
  private file: FileSummary | null = null;

  constructor(readonly report: LoadReport) {}

  /** Past REPORT_LISTED_MAX, rejects are only counted by reason, so that a load's memory does not grow with them. */
  addReject(reject: Reject): void {
    const { report } = this;
    if (report.rejects.length >= REPORT_LISTED_MAX) {
      countReason(report.omitted.rejects, reasonKey(reject.reason));
      return;
    }
    const { offer } = reject;
    report.rejects.push({
      ...reject,
      reason: cutText(reject.reason, REPORT_TEXT_MAX_LENGTH),
      // The description stays whole (the readers hold it to FREE_TEXT_MAX_LENGTH): a mapping that fixes it needs all of it.
      offer: offer && {
        ...offer,
        stated: offer.stated === null ? null : cutText(offer.stated, REPORT_TEXT_MAX_LENGTH),
        date: offer.date === null ? null : cutText(offer.date),
      },
    });
  }

  addWarning(warning: PriceWarning): void {
    const { report } = this;
    if (report.warnings.length < REPORT_LISTED_MAX)
      report.warnings.push({ ...warning, message: cutText(warning.message, REPORT_TEXT_MAX_LENGTH) });
    else increment(report.omitted.warnings, warning.kind);
  }

  addChange(change: PriceChange): void {
    if (this.report.changes.length < REPORT_CHANGES_LISTED_MAX) this.report.changes.push(change);
    else this.report.omitted.changes += 1;
  }

  startFile(name: string): void {
    this.file = { file: name, problem: null, records: 0, shapes: [], accepted: 0, rejected: 0, ignored: 0, exactDuplicates: 0 };
    this.report.files.push(this.file);
  }

  get fileRecords(): number {
    return this.currentFile().records;
  }

  recordsRead(batch: { records: number; exactDuplicates: number; shapes: readonly string[]; acceptedPrices: number }): void {
    const file = this.currentFile();
    file.records += batch.records;
    file.exactDuplicates += batch.exactDuplicates;
    for (const shape of batch.shapes) if (!file.shapes.includes(shape)) file.shapes.push(shape);
    file.accepted += batch.acceptedPrices;
    this.report.prices.entries += batch.acceptedPrices;
  }

  rejectEntry(reject: Reject): void {
    this.addReject(reject);
    this.currentFile().rejected += 1;
  }

  ignoreEntry(): void {
    this.currentFile().ignored += 1;
    this.report.prices.ignored += 1;
  }

  acceptActual(): void {
    this.currentFile().accepted += 1;
  }

  fileUnreadable(problem: string): void {
    this.currentFile().problem = problem;
    this.rejectEntry({ file: this.currentFile().file, record: null, line: null, reason: problem, offer: null });
  }

  pricesWritten(counts: {
    loaded: number;
    alreadyCurrent: number;
    newObservations: number;
    changes: PriceChange[];
    warnings: PriceWarning[];
  }): void {
    Object.assign(this.report.prices, {
      loaded: counts.loaded,
      alreadyCurrent: counts.alreadyCurrent,
      newObservations: counts.newObservations,
    });
    for (const change of counts.changes) this.addChange(change);
    for (const warning of counts.warnings) this.addWarning(warning);
  }

  /** The actuals written; those refused at the write were accepted when read and become rejects of their file. */
  actualsWritten(counts: ActualCounts): void {
    this.report.actuals = { loaded: counts.loaded, alreadyCurrent: counts.alreadyCurrent };
    for (const { place, reason } of counts.rejected) {
      this.addReject({ file: place.file, record: place.record, line: place.line ?? null, reason, offer: null });
      const file = this.report.files.find((candidate) => candidate.file === place.file)!;
      file.accepted -= 1;
      file.rejected += 1;
    }
  }

  private currentFile(): FileSummary {
    if (this.file === null) throw new Error('No file of the load has started');
    return this.file;
  }
}

export function rejectCount(report: LoadReport): number {
  return report.rejects.length + sum(report.omitted.rejects.values());
}

export function warningCount(report: LoadReport): number {
  return report.warnings.length + sum(report.omitted.warnings.values());
}

function reasonKey(reason: string): string {
  return cutText(reason, REPORT_TEXT_MAX_LENGTH)
    .replace(QUOTED_INPUT, '"…"')
    .replace(/\d+(?:\.\d+)?/g, '#');
}

function countReason(counts: Map<string, number>, key: string): void {
  increment(counts, counts.has(key) || counts.size < OMITTED_REASONS_MAX ? key : OTHER_REASONS);
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sum(counts: Iterable<number>): number {
  let total = 0;
  for (const count of counts) total += count;
  return total;
}

function byCount<K extends string>(counts: ReadonlyMap<K, number>): [K, number][] {
  return [...counts].sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0));
}

export function exitCodeOf(report: LoadReport): 0 | 2 {
  return rejectCount(report) > 0 ? 2 : 0;
}

function fixesFor(offer: PriceOffer): ({ materials: Record<string, string> } | { ignore: string[] })[] {
  if (offer.description.trim().length > MATCH_TEXT_MAX_LENGTH) return [];
  const skip = { ignore: [offer.description] };
  return offer.mappable ? [{ materials: { [offer.description]: MATERIAL_KEY_PLACEHOLDER } }, skip] : [skip];
}

function whereRead(reject: Reject): string {
  return reject.record === null ? reject.file : describePlace({ file: reject.file, record: reject.record, line: reject.line ?? undefined });
}

export function formatReport(report: LoadReport): string[] {
  const { load, prices, actuals, rejects, warnings } = report;
  const [rejected, warned] = [rejectCount(report), warningCount(report)];
  const scope = load.shopEmail === null ? 'the shared baseline' : `the prices of shop ${load.shopEmail}`;
  const lines = [`${load.dryRun ? 'Dry run: nothing is written. ' : ''}Loading ${load.directory ?? 'the uploaded files'} into ${scope}`];
  if (report.mappings)
    lines.push(`Mappings: ${plural(report.mappings.entries, 'entry', 'entries')} from ${report.mappings.file}, applied first`);
  if (report.nothingToLoad !== null) lines.push(`Nothing to load: ${report.nothingToLoad}`);
  for (const file of report.ignoredFiles) lines.push(`Ignored ${file}: only .json, .csv and .xlsx files are read`);
  for (const file of report.files) lines.push(describeFile(file));

  if (rejected > 0) {
    const items = groupRejects(rejects);
    const listed = rejected > rejects.length ? `, the first ${rejects.length} listed` : '';
    lines.push(`Rejected ${plural(rejected, 'record')}${listed} (${plural(items.length, 'item')}):`);
    for (const item of items) lines.push(`  ${item}`);
    for (const [reason, count] of byCount(report.omitted.rejects)) lines.push(`  ${plural(count, 'more record')}: ${reason}`);
  }
  if (warned > 0) {
    lines.push(`Warnings (${warned}):`);
    for (const warning of warnings) lines.push(`  ${warning.message}`);
    for (const [kind, count] of byCount(report.omitted.warnings)) lines.push(`  ${plural(count, 'more warning')}: ${kind}`);
  }

  const verb = load.dryRun ? 'Would load' : 'Loaded';
  if (prices.entries > 0) {
    lines.push(`Price history: ${plural(prices.newObservations, 'new observation')} from ${plural(prices.entries, 'price')} read`);
  }
  lines.push(`${verb} ${prices.loaded} material prices, ${prices.alreadyCurrent} already current`);
  lines.push(`${verb} ${actuals.loaded} labor actuals, ${actuals.alreadyCurrent} already current`);
  if (prices.ignored > 0) lines.push(`Ignored ${plural(prices.ignored, 'price')} the mappings say to skip`);
  lines.push(`Rejected ${plural(rejected, 'record')}`);
  lines.push(`Warnings: ${warned}`);
  return lines;
}

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
    const description = cutText(group[0].offer!.description);
    const records = group.map(
      (reject) => `${whereRead(reject)} (${[reject.offer!.stated, reject.offer!.date ?? 'no date'].filter(Boolean).join(', ')})`,
    );
    const reasons = [...new Set(group.map((reject) => reject.reason))].join('; ');
    const fixes = fixesFor(group[0].offer!).map(asMappingLine);
    const closest = group[0].offer!.closestKeys ?? [];
    const advice =
      (fixes.length === 0
        ? 'Fix the record'
        : `${fixes.length > 1 ? 'Fix in the mappings' : 'Fix the record, or skip it in the mappings'}: ${fixes.join(' or ')}`) +
      (closest.length > 0 && fixes.length > 1 ? ` (closest known keys: ${closest.join(', ')})` : '');
    return `${description} — ${records.join(', ')}: ${reasons}. ${advice}`;
  });
  return [...grouped, ...lines];
}

function asMappingLine(fix: object): string {
  const [[section, value]] = Object.entries(fix);
  const inner = Array.isArray(value)
    ? `[ ${value.map((text) => JSON.stringify(text)).join(', ')} ]`
    : `{ ${Object.entries(value as Record<string, string>)
        .map(([from, to]) => `${JSON.stringify(from)}: ${JSON.stringify(to)}`)
        .join(', ')} }`;
  return `${JSON.stringify(section)}: ${inner}`;
}

export function reportAsJson(report: LoadReport): LoadReportResponse {
  const head = {
    dry_run: report.load.dryRun,
    scope: report.load.shopEmail === null ? 'baseline' : 'shop',
    shop: report.load.shopEmail,
    directory: report.load.directory,
    mappings: report.mappings,
    nothing_to_load: report.nothingToLoad,
    ignored_files: report.ignoredFiles,
    files: report.files.map((file) => ({
      file: file.file,
      problem: file.problem === null ? null : cutText(file.problem, REPORT_TEXT_MAX_LENGTH),
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
      rejected: rejectCount(report),
      warnings: warningCount(report),
    },
  };
  const lists = { rejects: report.rejects.map(rejectAsJson), warnings: report.warnings, changes: report.changes };
  const omitted = { rejects: new Map(report.omitted.rejects), warnings: new Map(report.omitted.warnings), changes: report.omitted.changes };
  for (;;) {
    const json = {
      ...head,
      rejects: lists.rejects,
      rejects_omitted: byCount(omitted.rejects).map(([reason, count]) => ({ reason, count })),
      warnings: lists.warnings,
      warnings_omitted: byCount(omitted.warnings).map(([kind, count]) => ({ kind, count })),
      changes: lists.changes,
      changes_omitted: omitted.changes,
    };
    const excess = Buffer.byteLength(JSON.stringify(json)) - REPORT_JSON_MAX_BYTES;
    if (excess <= 0) return json;
    // Over the limit, each list gives up a share of the excess in proportion to its bytes, from its end; nothing else is cut.
    const itemBytes = {
      rejects: lists.rejects.map(jsonBytes),
      warnings: lists.warnings.map(jsonBytes),
      changes: lists.changes.map(jsonBytes),
    };
    const listBytes = sum(Object.values(itemBytes).flat());
    if (listBytes === 0) return json;
    const kept = (bytes: number[]) => {
      let count = bytes.length;
      const share = Math.ceil((excess * sum(bytes)) / listBytes);
      for (let freed = 0; count > 0 && freed < share;) freed += bytes[--count];
      return count;
    };
    const [rejects, warnings, changes] = [kept(itemBytes.rejects), kept(itemBytes.warnings), kept(itemBytes.changes)];
    for (const reject of lists.rejects.slice(rejects)) countReason(omitted.rejects, reasonKey(reject.reason));
    for (const { kind } of lists.warnings.slice(warnings)) increment(omitted.warnings, kind);
    omitted.changes += lists.changes.length - changes;
    lists.rejects = lists.rejects.slice(0, rejects);
    lists.warnings = lists.warnings.slice(0, warnings);
    lists.changes = lists.changes.slice(0, changes);
  }
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value)) + 1;
}

function rejectAsJson(reject: Reject): ReportRejectResponse {
  return {
    file: reject.file,
    record: reject.record,
    line: reject.line,
    field: reject.offer?.field ?? null,
    description: reject.offer ? cutText(reject.offer.description) : null,
    price: reject.offer?.stated ?? null,
    date: reject.offer?.date ?? null,
    reason: reject.reason,
    fixes: reject.offer ? fixesFor(reject.offer) : [],
    closest_keys: reject.offer?.mappable ? (reject.offer.closestKeys ?? []) : [],
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
