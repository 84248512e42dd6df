import { validateLaborActual } from '../canonical-records';
import { FieldReader } from '../field-reader';
import { describePlace, hasFields, itemOf, problemItem, type RecordReader } from './record-reader';

/** Invoices are exported with dates such as "Jun 18, 2024"; other common forms are read as well. */
const INVOICE_DATE_FORMATS = ['month name', 'month/day/year', 'iso'] as const;

export const jobInvoiceReader: RecordReader = {
  shape: 'job invoice',
  recognizes: (record) => hasFields(record, ['invoice', 'total']),
  read(record, context) {
    const fields = new FieldReader(record);
    const date = fields.date('date', INVOICE_DATE_FORMATS);
    const description = fields.text('description');
    if (fields.problems.length > 0) return [problemItem(context.place, fields.problems)];
    const canonical = {
      type: 'labor_actual',
      invoice: record.invoice,
      date,
      total: record.total,
      shop_rate: record.shop_rate,
      hours_quoted: record.hours_quoted,
      material_cost: record.material_cost,
      labor_cost: record.labor_cost,
      notes: description,
      file: record.file,
    };
    return [itemOf(context.place, validateLaborActual(canonical, describePlace(context.place)))];
  },
};
