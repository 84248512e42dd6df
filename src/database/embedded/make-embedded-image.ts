import { DataSource } from 'typeorm';

import { DATABASE_TOOL_USES, loadConfig } from '../../config/app-config';
import { dataSourceOptions } from '../data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';

/** Creates a database in `folder` (new), applies every migration of this code and stops it; answers the migrations. */
export async function makeEmbeddedImage(folder: string): Promise<string[]> {
  const embedded = await EmbeddedPostgres.start(folder, 1);
  // Built from no environment and no .env: the image holds what the migrations make, nothing of a developer's settings.
  const dataSource = new DataSource(dataSourceOptions(loadConfig({}, '', DATABASE_TOOL_USES), embedded.endpoint));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const applied: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
    return applied.map((row) => row.name);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded.stop();
  }
}
