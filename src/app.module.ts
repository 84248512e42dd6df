import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { RateLimitedFilter } from './auth/rate-limit/rate-limited.filter';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MaterialPricesModule } from './material-prices/material-prices.module';
import { PriceImportsModule } from './price-imports/price-imports.module';
import { QuotesModule } from './quotes/quotes.module';

@Module({})
export class AppModule {
  /** `config` is given by tests; the server validates the environment instead. */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, HealthModule, AuthModule, AccountsModule, QuotesModule, MaterialPricesModule, PriceImportsModule],
      providers: [
        { provide: APP_FILTER, useClass: DatabaseUnavailableFilter },
        { provide: APP_FILTER, useClass: RateLimitedFilter },
      ],
    };
  }
}
