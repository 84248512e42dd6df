import { deriveMaterialKey, type MaterialProfile } from '../../material-keys/material-key';
import { validateMaterialPrice } from '../canonical-records';
import type { DateFormat } from '../dates';
import { describeValue, roundPrice } from '../field-reader';
import { describePlace, itemOf, type PriceOffer, type ReadContext, type ReadItem } from './record-reader';

/** Suppliers write M/D/YYYY; an export that already writes ISO dates or month names is read as well. */
export const SUPPLIER_DATE_FORMATS: readonly DateFormat[] = ['month/day/year', 'iso', 'month name'];

export type UnitPriceField = 'price_per_foot' | 'price_per_lb' | 'price_per_sqft';

export type StatedPrice = { field: UnitPriceField; amount: number } | { perPiece: number; stickLengthFeet?: number | null };

export interface SupplierPrice {
  descriptionField: string;
  description: string;
  hints?: readonly string[];
  supplier: string | null;
  date: string | null;
  price: StatedPrice;
  notes: string | null;
}

export function supplierPriceItem(line: SupplierPrice, { place, mappings, terms }: ReadContext): ReadItem {
  const offer: PriceOffer = {
    field: line.descriptionField,
    description: line.description,
    stated: describeStatedPrice(line.price),
    date: line.date,
    mappable: true,
  };
  const mapped = mappings.materialFor(line.description);
  if (mapped === 'ignore') return { place, ignored: offer };
  const derived = deriveMaterialKey(line.description, line.hints);
  if (!mapped && 'problem' in derived) return { place, problem: derived.problem, offer };
  // A mapped description may still state the stick length or sheet size that turns a piece price into a unit price.
  const profile = 'profile' in derived ? derived.profile : { stickLengthFeet: null, sheetAreaSqft: null };
  const unitPrice = 'field' in line.price ? line.price : unitPriceOfPiece(line.price.perPiece, profile, line.price.stickLengthFeet);
  if ('problem' in unitPrice) return { place, problem: unitPrice.problem, offer: { ...offer, mappable: false } };
  const canonical = {
    material_type: mapped || !('profile' in derived) ? undefined : derived.profile.key,
    [unitPrice.field]: unitPrice.amount,
    supplier: line.supplier,
    date: line.date,
    notes: line.notes,
  };
  return itemOf(
    place,
    validateMaterialPrice(canonical, describePlace(place), terms, { rawDescription: line.description, mappedKey: mapped?.materialType }),
  );
}

function describeStatedPrice(price: StatedPrice): string {
  return 'field' in price ? describeUnitPrice(price.amount, price.field) : `${price.perPiece} per piece`;
}

export function describeUnitPrice(amount: unknown, field: UnitPriceField): string {
  return `${typeof amount === 'number' ? amount : describeValue(amount)} ${field.replace('price_', '').replace('_', ' ')}`;
}

/** A piece price is not guessed into a unit price without a stick length or a sheet's width and length. */
function unitPriceOfPiece(
  perPiece: number,
  profile: Pick<MaterialProfile, 'stickLengthFeet' | 'sheetAreaSqft'>,
  stickLengthFeet?: number | null,
): { field: UnitPriceField; amount: number } | { problem: string } {
  const length = stickLengthFeet ?? profile.stickLengthFeet;
  if (length !== null) return { field: 'price_per_foot', amount: roundPrice(perPiece / length) };
  if (profile.sheetAreaSqft !== null) return { field: 'price_per_sqft', amount: roundPrice(perPiece / profile.sheetAreaSqft) };
  return {
    problem: `a price per piece (${perPiece}) with no stick length (like 20') or sheet size (like 48" x 96") to turn it into a unit price`,
  };
}
