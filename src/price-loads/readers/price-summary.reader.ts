import { SUPPLIER_NAME_MAX_LENGTH } from '../../material-prices/supplier-name';
import { FieldReader } from '../field-reader';
import { hasFields, problemItem, type RecordReader } from './record-reader';
import { SUPPLIER_DATE_FORMATS, supplierPriceItem } from './supplier-price';

/** Prices are compared by real dates, so a "latest" picked by comparing date texts never overrides a newer one. */
export const priceSummaryReader: RecordReader = {
  shape: 'supplier price summary',
  recognizes: (record) => hasFields(record, ['material', 'last_date']),
  read(record, context) {
    const fields = new FieldReader(record);
    const description = fields.text('material', { required: true });
    const pricePerFoot = fields.positiveNumber('price_per_foot', true);
    const supplier = fields.text('supplier', { maxLength: SUPPLIER_NAME_MAX_LENGTH });
    const date = fields.date('last_date', SUPPLIER_DATE_FORMATS);
    if (fields.problems.length > 0) return [problemItem(context.place, fields.problems)];
    return [
      supplierPriceItem(
        {
          descriptionField: 'material',
          description: description!,
          supplier,
          date,
          price: { field: 'price_per_foot', amount: pricePerFoot! },
          notes: null,
        },
        context,
      ),
    ];
  },
};
