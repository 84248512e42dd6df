import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import { dataSourceOptions } from './data-source-options';
import { DatabaseService } from './database.service';
import type { EmbeddedPostgres } from './embedded/embedded-postgres';
import { EMBEDDED_POSTGRES, EmbeddedPostgresModule } from './embedded/embedded-postgres.module';
import { MigrationStatusService } from './migration-status.service';
import { RowChangesService } from './notifications/row-changes.service';
import { PreparedStatements } from './prepared-statements';

@Global()
@Module({})
export class DatabaseModule {
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
      providers: [DatabaseService, PreparedStatements, MigrationStatusService, RowChangesService],
      exports: [DatabaseService, PreparedStatements, MigrationStatusService, RowChangesService],
    };
  }
}
