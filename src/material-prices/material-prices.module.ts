import { Module } from '@nestjs/common';

import { DatabaseService } from '../database/database.service';
import { MaterialPricesController } from './material-prices.controller';
import { MaterialPricesRepository } from './material-prices.repository';
import { MaterialPricesService } from './material-prices.service';
import { PriceMappingsService } from './price-mappings.service';

@Module({
  controllers: [MaterialPricesController],
  providers: [
    MaterialPricesService,
    PriceMappingsService,
    // The seeder builds its own on the run's transaction; the API's runs on the pool.
    {
      provide: MaterialPricesRepository,
      useFactory: (database: DatabaseService) => new MaterialPricesRepository(database.pool),
      inject: [DatabaseService],
    },
  ],
})
export class MaterialPricesModule {}
