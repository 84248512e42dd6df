import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

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

const USD = { currency: 'USD', maxPerUnit: 100_000 };
const price = (index: number) => ({ material_type: 'sq_tube_2x11ga', price_per_foot: 1 + (index % 3), supplier: 'Osorio', date: null });

describe('the price file reader (the worker thread side, run in this thread)', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'source-reader-'));
    await writeFile(join(folder, 'prices.json'), JSON.stringify(Array.from({ length: 4500 }, (_, index) => price(index))));
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
    port.postMessage('more');
    await inbox.until(3);
    port.postMessage('more');
    port.postMessage('more');
    await task;
    await inbox.until(6);
    const sizes = inbox.received.map((message) => ('readings' in message ? message.readings.length : message));
    expect(sizes).toEqual([1000, 1000, 1000, 1000, 500, { done: true, warnings: [] }]);
    const first = inbox.received[0] as { readings: { duplicate: boolean; shape: string | null; items: { place: unknown }[] }[] };
    expect(first.readings.slice(0, 4).map((reading) => [reading.shape, reading.duplicate, reading.items[0].place])).toEqual([
      ['material price', false, { file: 'prices.json', record: 1 }],
      ['material price', false, { file: 'prices.json', record: 2 }],
      ['material price', false, { file: 'prices.json', record: 3 }],
      ['material price', true, { file: 'prices.json', record: 4 }],
    ]);
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
    await inbox.until(2);
    expect(inbox.received).toEqual([
      {
        readings: [
          expect.objectContaining({
            shape: 'material price',
            items: [expect.objectContaining({ place: { file: 'broken.csv', record: 1, line: 2 } })],
          }),
        ],
      },
      { problem: expect.stringMatching(/^is not valid CSV from line 3 on: Quote Not Closed/) },
    ]);
    port.close();
  });
});
