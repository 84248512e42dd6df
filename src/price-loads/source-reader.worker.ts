import { createHash } from 'node:crypto';
import { constants, platform, setPriority } from 'node:os';
import { isMainThread, type MessagePort } from 'node:worker_threads';

import { isRecord } from '../common/json-values';
import {
  type MappingEntry,
  MappingLookup,
  type MergedMappings,
  mergeMappingEntries,
  oversizedSections,
  parseMappingDocument,
} from '../material-prices/price-mappings';
import type { LaborActual, PriceTerms } from './canonical-records';
import { type FileCandidates, type HistoryBatch, PriceReduction, type UnknownFamily } from './price-reduction';
import { problemItem, type ReadItem, readRecord, type RecordPlace, type RecordReading } from './readers';
import { readJsonFile, type ReadLimits, readSourceFile, type SourceFormat } from './source-files';
import { SourceFileError } from './source-records';

export { decideCurrentPrices } from './current-price-decision';

const BATCH_RECORDS = 1000;
/** Every this many batches carry the history rows since the last: one statement of 5,000 records' rows. */
const BATCHES_PER_HISTORY = 5;
/** Batches posted before the main thread has taken them: the reading runs this far ahead of the writes, no further. */
const READ_AHEAD_BATCHES = 2;

// On a busy machine the event loop, which answers every request, gets the CPU first. Linux sets the priority of the calling
// thread; elsewhere it would be the whole process's.
if (!isMainThread && platform() === 'linux') setPriority(constants.priority.PRIORITY_BELOW_NORMAL);

export interface ReadTask {
  file: { name: string; path: string; format: SourceFormat };
  mappingEntries: readonly MappingEntry[];
  scope: Pick<PriceTerms, 'currency' | 'maxPerUnit'>;
  limits: ReadLimits;
  port: MessagePort;
}

/** What a read item is once its prices went into the reduction. */
export type BatchItem =
  Exclude<ReadItem, { record: unknown }> | { place: RecordPlace; record: { kind: 'labor_actual'; actual: LaborActual } };

/** Records read, counted; their items but the accepted prices, in the order read; the prices' history rows. */
export interface ReadBatch {
  records: number;
  exactDuplicates: number;
  shapes: string[];
  acceptedPrices: number;
  items: BatchItem[];
  history: HistoryBatch | null;
}

/** `problem`: the file turned out unreadable part-way (the batches before it were read); `warnings` are then left out. */
export interface FileEnd {
  problem: string | null;
  warnings: string[];
  unknownFamilies: [materialType: string, noted: UnknownFamily][];
}

/** After the batches, the file's best candidates, then its end. */
export type ReaderMessage = { batch: ReadBatch } | { candidates: FileCandidates } | { end: FileEnd };

export type ReaderRequest = 'more';

export default async function readSourceInBatches({ file, mappingEntries, scope, limits, port }: ReadTask): Promise<void> {
  const allowance = new Allowance(port, READ_AHEAD_BATCHES);
  const mappings = new MappingLookup(mappingEntries);
  const reduction = new PriceReduction(mappings);
  const post = (message: ReaderMessage) => port.postMessage(message, transfersOf(message));
  const end = (problem: string | null, warnings: string[]) => {
    post({ candidates: reduction.candidates() });
    post({ end: { problem, warnings, unknownFamilies: reduction.unknownFamilies() } });
  };
  try {
    const content = await readSourceFile(file.path, file.format, limits);
    if ('problem' in content) return end(content.problem, []);
    const terms: PriceTerms = { ...scope, ...content.terms };
    const seen = new Set<string>();
    let batch = emptyBatch();
    let records = 0;
    let problem: string | null = null;
    try {
      for await (const { value: record, line, problem: recordProblem } of content.records) {
        records += 1;
        const fingerprint = fingerprintOf(record);
        const duplicate = seen.has(fingerprint);
        if (!duplicate) seen.add(fingerprint);
        const place = { file: file.name, record: records, ...(line === undefined ? {} : { line }) };
        const reading: RecordReading =
          recordProblem === undefined
            ? readRecord(record, { place, mappings, terms })
            : { shape: null, items: [problemItem(place, [recordProblem])] };
        addReading(batch, reading, duplicate, reduction);
        if (batch.records < BATCH_RECORDS) continue;
        if (!(await allowance.take())) return;
        post({ batch: { ...batch, history: (records / BATCH_RECORDS) % BATCHES_PER_HISTORY === 0 ? reduction.takeHistory() : null } });
        batch = emptyBatch();
      }
    } catch (error) {
      if (!(error instanceof SourceFileError)) throw error;
      problem = error.message;
    }
    const history = reduction.takeHistory();
    if (batch.records > 0 || history !== null) {
      if (!(await allowance.take())) return;
      post({ batch: { ...batch, history } });
    }
    end(problem, problem === null ? content.warnings : []);
  } finally {
    allowance.end();
  }
}

function transfersOf(message: ReaderMessage): ArrayBuffer[] {
  if ('candidates' in message) return [message.candidates.serialized.buffer, message.candidates.materialTypes.buffer];
  return 'batch' in message && message.batch.history !== null ? [message.batch.history.rows.buffer] : [];
}

function emptyBatch(): ReadBatch {
  return { records: 0, exactDuplicates: 0, shapes: [], acceptedPrices: 0, items: [], history: null };
}

function addReading(batch: ReadBatch, reading: RecordReading, duplicate: boolean, reduction: PriceReduction): void {
  batch.records += 1;
  if (duplicate) batch.exactDuplicates += 1;
  if (reading.shape !== null && !batch.shapes.includes(reading.shape)) batch.shapes.push(reading.shape);
  for (const item of reading.items) {
    if (!('record' in item)) {
      batch.items.push(item);
    } else if (item.record.kind === 'material_price') {
      reduction.add(item.record.price);
      batch.acceptedPrices += 1;
    } else {
      batch.items.push({ place: item.place, record: item.record });
    }
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
