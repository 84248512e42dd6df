import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import type { EmbeddedPostgres } from './database/embedded/embedded-postgres';
import { answerNotMigrated } from './database/migration-status.service';
import { hardenHttp } from './http/http-hardening';
import { boundRequestBodies, closeConnectionsOfUnreadBodies, serverTimeouts } from './http/request-deadlines';
import { RequestValidationPipe } from './http/request-validation.pipe';
import { AccessLog, createLogger, requestIdOf } from './logging/logger';
import { recordRequestDurations } from './metrics/request-durations';
import { serveAccountPages } from './pages/account-pages';

/** So a browser's preflight allows each method the API answers. */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After'];

/** Exactly as the server runs it; tests call it with their own configuration. */
export async function createApp(config: AppConfig, embedded?: Promise<EmbeddedPostgres | null>): Promise<NestFastifyApplication> {
  const { trustProxy } = config;
  const logger = await createLogger(config);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new AccessLog(),
    genReqId: requestIdOf,
    bodyLimit: config.bodyLimitBytes,
    ...serverTimeouts(config.connections),
    // N trusted hops: the client is the address N entries from the right of X-Forwarded-For.
    trustProxy: trustProxy === false ? false : (_address: string, hop: number) => hop < trustProxy,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger, embedded), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      reply.header('X-Request-Id', request.id);
    });
  await hardenHttp(app, config);
  boundRequestBodies(app, config.connections);
  closeConnectionsOfUnreadBodies(app);
  recordRequestDurations(app);
  answerNotMigrated(app);
  serveAccountPages(app);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new RequestValidationPipe());
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, methods: CORS_METHODS, exposedHeaders: EXPOSED_HEADERS });

  // DECISION: the document is built on its first request (SwaggerModule.setup takes a factory): scanning every route
  // and DTO took about a sixth of the server's start, for a page few requests ask for.
  const documentConfig = new DocumentBuilder()
    .setTitle('CreateStage Quote API')
    .setDescription('Quoting platform for metal fabrication shops')
    .setVersion('2')
    // Relative: the document describes the server that serves it, wherever it is deployed.
    .addServer('/', 'The server this document is served from')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, documentConfig), { jsonDocumentUrl: 'api/docs/json' });
  return app;
}
