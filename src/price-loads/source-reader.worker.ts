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

const BATCH_RECORDS = 1000;
/** Batches posted before the main thread has taken them: the reading runs this far ahead of the writes, no further. */
const READ_AHEAD_BATCHES = 2;

export interface ReadTask {
  file: { name: string; path: string; format: SourceFormat };
  mappingEntries: MappingEntry[];
  scope: Pick<PriceTerms, 'currency' | 'maxPerUnit'>;
  limits: ReadLimits;
  port: MessagePort;
}

export interface FileRecordReading extends RecordReading {
  duplicate: boolean;
}

export type ReaderMessage = { readings: FileRecordReading[] } | { done: true; warnings: string[] } | { problem: string };

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

export interface MappingsFileTask {
  path: string;
  maxEntries: number;
}

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

/** Each text prefixed by its length, so that no two records give one text; a digest keeps a 5 MB cell's fingerprint small. */
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
