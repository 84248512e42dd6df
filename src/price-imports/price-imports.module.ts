import { Module } from '@nestjs/common';

import { RateLimitModule } from '../auth/rate-limit/rate-limit.module';
import { PriceLoadsModule } from '../price-loads/price-loads.module';
import { PriceImportsController } from './price-imports.controller';
import { PriceImportsRepository } from './price-imports.repository';
import { PriceImportsService } from './price-imports.service';

@Module({
  imports: [PriceLoadsModule, RateLimitModule],
  controllers: [PriceImportsController],
  providers: [PriceImportsService, PriceImportsRepository],
})
export class PriceImportsModule {}
