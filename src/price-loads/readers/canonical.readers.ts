import { PRICE_FIELDS, validateLaborActual, validateMaterialPrice } from '../canonical-records';
import { describePlace, itemOf, type PriceOffer, type RecordReader } from './record-reader';
import { describeUnitPrice } from './supplier-price';

/** The owner's mappings read a typed key like a supplier's description, so a key the grammar rejects can be mapped. */
export const canonicalPriceReader: RecordReader = {
  shape: 'material price',
  recognizes: (record) => 'material_type' in record || PRICE_FIELDS.some((name) => name in record),
  read: (record, { place, mappings, terms }) => {
    const typedKey = typeof record.material_type === 'string' ? record.material_type.trim() : null;
    const offer: PriceOffer | null = typedKey
      ? {
          field: 'material_type',
          description: typedKey,
          stated: PRICE_FIELDS.filter((name) => record[name] !== undefined && record[name] !== null)
            .map((name) => describeUnitPrice(record[name], name))
            .join(', '),
          date: typeof record.date === 'string' ? record.date : null,
          mappable: true,
        }
      : null;
    const mapped = typedKey ? mappings.materialFor(typedKey) : undefined;
    if (mapped === 'ignore') return [{ place, ignored: offer! }];
    const validated = validateMaterialPrice(
      record,
      describePlace(place),
      terms,
      mapped ? { mappedKey: mapped.materialType, rawDescription: typedKey! } : {},
    );
    return [itemOf(place, validated, 'keyUnreadable' in validated && validated.keyUnreadable ? offer : null)];
  },
};

export const laborActualReader: RecordReader = {
  shape: 'labor actual',
  recognizes: (record) => record.type === 'labor_actual',
  read: (record, { place }) => [itemOf(place, validateLaborActual(record, describePlace(place)))],
};
