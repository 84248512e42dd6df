import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';

import type { Page } from '../common/page.query';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import { type MaterialPrice, type MaterialPriceHistory, PRICE_UNITS, type PriceUnit } from '../database/entities';
import { checkMaterialKey } from '../material-keys/material-key-check';
import { scopeOf } from './dto/material-price.response';
import type { PriceAlternativeResponse, ResolvedPriceResponse, ResolvedPricesResponse } from './dto/resolved-price.response';
import { type CurrentPrice, MaterialPricesRepository } from './material-prices.repository';
import { comparePrices } from './price-rules';

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class MaterialPricesService {
  constructor(
    private readonly database: DatabaseService,
    private readonly prices: MaterialPricesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  listCurrent(shopId: number, query: { material_type?: string; limit: number; offset: number }): Promise<Page<MaterialPrice>> {
    const materialType = query.material_type === undefined ? undefined : normalKey(query.material_type);
    return this.prices.pageVisibleTo(this.database.pool, shopId, materialType, query.limit, query.offset);
  }

  listHistory(shopId: number, typedKey: string, page: { limit: number; offset: number }): Promise<Page<MaterialPriceHistory>> {
    return this.prices.historyPageVisibleTo(this.database.pool, shopId, normalKey(typedKey), page.limit, page.offset);
  }

  async resolveOne(shopId: number, typedKey: string, unit?: PriceUnit): Promise<ResolvedPriceResponse> {
    const { prices, missing } = await this.resolve(shopId, [typedKey], unit);
    if (missing.length > 0) throw new NotFoundException(missing[0].reason);
    return prices[0];
  }

  async resolve(shopId: number, typedKeys: readonly string[], unit?: PriceUnit): Promise<ResolvedPricesResponse> {
    const keys = [...new Set(typedKeys.map(normalKey))];
    const candidates = new Map<string, CurrentPrice[]>(keys.map((key) => [key, []]));
    for (const price of await this.prices.currentPricesOf(this.database.pool, [shopId, null], keys, unit))
      candidates.get(price.materialType)!.push(price);
    const today = Date.now();
    const resolved: ResolvedPricesResponse = { prices: [], missing: [] };
    for (const key of keys) {
      const ranked = [...candidates.get(key)!].sort(bestFirst);
      if (ranked.length === 0) {
        resolved.missing.push({
          material_type: key,
          reason: `no price for ${key}${unit ? ` per ${unit}` : ''} in this shop or the shared baseline`,
        });
        continue;
      }
      const winner = ranked[0];
      const ageDays = winner.priceDate === null ? null : Math.floor((today - Date.parse(`${winner.priceDate}T00:00:00Z`)) / DAY_MS);
      resolved.prices.push({
        material_type: key,
        unit: winner.unit,
        price: winner.price,
        supplier: winner.supplier,
        price_date: winner.priceDate,
        age_days: ageDays,
        stale: ageDays === null || ageDays > this.config.prices.staleDays,
        scope: scopeOf(winner),
        rule: ruleOf(winner, ranked),
        alternatives: ranked.slice(1).map(toAlternative),
      });
    }
    return resolved;
  }
}

/**
 * The order of resolution (prices.md). DECISION: when the shop has only an undated price and the baseline a dated
 * one, the dated one wins: a quote must not rest on a price of unknown age while a dated one exists.
 */
function bestFirst(a: CurrentPrice, b: CurrentPrice): number {
  return (
    Number(a.priceDate === null) - Number(b.priceDate === null) ||
    Number(a.shopId === null) - Number(b.shopId === null) ||
    (a.priceDate === b.priceDate ? 0 : a.priceDate! > b.priceDate! ? -1 : 1) ||
    PRICE_UNITS.indexOf(a.unit) - PRICE_UNITS.indexOf(b.unit) ||
    comparePrices(b, a) ||
    (a.supplier ?? '').localeCompare(b.supplier ?? '')
  );
}

function normalKey(typedKey: string): string {
  const checked = checkMaterialKey(typedKey);
  if (checked.kind === 'malformed') throw new BadRequestException(`material_type ${typedKey.trim()}: ${checked.problem}`);
  return checked.key;
}

function ruleOf(winner: CurrentPrice, ranked: readonly CurrentPrice[]): string {
  if (winner.priceDate === null)
    return `no dated price: the highest undated price of ${winner.shopId === null ? 'the shared baseline' : "the caller's shop"}`;
  const shopHasUndatedOnly = winner.shopId === null && ranked.some((other) => other.shopId !== null);
  const where =
    winner.shopId !== null
      ? "the caller's shop"
      : shopHasUndatedOnly
        ? "the shared baseline (the caller's shop has only undated prices for this key and unit)"
        : "the shared baseline (the caller's shop has no price for this key and unit)";
  const contested = ranked.some(
    (other) => other !== winner && other.shopId === winner.shopId && other.unit === winner.unit && other.priceDate === winner.priceDate,
  );
  return `latest dated price of ${where}${contested ? '; on the same date the higher price' : ''}`;
}

function toAlternative(price: CurrentPrice): PriceAlternativeResponse {
  return { supplier: price.supplier, unit: price.unit, price: price.price, price_date: price.priceDate, scope: scopeOf(price) };
}
