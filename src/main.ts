import 'reflect-metadata';

import { createServer } from 'node:net';

import { Logger } from '@nestjs/common';

import { loadConfigOrReport } from './config/app-config';
import { checkDatabaseServer, DatabaseServerUnusableError } from './database/database-server-check';
import { startEmbeddedPostgres } from './database/embedded/embedded-postgres';
import { shutDownGracefully } from './http/graceful-shutdown';

const SHUTDOWN = { deadlineMs: 10_000, drainMs: 5_000 };

async function bootstrap(): Promise<void> {
  const config = loadConfigOrReport();
  if (!config) process.exit(1);
  // Before the database starts (seconds on the embedded one): a taken port is one line and exit 1 at once.
  await assertPortFree(config.port, config.host);
  // DECISION: the embedded database's thread starts before the app's modules load (app.factory is imported only
  // now), so the two starts overlap. Its failure is reported where the app awaits it.
  const embedded = startEmbeddedPostgres(config);
  embedded.catch(() => undefined);
  const { url, acquireTimeoutMs } = config.database;
  const serverChecked = url ? checkDatabaseServer(url, acquireTimeoutMs) : Promise.resolve();
  serverChecked.catch(() => undefined);
  const { createApp } = await import('./app.factory.js');
  await serverChecked;
  const app = await createApp(config, embedded);
  shutDownGracefully(app, SHUTDOWN);
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    // Taken meanwhile: let go of the database (and the embedded folder's lock) before saying so.
    await app.close();
    throw error;
  }
  new Logger('Bootstrap').log(
    `Listening on ${await app.getUrl()} (database: ${config.database.url ? 'PostgreSQL server' : `embedded, ${config.database.embeddedDir}`})`,
  );
}

function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function explain(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'EADDRINUSE') return `The port is in use (${message}): stop the other server or set PORT`;
  if (code === 'EACCES') return `The port may not be opened by this user (${message}): set PORT above 1023`;
  if (error instanceof DatabaseServerUnusableError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

bootstrap().catch((error: unknown) => {
  console.error(explain(error));
  process.exit(1);
});
