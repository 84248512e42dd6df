import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

import type { Candidate } from '../src/price-loads/price-reduction';
import readSourceInBatches, { type ReaderMessage } from '../src/price-loads/source-reader.worker';

/** The messages a port has received so far, and a wait for the next one. */
function inboxOf(port: MessagePort) {
  const received: ReaderMessage[] = [];
  let wake: (() => void) | undefined;
  port.on('message', (message: ReaderMessage) => {
    received.push(message);
    wake?.();
  });
  return {
    received,
    async until(count: number) {
      while (received.length < count) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

/** A file's candidates as the decision reads them. */
function candidatesOf(message: ReaderMessage) {
  if (!('candidates' in message)) throw new Error(`not the candidates: ${Object.keys(message).join()}`);
  return {
    candidates: deserialize(message.candidates.serialized) as Candidate[],
    materialTypes: JSON.parse(new TextDecoder().decode(message.candidates.materialTypes)) as string[],
  };
}

const USD = { currency: 'USD', maxPerUnit: 100_000 };
const price = (index: number) => ({ material_type: 'sq_tube_2x11ga', price_per_foot: 1 + (index % 3), supplier: 'Osorio', date: null });

describe('the price file reader (the worker thread side, run in this thread)', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'source-reader-'));
    await writeFile(join(folder, 'prices.json'), JSON.stringify(Array.from({ length: 11_000 }, (_, index) => price(index))));
    await writeFile(join(folder, 'broken.csv'), `material_type,price_per_foot\nsq_tube_2x11ga,1\nsq_tube_2x11ga,"2\n`);
  });

  afterAll(() => rm(folder, { recursive: true, force: true }));

  const read = (name: string, format: 'json' | 'csv') => {
    const { port1: port, port2: workerPort } = new MessageChannel();
    const inbox = inboxOf(port);
    const task = readSourceInBatches({
      file: { name, path: join(folder, name), format },
      mappingEntries: [],
      scope: USD,
      limits: { xlsxMaxUncompressedBytes: 1024 * 1024 },
      port: workerPort,
    });
    return { port, inbox, task };
  };

  it('posts two batches ahead of what was taken, one more per "more", then the end', async () => {
    const { port, inbox, task } = read('prices.json', 'json');
    await inbox.until(2);
    // Nothing more comes until the main thread takes a batch: the worker waits for it, holding one batch at most.
    await new Promise((resolve) => setImmediate(resolve));
    expect(inbox.received).toHaveLength(2);
    for (let taken = 1; taken <= 10; taken += 1) {
      port.postMessage('more');
      await inbox.until(2 + taken);
    }
    await task;
    await inbox.until(14);
    const batches = inbox.received.flatMap((message) => ('batch' in message ? [message.batch] : []));
    // The file ends on a batch of its own for the history of its last 1,000 records.
    expect(batches.map((batch) => batch.records)).toEqual([...Array<number>(11).fill(1000), 0]);
    expect(batches.map((batch) => batch.acceptedPrices)).toEqual([...Array<number>(11).fill(1000), 0]);
    expect(batches[0]).toMatchObject({ exactDuplicates: 997, shapes: ['material price'], items: [] });
    // The history of every 5,000 records goes in one batch, each observation once: the three prices the records repeat.
    const historyRows = batches.map(
      (batch) => batch.history && (JSON.parse(new TextDecoder().decode(batch.history.rows)) as unknown[]).length,
    );
    expect(historyRows).toEqual([null, null, null, null, 3, null, null, null, null, 3, null, 3]);
    expect(batches[4].history?.spellings).toEqual([['Osorio', 5000]]);
    expect(inbox.received.slice(12)).toEqual([
      { candidates: { items: 1, serialized: expect.any(Uint8Array), materialTypes: expect.any(Uint8Array) } },
      { end: { problem: null, warnings: [], unknownFamilies: [] } },
    ]);
    const { candidates } = candidatesOf(inbox.received[12]);
    expect(candidates).toEqual([expect.objectContaining({ materialType: 'sq_tube_2x11ga', unit: 'foot', price: 3 })]);
    // Every price of the best candidate's date (the records are undated) is pooled.
    expect([...candidates[0].pricesOnItsDate].sort()).toEqual([1, 2, 3]);
    expect(candidatesOf(inbox.received[12]).materialTypes).toEqual(['sq_tube_2x11ga']);
    port.close();
  });

  it('stops reading when the main thread closes its port', async () => {
    const { port, inbox, task } = read('prices.json', 'json');
    await inbox.until(2);
    port.close();
    await task;
    expect(inbox.received).toHaveLength(2);
  });

  it('posts the records before a part-way break, then the problem', async () => {
    const { port, inbox, task } = read('broken.csv', 'csv');
    await task;
    await inbox.until(3);
    expect(inbox.received).toEqual([
      { batch: expect.objectContaining({ records: 1, acceptedPrices: 1, items: [] }) },
      { candidates: expect.any(Object) },
      { end: { problem: expect.stringMatching(/^is not valid CSV from line 3 on: Quote Not Closed/), warnings: [], unknownFamilies: [] } },
    ]);
    expect(candidatesOf(inbox.received[1]).candidates).toEqual([expect.objectContaining({ price: 1 })]);
    port.close();
  });
});
