import { PRICE_FIELDS, validateLaborActual, validateMaterialPrice } from '../canonical-records';
import { itemOf, type RecordReader, sourceOf } from './record-reader';

/** The documented material price format; also the fallback for untyped records that carry a price field. */
export const canonicalPriceReader: RecordReader = {
  shape: 'material price',
  recognizes: (record) => 'material_type' in record || PRICE_FIELDS.some((name) => name in record),
  read: (record, place) => [itemOf(place.locator, validateMaterialPrice(record, sourceOf(place)))],
};

/** The documented labor actual format (`"type": "labor_actual"`). */
export const laborActualReader: RecordReader = {
  shape: 'labor actual',
  recognizes: (record) => record.type === 'labor_actual',
  read: (record, place) => [itemOf(place.locator, validateLaborActual(record, sourceOf(place)))],
};
