// Canonical material price records for load runs (see /work/shared/specs/seeding.md), the same every time:
// `keys` distinct (material_type, supplier) pairs, each observed on records/keys different dates, in shuffled
// order so that older prices arrive after newer ones.
// As a command: node bench/price-records.mjs DIR RECORDS KEYS FILES  -> writes FILES JSON files into DIR.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SUPPLIERS = ['Supplier A', 'Supplier B', 'Supplier C', 'Supplier D'];
const SHAPES = [
  (size) => `sq_tube_${size}x11ga`,
  (size) => `flat_bar_${size}x0.25`,
  (size) => `round_bar_${size}`,
  (size) => `angle_${size}x${size}x0.125`,
  (size) => `plate_${size}`,
];
const FIRST_DATE = Date.UTC(2023, 0, 1);
const DAY_MS = 86_400_000;

export function generatePriceRecords(recordCount, keyCount) {
  if (recordCount % keyCount !== 0 || keyCount % SUPPLIERS.length !== 0) {
    throw new Error(`${recordCount} records must be a whole number of observations of ${keyCount} keys, in ${SUPPLIERS.length} suppliers`);
  }
  const observations = recordCount / keyCount;
  const records = [];
  for (let material = 0; material < keyCount / SUPPLIERS.length; material++) {
    // Sizes in sixteenths of an inch, written as decimal inches without trailing zeros.
    const materialType = SHAPES[material % SHAPES.length](String((Math.floor(material / SHAPES.length) + 1) / 16));
    for (const [supplierIndex, supplier] of SUPPLIERS.entries()) {
      for (let observation = 0; observation < observations; observation++) {
        records.push({
          material_type: materialType,
          price_per_foot: Math.round((1 + (material % 97) / 10 + supplierIndex * 0.25 + observation * 0.05) * 100) / 100,
          supplier,
          date: new Date(FIRST_DATE + observation * 7 * DAY_MS).toISOString().slice(0, 10),
        });
      }
    }
  }
  return shuffle(records);
}

/** `records` as one CSV spreadsheet with the canonical header. */
export function priceCsv(records) {
  const lines = records.map((record) => [record.material_type, record.price_per_foot, record.supplier, record.date].join(','));
  return `material_type,price_per_foot,supplier,date\n${lines.join('\n')}\n`;
}

/** Writes `records` into `fileCount` files of nearly equal size; returns the file paths. */
export function writePriceFiles(dir, records, fileCount) {
  mkdirSync(dir, { recursive: true });
  const perFile = Math.ceil(records.length / fileCount);
  return Array.from({ length: fileCount }, (_, index) => {
    const path = join(dir, `prices-${String(index).padStart(3, '0')}.json`);
    writeFileSync(path, JSON.stringify(records.slice(index * perFile, (index + 1) * perFile)));
    return path;
  });
}

/** Fisher-Yates with a fixed-seed generator (mulberry32): the same order on every run. */
function shuffle(items) {
  let state = 0x5eed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

if (import.meta.filename === process.argv[1]) {
  const [dir, records, keys, files] = process.argv.slice(2);
  writePriceFiles(dir, generatePriceRecords(Number(records), Number(keys)), Number(files));
}
