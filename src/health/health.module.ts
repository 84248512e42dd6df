import { Module } from '@nestjs/common';

import { RateLimitModule } from '../auth/rate-limit/rate-limit.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [RateLimitModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
