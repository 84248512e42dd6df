import { quoteInput } from '../../common/quoted-input';
import { SUPPLIER_NAME_MAX_LENGTH } from '../../material-prices/supplier-name';
import { FieldReader } from '../field-reader';
import { hasFields, problemItem, type RecordReader } from './record-reader';
import { type StatedPrice, SUPPLIER_DATE_FORMATS, supplierPriceItem } from './supplier-price';

/** How a unit price is stored, by the unit a line states; per-pound prices stay per pound. */
const UNITS: Record<string, (rate: number) => StatedPrice> = {
  ft: (rate) => ({ field: 'price_per_foot', amount: rate }),
  lb: (rate) => ({ field: 'price_per_lb', amount: rate }),
  // Hundredweight: steel is often quoted per 100 lb.
  cwt: (rate) => ({ field: 'price_per_lb', amount: rate / 100 }),
  sqft: (rate) => ({ field: 'price_per_sqft', amount: rate }),
  piece: (rate) => ({ perPiece: rate }),
};
const UNIT_NAMES: Record<string, keyof typeof UNITS> = {
  ft: 'ft',
  foot: 'ft',
  feet: 'ft',
  lf: 'ft',
  lb: 'lb',
  lbs: 'lb',
  pound: 'lb',
  pounds: 'lb',
  cwt: 'cwt',
  sqft: 'sqft',
  'sq ft': 'sqft',
  ft2: 'sqft',
  ea: 'piece',
  each: 'piece',
  pc: 'piece',
  pcs: 'piece',
  piece: 'piece',
  stick: 'piece',
  len: 'piece',
  length: 'piece',
};

export const supplierLineItemReader: RecordReader = {
  shape: 'supplier estimate line',
  recognizes: (record) => hasFields(record, ['description', 'unit', 'rate_per_unit']),
  read(record, context) {
    const fields = new FieldReader(record);
    const description = fields.text('description', { required: true });
    const unitText = fields.text('unit', { required: true });
    const rate = fields.positiveNumber('rate_per_unit', true);
    const supplier = fields.text('supplier', { maxLength: SUPPLIER_NAME_MAX_LENGTH });
    const date = fields.date('date', SUPPLIER_DATE_FORMATS);
    const document = fields.text('file');
    const unit = unitText === null ? undefined : UNIT_NAMES[unitText.toLowerCase().replace(/\.$/, '')];
    if (unitText !== null && unit === undefined)
      fields.problem(`unit ${quoteInput(unitText)} is not one of ${Object.keys(UNIT_NAMES).join(', ')}`);
    if (fields.problems.length > 0) return [problemItem(context.place, fields.problems)];
    return [
      supplierPriceItem(
        { descriptionField: 'description', description: description!, supplier, date, price: UNITS[unit!](rate!), notes: document },
        context,
      ),
    ];
  },
};
