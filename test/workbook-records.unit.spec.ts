import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ExcelJS from 'exceljs';
import JSZip from 'jszip';

import { readWorkbookFile } from '../src/price-loads/workbook-records';

const MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024;

/** A notes sheet and two price sheets, as exceljs writes them: the sheets first, the shared strings after them, the workbook part last. */
async function priceWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Read me').addRow(['Prices from our suppliers']);
  workbook.addWorksheet('Steel').addRows([
    ['Item', 'Price/ft', 'Supplier Name'],
    ['sq_tube_2x11ga', 3.45, 'Osorio'],
    ['flat_bar_2x0.25', 6.9, 'Osorio'],
  ]);
  workbook.addWorksheet('Aluminum').addRows([
    ['Vendor', 'Description', 'Unit Price'],
    ['Wexler', 'al_sheet_0.125', 12.75],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same parts, `last` moved to the end in that order; stored parts inflate in no time, so the archive's end comes soonest. */
async function reordered(workbook: Buffer, last: string[], compression: 'STORE' | 'DEFLATE'): Promise<Buffer> {
  const parts = await JSZip.loadAsync(workbook);
  const names = Object.keys(parts.files).filter((name) => !parts.files[name].dir);
  const out = new JSZip();
  for (const name of [...names.filter((name) => !last.includes(name)), ...last])
    out.file(name, await parts.file(name)!.async('nodebuffer'));
  return out.generateAsync({ type: 'nodebuffer', compression });
}

const SHEETS = ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml'];

/** The archive with one part's uncompressed size declared as `size` in its local header and in the central directory. */
function understated(archive: Buffer, partName: string, size: number): Buffer {
  const patched = Buffer.from(archive);
  for (let at = 0; at + 46 <= patched.length; at++) {
    if (patched.readUInt32LE(at) !== 0x02014b50) continue;
    const name = patched.toString('utf8', at + 46, at + 46 + patched.readUInt16LE(at + 28));
    if (name !== partName) continue;
    patched.writeUInt32LE(size, at + 24);
    patched.writeUInt32LE(size, patched.readUInt32LE(at + 42) + 22);
  }
  return patched;
}

describe('a workbook read whatever the order of its parts', () => {
  let folder: string;

  beforeAll(async () => (folder = await mkdtemp(join(tmpdir(), 'workbook-records-'))));
  afterAll(() => rm(folder, { recursive: true, force: true }));

  async function read(content: Buffer) {
    const path = join(folder, 'prices.xlsx');
    await writeFile(path, content);
    const file = await readWorkbookFile(path, MAX_UNCOMPRESSED_BYTES);
    if ('problem' in file) throw new Error(file.problem);
    const records = [];
    for await (const record of file.records) records.push(record);
    return { records, warnings: file.warnings };
  }

  it('refuses a part that inflates beyond its declared size while it is read', async () => {
    const content = understated(await reordered(await priceWorkbook(), [], 'DEFLATE'), 'xl/worksheets/sheet2.xml', 10);
    await expect(read(content)).rejects.toThrow(/^is not a readable \.xlsx workbook: too many bytes/);
  });

  it.each([
    ['as exceljs writes it', [], 'DEFLATE'],
    ['every part stored, the sheets before the shared strings and the workbook part', [], 'STORE'],
    ['the workbook part after the sheets, the shared strings and relationships before them', [...SHEETS, 'xl/workbook.xml'], 'DEFLATE'],
    [
      'the relationships and the workbook part after the sheets, stored',
      [...SHEETS, 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml'],
      'STORE',
    ],
  ] as const)('gives every row of every sheet by its name: %s', async (_, last, compression) => {
    const content = await reordered(await priceWorkbook(), [...last], compression);
    // Each layout read a few times: the parts of an archive once came out of its stream in a race with the reading.
    for (let reading = 0; reading < 5; reading++) {
      expect(await read(content)).toEqual({
        records: [
          { value: { type: 'material_price', material_type: 'sq_tube_2x11ga', price_per_foot: 3.45, supplier: 'Osorio' }, line: 2 },
          { value: { type: 'material_price', material_type: 'flat_bar_2x0.25', price_per_foot: 6.9, supplier: 'Osorio' }, line: 3 },
          { value: { type: 'material_price', material_type: 'al_sheet_0.125', price_per_foot: 12.75, supplier: 'Wexler' }, line: 2 },
        ],
        warnings: ['the sheets "Read me" have no usable header row and were skipped'],
      });
    }
  });
});
