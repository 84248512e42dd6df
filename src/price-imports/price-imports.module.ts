import { Module } from '@nestjs/common';

import { RateLimitModule } from '../auth/rate-limit/rate-limit.module';
import { SeedModule } from '../seed/seed.module';
import { PriceImportsController } from './price-imports.controller';
import { PriceImportsService } from './price-imports.service';

@Module({
  imports: [SeedModule, RateLimitModule],
  controllers: [PriceImportsController],
  providers: [PriceImportsService],
})
export class PriceImportsModule {}
