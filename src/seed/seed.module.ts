import { DynamicModule, Module } from '@nestjs/common';

import type { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/app-config.module';
import { DatabaseModule } from '../database/database.module';
import { QuotesRepository } from '../quotes/quotes.repository';
import { UsersModule } from '../users/users.module';
import { SeedService } from './seed.service';
import { SourceReaderPool } from './source-reader-pool';

/** The price load of the seeder; the app imports it for imports through the API. */
// DECISION: the seeder takes QuotesRepository as a provider of its own rather than importing QuotesModule, whose
// controllers the seeder command has no use for; the repository holds no state, so two instances are one behaviour.
@Module({ imports: [UsersModule], providers: [SeedService, SourceReaderPool, QuotesRepository], exports: [SeedService] })
export class SeedModule {
  /** The seeder command on the app's own configuration and database wiring; `config` is given by tests. */
  static forRoot(config?: AppConfig): DynamicModule {
    return { module: SeedModule, imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot()] };
  }
}
