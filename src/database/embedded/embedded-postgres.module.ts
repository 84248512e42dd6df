import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.module';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

export const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

@Module({})
export class EmbeddedPostgresModule implements OnApplicationShutdown {
  /** `started`: the server main.ts started before loading the app, so that the two starts overlap. */
  static forRoot(started?: Promise<EmbeddedPostgres | null>): DynamicModule {
    return {
      module: EmbeddedPostgresModule,
      providers: [
        { provide: EMBEDDED_POSTGRES, inject: [APP_CONFIG], useFactory: (config: AppConfig) => started ?? startEmbeddedPostgres(config) },
      ],
      exports: [EMBEDDED_POSTGRES],
    };
  }

  constructor(
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
    private readonly moduleRef: ModuleRef,
  ) {}

  // Closes the pool before the server under it, whatever order Nest runs the shutdown hooks in.
  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
  }
}
