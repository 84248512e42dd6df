import { DataSource, DataSourceOptions } from 'typeorm';

import { type AppConfig, DATABASE_TOOL_USES, loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { findEmbeddedImage } from './embedded/embedded-image';
import { EmbeddedPostgres } from './embedded/embedded-postgres';

class EmbeddedDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly embedded: EmbeddedPostgres,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      await this.embedded.stop();
    }
  }
}

/** Outside Nest (TypeORM CLI, scripts). */
export async function openDataSource(config: AppConfig = loadConfig(undefined, undefined, DATABASE_TOOL_USES)): Promise<DataSource> {
  if (config.database.url) return new DataSource(dataSourceOptions(config));
  const embedded = await EmbeddedPostgres.start(config.database.embeddedDir, config.database.poolMax, findEmbeddedImage());
  return new EmbeddedDataSource(dataSourceOptions(config, embedded.endpoint), embedded);
}
