import { Module } from '@nestjs/common';

import { rateLimiterProvider, RateLimitService } from './rate-limit.service';

@Module({ providers: [rateLimiterProvider, RateLimitService], exports: [RateLimitService] })
export class RateLimitModule {}
