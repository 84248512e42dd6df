import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { MaterialPrice, MaterialPriceHistory } from '../database/entities';

/** The rows a shop may see: the shared baseline (no owner) and its own, optionally of one material only. */
function visibleTo(shopId: number, materialType?: string) {
  const material = materialType === undefined ? {} : { materialType };
  return [{ ...material, shopId: IsNull() }, { ...material, shopId }];
}

@Injectable()
export class MaterialPricesService {
  constructor(
    @InjectRepository(MaterialPrice) private readonly prices: Repository<MaterialPrice>,
    @InjectRepository(MaterialPriceHistory) private readonly history: Repository<MaterialPriceHistory>,
  ) {}

  /**
   * DECISION: a shop's own price and the baseline price of the same material and supplier are both returned,
   * each with its scope (the shop's first), so the caller sees where a price comes from; nothing is merged.
   */
  listCurrent(shopId: number, materialType?: string): Promise<MaterialPrice[]> {
    return this.prices.find({
      where: visibleTo(shopId, materialType),
      order: { materialType: 'ASC', supplier: { direction: 'ASC', nulls: 'FIRST' }, shopId: { direction: 'ASC', nulls: 'LAST' }, id: 'ASC' },
    });
  }

  /** Every observation of one material the shop may see, newest price date first (undated ones last). */
  listHistory(shopId: number, materialType: string): Promise<MaterialPriceHistory[]> {
    return this.history.find({
      where: visibleTo(shopId, materialType),
      order: { priceDate: { direction: 'DESC', nulls: 'LAST' }, id: 'DESC' },
    });
  }
}
