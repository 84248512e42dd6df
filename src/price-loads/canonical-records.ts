import { isRecord, type RawRecord } from '../common/json-values';
import { quoteInput } from '../common/quoted-input';
import { JOB_TYPES, LABOR_PROCESSES } from '../common/reference-data';
import { checkMaterialKey } from '../material-keys/material-key-check';
import { SUPPLIER_NAME_MAX_LENGTH, supplierNameProblem } from '../material-prices/supplier-name';
import { currencyOf, type DecimalStyle, isScopeCurrency } from './amounts';
import type { DateFormat } from './dates';
import { FieldReader } from './field-reader';

export interface PriceObservation {
  materialType: string;
  supplier: string | null;
  /** ISO date the supplier quoted the price; null when the source does not say (ranks below any dated price). */
  priceDate: string | null;
  pricePerFoot: number | null;
  pricePerLb: number | null;
  pricePerSqft: number | null;
  notes: string | null;
  currency: string;
  source: string;
  rawDescription: string | null;
  unknownKeyFamily: boolean;
}

export interface LaborActual {
  invoiceNumber: string | null;
  quoteId: number | null;
  invoiceDate: string | null;
  jobType: string | null;
  actualHoursByProcess: Record<string, number>;
  totalHours: number | null;
  quotedHours: number | null;
  shopRate: number | null;
  materialCost: number | null;
  laborCost: number | null;
  total: number | null;
  notes: string | null;
  sourceFile: string;
}

export type CanonicalRecord = { kind: 'material_price'; price: PriceObservation } | { kind: 'labor_actual'; actual: LaborActual };

/** `keyUnreadable`: the material key could not be read, which an owner's mapping can fix. */
export type Validated = { record: CanonicalRecord } | { problems: string[]; keyUnreadable?: boolean };

export const MATERIAL_PRICE_TYPE = 'material_price';
export const LABOR_ACTUAL_TYPE = 'labor_actual';
export const PRICE_FIELDS = ['price_per_foot', 'price_per_lb', 'price_per_sqft'] as const;

const MATERIAL_PRICE_FIELDS = ['type', 'material_type', ...PRICE_FIELDS, 'currency', 'supplier', 'date', 'notes'];
const LABOR_ACTUAL_FIELDS = [
  'type',
  'invoice',
  'quote_id',
  'date',
  'job_type',
  'actual_hours_by_process',
  'total_hours',
  'hours_quoted',
  'shop_rate',
  'material_cost',
  'labor_cost',
  'total',
  'notes',
  'file',
];
const INVOICE_MAX_LENGTH = 64;
const SOURCE_FILE_MAX_LENGTH = 512;

export interface PriceTerms {
  /** The scope's currency (ISO 4217): a price stated in another one is rejected, never converted. */
  currency: string;
  maxPerUnit: number;
  decimalStyles: readonly DecimalStyle[];
  dateFormats: readonly DateFormat[];
}

export interface KeyOrigin {
  rawDescription?: string;
  /** A key the owner's mappings gave for the description: it wins over the key grammar. */
  mappedKey?: string;
}

export function validateMaterialPrice(record: RawRecord, source: string, terms: PriceTerms, origin: KeyOrigin = {}): Validated {
  const fields = new FieldReader(record, terms.decimalStyles);
  fields.onlyFields(MATERIAL_PRICE_FIELDS);
  const typedKey = fields.text('material_type', { required: origin.mappedKey === undefined });
  const checked =
    origin.mappedKey !== undefined ? checkMaterialKey(origin.mappedKey) : typedKey === null ? null : checkMaterialKey(typedKey);
  if (checked?.kind === 'malformed') fields.problem(checked.problem);
  const materialType = checked === null || checked.kind === 'malformed' ? null : checked.key;
  const [pricePerFoot, pricePerLb, pricePerSqft] = PRICE_FIELDS.map((name) => fields.price(name, terms.maxPerUnit));
  if (!PRICE_FIELDS.some((name) => fields.has(name))) fields.problem(`no price: give ${PRICE_FIELDS.join(', ')} or several`);
  currencyProblem(fields, terms.currency);
  const supplier = fields.text('supplier', { maxLength: SUPPLIER_NAME_MAX_LENGTH });
  const supplierProblem = supplier === null ? null : supplierNameProblem(supplier);
  if (supplierProblem) fields.problem(`supplier ${supplierProblem}`);
  const priceDate = fields.date('date', terms.dateFormats);
  const notes = fields.text('notes');
  if (fields.problems.length > 0) return { problems: fields.problems, keyUnreadable: checked?.kind === 'malformed' };
  const price: PriceObservation = {
    materialType: materialType!,
    supplier,
    priceDate,
    pricePerFoot,
    pricePerLb,
    pricePerSqft,
    notes,
    currency: terms.currency,
    source,
    rawDescription: origin.rawDescription ?? typedKey,
    unknownKeyFamily: checked!.kind === 'unknown-family',
  };
  return { record: { kind: 'material_price', price } };
}

