import { Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { MaterialPrice, MaterialPriceHistory } from '../database/entities';
import { MaterialPricesController } from './material-prices.controller';
import { MaterialPricesRepository } from './material-prices.repository';
import { MaterialPricesService } from './material-prices.service';
import { PriceMappingsService } from './price-mappings.service';

@Module({
  imports: [TypeOrmModule.forFeature([MaterialPrice, MaterialPriceHistory])],
  controllers: [MaterialPricesController],
  providers: [
    MaterialPricesService,
    PriceMappingsService,
    // The seeder builds its own on the run's transaction; the API's runs on the pool.
    {
      provide: MaterialPricesRepository,
      useFactory: (dataSource: DataSource) => new MaterialPricesRepository(dataSource),
      inject: [getDataSourceToken()],
    },
  ],
})
export class MaterialPricesModule {}
