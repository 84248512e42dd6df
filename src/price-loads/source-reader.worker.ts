import { createHash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';

import { isRecord } from '../common/json-values';
import {
  type MappingEntry,
  MappingLookup,
  type MergedMappings,
  mergeMappingEntries,
  oversizedSections,
  parseMappingDocument,
} from '../material-prices/price-mappings';
import type { PriceTerms } from './canonical-records';
import { problemItem, readRecord, type RecordReading } from './readers';
import { readJsonFile, type ReadLimits, readSourceFile, type SourceFormat } from './source-files';
import { SourceFileError } from './source-records';

/**
 * The worker thread's half of reading a load's files (SourceReaderPool runs it; scripts/build.mjs bundles it as
 * dist/bundle/source-reader.js): a price file is parsed and each record read through the reader of its shape
 * (material keys, checks, the owner's description mappings), its readings posted in batches, so the event loop only
 * hands them to the writers; a mappings document is parsed, checked and merged over the stored mappings here too.
 */

/** Records per message. */
const BATCH_RECORDS = 1000;
/** Batches posted before the main thread has taken them: the reading runs this far ahead of the writes, no further. */
const READ_AHEAD_BATCHES = 2;

export interface ReadTask {
  file: { name: string; path: string; format: SourceFormat };
  /** What the readers look up: the scope's material and ignore mappings. */
  mappingEntries: MappingEntry[];
  /** The scope's terms: its currency and the highest price per unit. */
  scope: Pick<PriceTerms, 'currency' | 'maxPerUnit'>;
  limits: ReadLimits;
  port: MessagePort;
}

/** One record as read (its items carry their places), and whether an earlier record of its file was identical. */
export interface FileRecordReading extends RecordReading {
  duplicate: boolean;
}

/**
 * Worker to main thread: a batch of readings; the end of the file; or why the file cannot be read (at once, or
 * part-way after the batches before it: a SourceFileError, whose message completes "<file> …").
 */
export type ReaderMessage = { readings: FileRecordReading[] } | { done: true; warnings: string[] } | { problem: string };

/** Main thread to worker: take one batch more. Closing its port stops the reading. */
export type ReaderRequest = 'more';

export default async function readSourceInBatches({ file, mappingEntries, scope, limits, port }: ReadTask): Promise<void> {
  const allowance = new Allowance(port, READ_AHEAD_BATCHES);
  const post = (message: ReaderMessage) => port.postMessage(message);
  try {
    const content = await readSourceFile(file.path, file.format, limits);
    if ('problem' in content) return post({ problem: content.problem });
    const mappings = new MappingLookup(mappingEntries);
    const terms: PriceTerms = { ...scope, ...content.terms };
    const seen = new Set<string>();
    let batch: FileRecordReading[] = [];
    let records = 0;
    let end: ReaderMessage = { done: true, warnings: content.warnings };
    try {
      for await (const { value: record, line, problem } of content.records) {
        records += 1;
        const fingerprint = fingerprintOf(record);
        const duplicate = seen.has(fingerprint);
        if (!duplicate) seen.add(fingerprint);
        const place = { file: file.name, record: records, ...(line === undefined ? {} : { line }) };
        const reading =
          problem === undefined ? readRecord(record, { place, mappings, terms }) : { shape: null, items: [problemItem(place, [problem])] };
        batch.push({ ...reading, duplicate });
        if (batch.length < BATCH_RECORDS) continue;
        if (!(await allowance.take())) return;
        post({ readings: batch });
        batch = [];
      }
    } catch (error) {
      if (!(error instanceof SourceFileError)) throw error;
      end = { problem: error.message };
    }
    if (batch.length > 0) {
      if (!(await allowance.take())) return;
      post({ readings: batch });
    }
    post(end);
  } finally {
    allowance.end();
  }
}

/** A mappings file to read and check, refused when a section alone holds more than `maxEntries` entries. */
export interface MappingsFileTask {
  path: string;
  maxEntries: number;
}

/** The entries of a mappings file; or why it cannot be used: unreadable, or refused (as a merge can be). */
export type MappingsFileReading =
  { entries: MappingEntry[] } | { unreadable: string } | { refused: 'too_many' | 'invalid'; problems: string[] };

/** Counted before any entry is checked, so a file of a million entries costs one count. */
export async function readMappingsFile({ path, maxEntries }: MappingsFileTask): Promise<MappingsFileReading> {
  const content = await readJsonFile(path);
  if ('problem' in content) return { unreadable: content.problem };
  const oversized = oversizedSections(content.value, maxEntries);
  if (oversized.length > 0) return { refused: 'too_many', problems: oversized };
  const parsed = parseMappingDocument(content.value);
  return 'problems' in parsed ? { refused: 'invalid', problems: parsed.problems } : parsed;
}

export interface MergeMappingsTask {
  stored: MappingEntry[];
  incoming: MappingEntry[];
  maxEntries: number;
}

export function mergeMappings({ stored, incoming, maxEntries }: MergeMappingsTask): MergedMappings {
  return mergeMappingEntries(stored, incoming, maxEntries);
}

/**
 * What tells a record from the others of its file: a SHA-256 digest of its fields in order, each text prefixed by its
 * length so that no two records give one text. DECISION: a digest, not the record's JSON: JSON escapes a control
 * character as six, so a 5 MB cell of them made a 30 MB fingerprint (held until its file ended), where the digest is
 * 44 characters and the text it hashes is the record's own length.
 */
function fingerprintOf(record: unknown): string {
  let text = '';
  if (isRecord(record)) for (const key of Object.keys(record)) text += fieldText(key) + fieldText(record[key]);
  else text = `v${fieldText(record)}`;
  return createHash('sha256').update(text).digest('base64');
}

function fieldText(value: unknown): string {
  return typeof value === 'string' ? `s${value.length}:${value}` : `j${JSON.stringify(value) ?? 'undefined'}:`;
}

/** How many more batches the main thread takes: READ_AHEAD_BATCHES at first, one per "more"; none once it closed the port. */
class Allowance {
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly onMore = () => {
    this.batches += 1;
    this.wake?.();
  };
  private readonly onClose = () => {
    this.closed = true;
    this.wake?.();
  };

  constructor(
    private readonly port: MessagePort,
    private batches: number,
  ) {
    port.on('message', this.onMore);
    port.on('close', this.onClose);
  }

  /** Waits until one more batch may be posted; false when the main thread stopped reading. */
  async take(): Promise<boolean> {
    while (this.batches === 0 && !this.closed) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.closed) return false;
    this.batches -= 1;
    return true;
  }

  end(): void {
    this.port.off('message', this.onMore);
    this.port.off('close', this.onClose);
  }
}
