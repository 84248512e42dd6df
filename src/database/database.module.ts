import { DynamicModule, Global, Module } from '@nestjs/common';
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
@Module({})
export class DatabaseModule {
  /** `embedded`: the embedded server main.ts has started already; without it, the module starts what the config asks. */
  static forRoot(embedded?: Promise<EmbeddedPostgres | null>): DynamicModule {
    // One module object for both imports: two would start two servers.
    const embeddedModule = EmbeddedPostgresModule.forRoot(embedded);
    return {
      module: DatabaseModule,
      imports: [
        embeddedModule,
        TypeOrmModule.forRootAsync({
          imports: [embeddedModule],
          inject: [APP_CONFIG, EMBEDDED_POSTGRES],
          useFactory: (config: AppConfig, server: EmbeddedPostgres | null) => ({
            ...dataSourceOptions(config, server?.endpoint),
            migrationsRun: config.database.migrateOnStart,
            // A database that is away at start-up is an error to report, not to wait out.
            retryAttempts: 0,
          }),
        }),
      ],
      providers: [DatabaseService, HotQueries, MigrationStatusService, RowChangesService],
      exports: [DatabaseService, HotQueries, MigrationStatusService, RowChangesService],
    };
  }
}
