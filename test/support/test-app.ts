import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp } from '../../src/app.factory';
import type { AppConfig } from '../../src/config/app-config';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The real application on `config`, initialised and ready for supertest (`request(app.getHttpServer())`). */
export async function startTestApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export interface TestAppOnDatabase {
  db: TestDatabase;
  app: NestFastifyApplication;
}

/** A database of its own and the app on it, configured with `env` on top of the test defaults. */
export async function openTestApp(env: Record<string, string> = {}): Promise<TestAppOnDatabase> {
  const db = await createTestDatabase();
  return { db, app: await startTestApp(db.config(env)) };
}

/** Closes what openTestApp opened; safe when its set-up failed half-way. */
export async function closeTestApp(db: TestDatabase | undefined, app: NestFastifyApplication | undefined): Promise<void> {
  await app?.close();
  await db?.drop();
}
