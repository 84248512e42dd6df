import { Module } from '@nestjs/common';

import { MaterialPricesController } from './material-prices.controller';
import { MaterialPricesRepository } from './material-prices.repository';
import { MaterialPricesService } from './material-prices.service';
import { PriceMappingsRepository } from './price-mappings.repository';
import { PriceMappingsService } from './price-mappings.service';
import { SuppliersRepository } from './suppliers.repository';

@Module({
  controllers: [MaterialPricesController],
  providers: [MaterialPricesService, PriceMappingsService, MaterialPricesRepository, PriceMappingsRepository, SuppliersRepository],
  exports: [MaterialPricesRepository, PriceMappingsRepository, SuppliersRepository],
})
export class MaterialPricesModule {}
