import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { loadConfigOrReport } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrReport();
  if (!config) process.exit(1);
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()} (database: ${config.database.url ? 'PostgreSQL server' : `embedded, ${config.database.embeddedDir}`})`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
