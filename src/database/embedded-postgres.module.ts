import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { findEmbeddedImage } from './embedded-image';
import { EmbeddedPostgres } from './embedded-postgres';

/** Beside the pool, the connection that listens for row changes (RowChangesService). */
const NOTIFICATION_CONNECTIONS = 1;

/** The embedded server, or null when DATABASE_URL names a real PostgreSQL server. */
export const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

@Module({
  providers: [
    {
      provide: EMBEDDED_POSTGRES,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.database.url
          ? null
          : EmbeddedPostgres.start(config.database.embeddedDir, config.database.poolMax + NOTIFICATION_CONNECTIONS, findEmbeddedImage()),
    },
  ],
  exports: [EMBEDDED_POSTGRES],
})
export class EmbeddedPostgresModule implements OnApplicationShutdown {
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
