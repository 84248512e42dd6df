import { quoteInput } from '../../common/quoted-input';
import { parseLengthFeet } from '../../material-keys/material-key';
import { SUPPLIER_NAME_MAX_LENGTH } from '../../material-prices/supplier-name';
import { FieldReader } from '../field-reader';
import { hasFields, problemItem, type RecordReader } from './record-reader';
import { SUPPLIER_DATE_FORMATS, supplierPriceItem } from './supplier-price';

export const stickPriceListReader: RecordReader = {
  shape: 'supplier price list by stick',
  recognizes: (record) => hasFields(record, ['material', 'size', 'price_per_piece']),
  read(record, context) {
    const fields = new FieldReader(record);
    const description = fields.text('material', { required: true });
    const size = fields.text('size');
    const pricePerFoot = fields.positiveNumber('price_per_foot');
    const pricePerPiece = fields.positiveNumber('price_per_piece');
    const supplier = fields.text('supplier', { maxLength: SUPPLIER_NAME_MAX_LENGTH });
    const date = fields.date('date', SUPPLIER_DATE_FORMATS);
    const stickLengthFeet = size === null ? null : parseLengthFeet(size);
    if (size !== null && stickLengthFeet === null) fields.problem(`size ${quoteInput(size)} is not a stick length like 24' 0"`);
    if (!fields.has('price_per_foot') && !fields.has('price_per_piece')) fields.problem('no price_per_foot and no price_per_piece');
    if (fields.problems.length > 0) return [problemItem(context.place, fields.problems)];
    return [
      supplierPriceItem(
        {
          descriptionField: 'material',
          description: description!,
          supplier,
          date,
          // The supplier's own per-foot figure is kept as stated; the piece price is the fallback.
          price: pricePerFoot !== null ? { field: 'price_per_foot', amount: pricePerFoot } : { perPiece: pricePerPiece!, stickLengthFeet },
          notes: pricePerPiece !== null && size !== null ? `${pricePerPiece} per ${size} stick` : null,
        },
        context,
      ),
    ];
  },
};
