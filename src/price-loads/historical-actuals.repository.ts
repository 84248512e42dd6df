import { Injectable } from '@nestjs/common';

import type { SqlClient } from '../database/sql-client';
import type { LaborActual } from './canonical-records';

const ACTUAL_COLUMNS = [
  'quote_id',
  'invoice_date',
  'job_type',
  'actual_hours_by_process',
  'total_hours',
  'quoted_hours',
  'shop_rate',
  'actual_material_cost',
  'labor_cost',
  'invoice_total',
  'notes',
  'source_file',
];

/** Inserts new actuals; updates stored ones only where a value differs, so unchanged ones are not returned. */
function upsertActuals(conflictTarget: string): string {
  return `
  INSERT INTO historical_actuals AS existing (shop_id, invoice_number, ${ACTUAL_COLUMNS.join(', ')})
  SELECT $1::integer, a.invoice_number, ${ACTUAL_COLUMNS.map((column) => `a.${column}`).join(', ')}
    FROM jsonb_to_recordset($2::jsonb) AS a(invoice_number varchar, quote_id integer, invoice_date date, job_type varchar,
      actual_hours_by_process jsonb, total_hours float8, quoted_hours float8, shop_rate float8, actual_material_cost float8,
      labor_cost float8, invoice_total float8, notes text, source_file varchar)
  ON CONFLICT ${conflictTarget} DO UPDATE SET ${ACTUAL_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
    WHERE (${ACTUAL_COLUMNS.map((column) => `existing.${column}`).join(', ')})
      IS DISTINCT FROM (${ACTUAL_COLUMNS.map((column) => `EXCLUDED.${column}`).join(', ')})
  RETURNING existing.id`;
}

// The partial unique indexes UQ_historical_actuals_invoice and UQ_historical_actuals_quote (NULLS NOT DISTINCT).
const UPSERT_INVOICE_ACTUALS = upsertActuals('(shop_id, invoice_number) WHERE invoice_number IS NOT NULL');
const UPSERT_QUOTE_ACTUALS = upsertActuals('(shop_id, quote_id) WHERE invoice_number IS NULL');

function actualRow(actual: LaborActual) {
  return {
    invoice_number: actual.invoiceNumber,
    quote_id: actual.quoteId,
    invoice_date: actual.invoiceDate,
    job_type: actual.jobType,
    actual_hours_by_process: actual.actualHoursByProcess,
    total_hours: actual.totalHours,
    quoted_hours: actual.quotedHours,
    shop_rate: actual.shopRate,
    actual_material_cost: actual.materialCost,
    labor_cost: actual.laborCost,
    invoice_total: actual.total,
    notes: actual.notes,
    source_file: actual.sourceFile,
  };
}

@Injectable()
export class HistoricalActualsRepository {
  upsertByInvoice(sql: SqlClient, shopId: number | null, actuals: readonly LaborActual[]): Promise<number> {
    return this.upsert(sql, UPSERT_INVOICE_ACTUALS, shopId, actuals);
  }

  upsertByQuote(sql: SqlClient, shopId: number | null, actuals: readonly LaborActual[]): Promise<number> {
    return this.upsert(sql, UPSERT_QUOTE_ACTUALS, shopId, actuals);
  }

  private async upsert(sql: SqlClient, statement: string, shopId: number | null, actuals: readonly LaborActual[]): Promise<number> {
    return (await sql.query<unknown[]>(statement, [shopId, JSON.stringify(actuals.map(actualRow))])).length;
  }
}
