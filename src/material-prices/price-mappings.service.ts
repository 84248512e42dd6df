import { BadRequestException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';

import { refuseGuestWrite } from '../common/guest-writes';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { DatabaseService } from '../database/database.service';
import type { User } from '../database/entities';
import { MaterialPricesRepository } from './material-prices.repository';
import { type MappingDocument, mappingDocumentOf, mergeMappingEntries, parseMappingDocument } from './price-mappings';
import { PriceMappingsRepository } from './price-mappings.repository';

@Injectable()
export class PriceMappingsService {
  constructor(
    private readonly database: DatabaseService,
    private readonly prices: MaterialPricesRepository,
    private readonly mappings: PriceMappingsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async documentOf(shopId: number): Promise<MappingDocument> {
    return mappingDocumentOf(await this.mappings.findEntries(this.database.pool, shopId));
  }

  /** The change waits for a running load of the shop, so a load reads one document from start to end. */
  async replace(user: User, document: unknown): Promise<MappingDocument> {
    refuseGuestWrite(user, 'change price mappings');
    const shopId = user.id;
    const parsed = parseMappingDocument(document);
    if ('problems' in parsed) throw new BadRequestException(parsed.problems);
    const merged = mergeMappingEntries([], parsed.entries, this.config.prices.mappingsMaxEntries);
    if ('refused' in merged)
      throw merged.refused === 'too_many' ? new PayloadTooLargeException(merged.problems) : new BadRequestException(merged.problems);
    await this.database.transaction(async (sql) => {
      await this.prices.lockScopeForLoad(sql, shopId, this.config.prices.loadWaitMs);
      await this.mappings.replaceAll(sql, shopId, merged.entries);
    });
    return this.documentOf(shopId);
  }
}
