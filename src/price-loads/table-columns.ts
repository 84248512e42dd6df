import { listQuoted, quoteInput } from '../common/quoted-input';
import { MATERIAL_PRICE_TYPE, PRICE_FIELDS } from './canonical-records';

export const TABLE_FIELDS = ['material_type', ...PRICE_FIELDS, 'currency', 'supplier', 'date', 'notes'] as const;
export type TableField = (typeof TABLE_FIELDS)[number];

const SPELLINGS: Record<TableField, readonly string[]> = {
  material_type: ['material type', 'material', 'item', 'description', 'item description', 'material description', 'product'],
  price_per_foot: ['price per foot', 'price per ft', 'per ft', 'per foot', 'unit price', 'price', 'cost per foot', 'cost per ft'],
  price_per_lb: ['price per lb', 'price per pound', 'per lb', 'cost per lb'],
  price_per_sqft: ['price per sqft', 'price per sq ft', 'price per square foot', 'per sqft', 'per sq ft'],
  currency: ['currency', 'ccy'],
  supplier: ['supplier', 'supplier name', 'vendor', 'vendor name'],
  date: ['date', 'price date', 'quote date', 'last date'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks'],
};

const FIELD_OF_SPELLING = new Map<string, TableField>(
  TABLE_FIELDS.flatMap((field) => [field, ...SPELLINGS[field]].map((spelling) => [headerKey(spelling), field] as [string, TableField])),
);

/** `Price/ft` -> "price per ft", `price_per_foot` -> "price per foot", `Part #` -> "part". */
export function headerKey(cell: string): string {
  return cell
    .toLowerCase()
    .replace(/\//g, ' per ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface TableHeader {
  fields: (TableField | null)[];
  unused: string[];
}

const NEEDED = `the first row must name the columns it needs: a material (${listQuoted(['material_type', ...SPELLINGS.material_type.slice(1, 4)])}) and a price (${listQuoted([...PRICE_FIELDS, 'Price/ft', 'Unit Price'])}); supplier, date, currency and notes may follow, in any order`;

export function readHeader(cells: readonly string[]): TableHeader | { problem: string } {
  const fields = cells.map((cell) => FIELD_OF_SPELLING.get(headerKey(cell)) ?? null);
  const named = fields.filter((field) => field !== null);
  if (!named.includes('material_type') || !named.some((field) => (PRICE_FIELDS as readonly string[]).includes(field)))
    return { problem: `has no header row: ${NEEDED}; it reads ${listQuoted(cells.filter((cell) => cell.trim() !== '')) || '(nothing)'}` };
  const repeated = fields.find((field, index) => field !== null && fields.indexOf(field) !== index);
  if (repeated)
    return {
      problem: `names the column ${quoteInput(repeated)} twice: ${listQuoted(cells.filter((_, index) => fields[index] === repeated))}`,
    };
  return { fields, unused: cells.filter((cell, index) => fields[index] === null && cell.trim() !== '') };
}

export function unusedColumnsWarning(header: TableHeader): string | null {
  return header.unused.length === 0 ? null : `the columns ${listQuoted(header.unused)} are not used and were ignored`;
}

export function recordOfRow(cells: readonly unknown[], header: TableHeader): Record<string, unknown> {
  const record: Record<string, unknown> = { type: MATERIAL_PRICE_TYPE };
  cells.forEach((cell, index) => {
    if (cell === '' || cell === null || cell === undefined) return;
    if (index >= header.fields.length) record[`column ${index + 1}`] = cell;
    else if (header.fields[index] !== null) record[header.fields[index]] = cell;
  });
  return record;
}
