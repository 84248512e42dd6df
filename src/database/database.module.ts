import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { DatabaseService } from './database.service';
import { findEmbeddedImage } from './embedded-image';
import { EmbeddedPostgres } from './embedded-postgres';
import { MigrationStatusService } from './migration-status.service';

/** The embedded server, or null when DATABASE_URL names a real PostgreSQL server. */
export const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

@Module({
  providers: [
    {
      provide: EMBEDDED_POSTGRES,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) =>
        config.database.url
          ? null
          : EmbeddedPostgres.start(config.database.embeddedDir, config.database.poolMax, await findEmbeddedImage()),
    },
  ],
  exports: [EMBEDDED_POSTGRES],
})
class EmbeddedPostgresModule implements OnApplicationShutdown {
  constructor(
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Closes the pool before the server under it, whatever order Nest runs the shutdown hooks in. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
  }
}

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
  providers: [DatabaseService, MigrationStatusService],
  exports: [DatabaseService, MigrationStatusService],
})
export class DatabaseModule {}
