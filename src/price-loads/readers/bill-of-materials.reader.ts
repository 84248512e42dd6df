import { isRecord } from '../../common/json-values';
import { SUPPLIER_NAME_MAX_LENGTH } from '../../material-prices/supplier-name';
import { FieldReader } from '../field-reader';
import { problemItem, type ReadContext, type ReadItem, type RecordReader } from './record-reader';
import { SUPPLIER_DATE_FORMATS, supplierPriceItem } from './supplier-price';

/** "Acme Metals Inc. Quotation 62028": the supplier is named before the document's own reference. */
const SUPPLIER_BEFORE_DOCUMENT_REFERENCE = /^(.+?)[\s,;:-]+(?:quotation|quote|estimate|invoice|order)\b[\s#:.]*[\w-]*$/i;

/** The unit price of a line is per piece (a stick, a cut sheet). */
export const billOfMaterialsReader: RecordReader = {
  shape: 'bill of materials',
  recognizes: (record) => Array.isArray(record.materials),
  read(record, context) {
    const fields = new FieldReader(record);
    const product = fields.text('product');
    const sourceQuote = fields.text('source_quote');
    const supplier = fields.text('supplier', { maxLength: SUPPLIER_NAME_MAX_LENGTH }) ?? supplierOf(sourceQuote);

    const date = fields.date('date', SUPPLIER_DATE_FORMATS);
    if (fields.problems.length > 0) return [problemItem(context.place, fields.problems)];
    const origin = [product && `${product} bill of materials`, sourceQuote].filter(Boolean).join(', ');
    return (record.materials as unknown[]).map((line, index) =>
      readLine(line, { ...context, place: { ...context.place, line: index + 1 } }, supplier, date, origin),
    );
  },
};

function readLine(line: unknown, context: ReadContext, supplier: string | null, date: string | null, origin: string): ReadItem {
  if (!isRecord(line)) return problemItem(context.place, ['the line is not an object']);
  const fields = new FieldReader(line);
  const description = fields.text('desc', { required: true });
  const category = fields.text('material');
  const perPiece = fields.positiveNumber('unit_price', true);
  if (fields.problems.length > 0) return problemItem(context.place, fields.problems);
  return supplierPriceItem(
    {
      descriptionField: 'desc',
      description: description!,
      hints: category === null ? [] : [category],
      supplier,
      date,
      price: { perPiece: perPiece! },
      notes: [origin, `${perPiece} per piece`].filter(Boolean).join(', '),
    },
    context,
  );
}

function supplierOf(sourceQuote: string | null): string | null {
  if (sourceQuote === null) return null;
  return (SUPPLIER_BEFORE_DOCUMENT_REFERENCE.exec(sourceQuote)?.[1] ?? sourceQuote).slice(0, SUPPLIER_NAME_MAX_LENGTH);
}
