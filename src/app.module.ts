import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';

import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter';
import { RateLimitedFilter } from './common/rate-limited.filter';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import type { EmbeddedPostgres } from './database/embedded/embedded-postgres';
import { HealthModule } from './health/health.module';
import { MaterialPricesModule } from './material-prices/material-prices.module';
import { MetricsModule } from './metrics/metrics.module';
import { PriceImportsModule } from './price-imports/price-imports.module';
import { QuotesModule } from './quotes/quotes.module';

@Module({})
export class AppModule {
  /** `logger`: the one Fastify writes through too. */
  static forRoot(config: AppConfig, logger: PinoLogger, embedded?: Promise<EmbeddedPostgres | null>): DynamicModule {
    return {
      module: AppModule,
      // forRoutes: [] binds no per-request middleware: Fastify's access line carries the request id already, and a
      // Nest middleware on every route runs through middie, a few per cent of GET /api/auth/me.
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(embedded),
        MetricsModule,
        HealthModule,
        AuthModule,
        AccountsModule,
        QuotesModule,
        MaterialPricesModule,
        PriceImportsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: DatabaseUnavailableFilter },
        { provide: APP_FILTER, useClass: RateLimitedFilter },
      ],
    };
  }
}
