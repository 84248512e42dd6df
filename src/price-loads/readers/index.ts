import { isRecord } from '../../common/json-values';
import { listQuoted, quoteInput } from '../../common/quoted-input';
import { LABOR_ACTUAL_TYPE, MATERIAL_PRICE_TYPE } from '../canonical-records';
import { describeValue } from '../field-reader';
import { billOfMaterialsReader } from './bill-of-materials.reader';
import { canonicalPriceReader, laborActualReader } from './canonical.readers';
import { jobInvoiceReader } from './job-invoice.reader';
import { priceSummaryReader } from './price-summary.reader';
import { problemItem, type ReadContext, type ReadItem, type RecordReader } from './record-reader';
import { stickPriceListReader } from './stick-price-list.reader';
import { supplierLineItemReader } from './supplier-line-item.reader';

export type { PriceOffer, ReadItem, RecordPlace } from './record-reader';
export { describePlace, problemItem } from './record-reader';

const TYPED_READERS: Record<string, RecordReader> = {
  [MATERIAL_PRICE_TYPE]: canonicalPriceReader,
  [LABOR_ACTUAL_TYPE]: laborActualReader,
};

// Most specific shape first; the canonical price comes last because any record with a price field looks like one.
const SHAPE_READERS: readonly RecordReader[] = [
  billOfMaterialsReader,
  jobInvoiceReader,
  stickPriceListReader,
  priceSummaryReader,
  supplierLineItemReader,
  canonicalPriceReader,
];

export interface RecordReading {
  shape: string | null;
  items: ReadItem[];
}

export function readRecord(record: unknown, context: ReadContext): RecordReading {
  const rejected = (problem: string): RecordReading => ({ shape: null, items: [problemItem(context.place, [problem])] });
  if (!isRecord(record)) return rejected(`the record is ${describeValue(record)}, not an object`);
  let reader: RecordReader | undefined;
  if ('type' in record) {
    reader = typeof record.type === 'string' ? TYPED_READERS[record.type] : undefined;
    if (!reader) {
      const type = typeof record.type === 'string' ? quoteInput(record.type) : describeValue(record.type);
      return rejected(`unknown record type ${type} (known: ${Object.keys(TYPED_READERS).join(', ')})`);
    }
  } else {
    reader = SHAPE_READERS.find((candidate) => candidate.recognizes(record));
    if (!reader) return rejected(`no known format has the fields ${listQuoted(Object.keys(record)) || '(none)'}`);
  }
  return { shape: reader.shape, items: reader.read(record, context) };
}
