import multipart from '@fastify/multipart';
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import helmet from 'helmet';

import { jsonShapeBeyond } from '../common/json-values';
import type { AppConfig } from '../config/app-config';
import { bodyProblems, unstorableTextIn } from './json-body';
import { FILE_UPLOAD_ROUTE, MAPPING_DOCUMENT_ROUTE, PUBLIC_BODY_ROUTE } from './route-config';

const UPLOAD_FIELDS = { count: 20, bytes: 1024 };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export async function hardenHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Helmet's middleware is built once (@fastify/helmet builds it per request). Over plain http neither HSTS nor
  // upgrade-insecure-requests: a browser would fetch the docs' and pages' files over https, which nothing serves.
  const headersOver = (https: boolean) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: [`'self'`],
          styleSrc: [`'self'`, `'unsafe-inline'`],
          imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
          scriptSrc: [`'self'`, `https: 'unsafe-inline'`],
          upgradeInsecureRequests: https ? [] : null,
        },
      },
      strictTransportSecurity: https,
    });
  const securityHeaders = { https: headersOver(true), http: headersOver(false) };
  fastify.addHook('onRequest', (request, reply, done) =>
    securityHeaders[request.protocol](request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );

  await app.register(multipart, {
    // Names are checked, not cut down to their last segment: a name with a path is refused by the route.
    preservePath: true,
    limits: {
      fileSize: config.imports.maxFileBytes,
      files: config.imports.maxFiles,
      fields: UPLOAD_FIELDS.count,
      fieldSize: UPLOAD_FIELDS.bytes,
      parts: config.imports.maxFiles + UPLOAD_FIELDS.count,
    },
  });
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('application/x-www-form-urlencoded', {}, () => {
    throw new UnsupportedMediaTypeException('Send the body as application/json');
  });
  // `__proto__` and `constructor` are left to bodyProblems, which names their path; 'error' would say invalid JSON.
  const parseJson = fastify.getDefaultJsonParser('ignore', 'ignore');
  const bodyMembers = { limit: config.jsonMaxMembers, setting: 'JSON_MAX_MEMBERS' };
  const documentMembers = {
    limit: Math.max(config.jsonMaxMembers, 2 * config.prices.mappingsMaxEntries + 3),
    setting: '2 × MAPPINGS_MAX_ENTRIES for a mapping document',
  };
  app.useBodyParser('application/json', {}, (request, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      return done(new BadRequestException('The body is not UTF-8 text'), undefined);
    }
    const routeConfig = (request as FastifyRequest).routeOptions.config as unknown as Record<string, unknown>;
    const members = routeConfig[MAPPING_DOCUMENT_ROUTE] ? documentMembers : bodyMembers;
    const beyond = jsonShapeBeyond(text, { maxDepth: config.jsonMaxDepth, maxMembers: members.limit });
    if (beyond === 'depth') {
      return done(new BadRequestException(`The JSON body is nested deeper than ${config.jsonMaxDepth} levels`), undefined);
    }
    if (beyond === 'members') {
      return done(new BadRequestException(`The JSON body has more than ${members.limit} object members (${members.setting})`), undefined);
    }
    void parseJson(request as FastifyRequest, text, (error, parsed) => {
      if (error) return done(error, undefined);
      const problems = bodyProblems(parsed);
      done(problems.length > 0 ? new BadRequestException(problems) : null, parsed);
    });
  });

  fastify.addHook('onRoute', (route) => {
    if ((route.config as Record<string, unknown> | undefined)?.[PUBLIC_BODY_ROUTE]) route.bodyLimit = config.publicBodyLimitBytes;
  });
  fastify.addHook('preValidation', async (request) => {
    if (request.isMultipart() && !(request.routeOptions.config as unknown as Record<string, unknown>)[FILE_UPLOAD_ROUTE]) {
      throw new UnsupportedMediaTypeException('Send the body as application/json');
    }
    const problems = [...unstorableTextIn(request.query, 'query parameter'), ...unstorableTextIn(request.params, 'path parameter')];
    if (problems.length > 0) throw new BadRequestException(problems);
  });
}
