import { Module } from '@nestjs/common';

import { rateLimiterProvider, RateLimitService } from './rate-limit.service';

/** The rate limiter of the instance (memory, or Redis with memory while Redis is away), for every module. */
@Module({ providers: [rateLimiterProvider, RateLimitService], exports: [RateLimitService] })
export class RateLimitModule {}