function currencyProblem(fields: FieldReader, scopeCurrency: string): void {
  const stated = fields.text('currency', { maxLength: 8 });
  if (stated !== null) {
    const code = currencyOf(stated);
    if (code === null) fields.problem(`currency ${quoteInput(stated)} is not an ISO 4217 code`);
    else fields.currencies.add(code);
  }
  const currencies = [...fields.currencies];
  if (currencies.length > 1) fields.problem(`the prices are in ${currencies.join(' and ')}: one record states one currency`);
  else if (currencies.length === 1 && !isScopeCurrency(currencies[0], scopeCurrency))
    fields.problem(`the price is in ${currencies[0]} and this scope's prices are in ${scopeCurrency}: prices are never converted`);
}

export function validateLaborActual(record: RawRecord, source: string): Validated {
  const fields = new FieldReader(record);
  fields.onlyFields(LABOR_ACTUAL_FIELDS);
  const invoiceNumber = fields.text('invoice', { maxLength: INVOICE_MAX_LENGTH, numbersAllowed: true });
  const quoteId = fields.positiveInteger('quote_id');
  if (!fields.has('invoice') && !fields.has('quote_id')) fields.problem('needs an invoice or a quote_id');
  const jobType = fields.text('job_type');
  if (jobType !== null && !(JOB_TYPES as readonly string[]).includes(jobType)) {
    fields.problem(`job_type ${quoteInput(jobType)} is not one of ${JOB_TYPES.join(', ')}`);
  }
  const actual: LaborActual = {
    invoiceNumber,
    quoteId,
    invoiceDate: fields.date('date', ['iso']),
    jobType,
    actualHoursByProcess: hoursByProcess(record.actual_hours_by_process, fields),
    totalHours: fields.nonNegativeNumber('total_hours'),
    quotedHours: fields.nonNegativeNumber('hours_quoted'),
    shopRate: fields.nonNegativeNumber('shop_rate'),
    materialCost: fields.nonNegativeNumber('material_cost'),
    laborCost: fields.nonNegativeNumber('labor_cost'),
    total: fields.nonNegativeNumber('total'),
    notes: fields.text('notes'),
    sourceFile: fields.text('file', { maxLength: SOURCE_FILE_MAX_LENGTH }) ?? source,
  };
  return fields.problems.length > 0 ? { problems: fields.problems } : { record: { kind: 'labor_actual', actual } };
}

function hoursByProcess(value: unknown, fields: FieldReader): Record<string, number> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    fields.problem('actual_hours_by_process must be an object of {process: hours}');
    return {};
  }
  const hours: Record<string, number> = {};
  const processFields = new FieldReader(value);
  for (const process of Object.keys(value)) {
    if (!(LABOR_PROCESSES as readonly string[]).includes(process)) {
      fields.problem(`actual_hours_by_process: ${quoteInput(process)} is not one of ${LABOR_PROCESSES.join(', ')}`);
      continue;
    }
    const processHours = processFields.nonNegativeNumber(process);
    if (processHours !== null) hours[process] = processHours;
  }
  for (const problem of processFields.problems) fields.problem(`actual_hours_by_process: ${problem}`);
  return hours;
}
