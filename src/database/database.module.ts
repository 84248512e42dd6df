import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { DatabaseService } from './database.service';
import type { EmbeddedPostgres } from './embedded-postgres';
import { EMBEDDED_POSTGRES, EmbeddedPostgresModule } from './embedded-postgres.module';
import { HotQueries } from './hot-queries';
import { MigrationStatusService } from './migration-status.service';
import { RowChangesService } from './row-changes.service';

@Global()
@Module({
  imports: [
    EmbeddedPostgresModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [APP_CONFIG, EMBEDDED_POSTGRES],
      useFactory: (config: AppConfig, embedded: EmbeddedPostgres | null) => ({
        ...dataSourceOptions(config, embedded?.endpoint),
        migrationsRun: config.database.migrateOnStart,
        // A database that is away at start-up is an error to report, not to wait out.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [DatabaseService, HotQueries, MigrationStatusService, RowChangesService],
  exports: [DatabaseService, HotQueries, MigrationStatusService, RowChangesService],
})
export class DatabaseModule {}
