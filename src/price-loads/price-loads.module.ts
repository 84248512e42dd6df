import { Module } from '@nestjs/common';

import { MaterialPricesModule } from '../material-prices/material-prices.module';
import { QuotesModule } from '../quotes/quotes.module';
import { UsersModule } from '../users/users.module';
import { HistoricalActualsRepository } from './historical-actuals.repository';
import { PriceLoadService } from './price-load.service';
import { SourceReaderPool } from './source-reader-pool';

@Module({
  imports: [UsersModule, QuotesModule, MaterialPricesModule],
  providers: [PriceLoadService, SourceReaderPool, HistoricalActualsRepository],
  exports: [PriceLoadService],
})
export class PriceLoadsModule {}
