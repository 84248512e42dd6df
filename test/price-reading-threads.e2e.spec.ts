import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { emptyReport, type LoadReport } from '../src/price-loads/load-report';
import { PriceLoadService } from '../src/price-loads/price-load.service';
import { closeTestApp, openTestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const RECORDS = 50_000;
/** A few supplier descriptions, each read through the key grammar; one price each, so the history stays a few rows. */
const DESCRIPTIONS = [
  `2" x 2" x 11G HR SQUARE TUBE 24'`,
  `1-1/2" x 1-1/2" x 14G HR SQUARE TUBE 24'`,
  `FLAT BAR 2" x 1/4" HR 20'`,
  `ANGLE 2" x 2" x 1/4" HR 20'`,
];

describe('reading a price file off the event loop', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let workdir: string;

  beforeAll(async () => {
    ({ db, app } = await openTestApp());
    workdir = await mkdtemp(join(tmpdir(), 'price-reading-'));
    const lines = Array.from({ length: RECORDS }, (_, index) => ({
      description: DESCRIPTIONS[index % DESCRIPTIONS.length],
      unit: 'ft',
      rate_per_unit: 2 + (index % DESCRIPTIONS.length),
      supplier: 'Osorio',
      date: '3/15/2025',
      file: `estimate-${index}.pdf`,
    }));
    await writeFile(join(workdir, 'estimate-lines.json'), JSON.stringify(lines));
  });

  afterAll(async () => {
    await closeTestApp(db, app);
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  // The load reports its progress every 5,000 records of a file: between the marks at 5,000 and 45,000 records the
  // file is being read and nothing is written (a few distinct prices, kept for the end), so whatever the server
  // answers in that stretch it answers while a file is read. Counted, not timed.
  it('keeps answering /api/health/live while a large file is read', async () => {
    let stretch = 'before' as 'before' | 'reading' | 'after';
    const onProgress = ({ records }: { records: number }) => {
      if (records >= 45_000) stretch = 'after';
      else if (records >= 5_000 && stretch === 'before') stretch = 'reading';
    };
    let report: LoadReport | undefined;
    const load = app
      .get(PriceLoadService)
      .load({
        report: emptyReport({ dryRun: true, shopEmail: null, directory: workdir }),
        shopId: null,
        files: [{ name: 'estimate-lines.json', path: join(workdir, 'estimate-lines.json'), format: 'json' }],
        mappingEntries: [],
        onProgress,
      })
      .then((finished) => (report = finished.report));

    let answeredWhileReading = 0;
    // Bounded by the load itself: polling stops when it has finished.
    while (report === undefined) {
      const answer = await Promise.race([request(app.getHttpServer()).get('/api/health/live'), load.then(() => null)]);
      if (answer === null) break;
      expect(answer.status).toBe(200);
      if (stretch === 'reading') answeredWhileReading += 1;
    }
    await load;

    expect(report!.files).toEqual([
      expect.objectContaining({ file: 'estimate-lines.json', records: RECORDS, accepted: RECORDS, rejected: 0 }),
    ]);
    expect(answeredWhileReading).toBeGreaterThanOrEqual(5);
  });
});
