import { validateMaterialPrice } from '../canonical-records';
import type { DateFormat } from '../dates';
import { roundPrice } from '../fields';
import { deriveMaterialKey, type MaterialProfile } from '../material-key';
import { itemOf, type ReadItem, type RecordPlace, sourceOf } from './record-reader';

/** Suppliers write M/D/YYYY; an export that already writes ISO dates or month names is read as well. */
export const SUPPLIER_DATE_FORMATS: readonly DateFormat[] = ['month/day/year', 'iso', 'month name'];

export type UnitPriceField = 'price_per_foot' | 'price_per_lb' | 'price_per_sqft';

/** A price as a supplier states it: per unit, or per piece (a stick, a cut sheet). */
export type StatedPrice = { field: UnitPriceField; amount: number } | { perPiece: number; stickLengthFeet?: number | null };

/** A supplier's priced line, before its description became a material key. */
export interface SupplierPrice {
  /** The field holding the description, for messages (`material`, `description`, `desc`). */
  descriptionField: string;
  description: string;
  /** Other texts of the record naming the alloy or shape (a category such as `ss_304_sq_tube`). */
  hints?: readonly string[];
  supplier: string | null;
  /** ISO date, or null when the source gives none. */
  date: string | null;
  price: StatedPrice;
  notes: string | null;
}

/** Derives the key, turns a piece price into a unit price, and validates the result as a canonical material price. */
export function supplierPriceItem(line: SupplierPrice, place: RecordPlace): ReadItem {
  const derived = deriveMaterialKey(line.description, line.hints);
  if ('problem' in derived) return { locator: place.locator, problem: `${line.descriptionField} ${JSON.stringify(line.description)}: ${derived.problem}` };
  const unitPrice = 'field' in line.price ? line.price : unitPriceOfPiece(line.price.perPiece, derived.profile, line.price.stickLengthFeet);
  if ('problem' in unitPrice) return { locator: place.locator, problem: `${line.descriptionField} ${JSON.stringify(line.description)}: ${unitPrice.problem}` };
  const canonical = {
    material_type: derived.profile.key,
    [unitPrice.field]: unitPrice.amount,
    supplier: line.supplier,
    date: line.date,
    notes: line.notes,
  };
  return itemOf(place.locator, validateMaterialPrice(canonical, sourceOf(place)));
}

/**
 * A piece price becomes a price per foot where the stick length is known (from the record, else from the
 * description), or a price per square foot where a sheet's width and length are; otherwise it is not guessed.
 */
function unitPriceOfPiece(perPiece: number, profile: MaterialProfile, stickLengthFeet?: number | null): { field: UnitPriceField; amount: number } | { problem: string } {
  const length = stickLengthFeet ?? profile.stickLengthFeet;
  if (length !== null) return { field: 'price_per_foot', amount: roundPrice(perPiece / length) };
  if (profile.sheetAreaSqft !== null) return { field: 'price_per_sqft', amount: roundPrice(perPiece / profile.sheetAreaSqft) };
  return { problem: `a price per piece (${perPiece}) with no stick length (like 20') or sheet size (like 48" x 96") to turn it into a unit price` };
}
