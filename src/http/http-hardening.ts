import multipart from '@fastify/multipart';
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import helmet from 'helmet';

import { jsonShapeBeyond } from '../common/json-values';
import type { AppConfig } from '../config/app-config';
import { bodyProblems, unstorableTextIn } from './json-body';
import { FILE_UPLOAD_ROUTE, MAPPING_DOCUMENT_ROUTE, PUBLIC_BODY_ROUTE } from './route-config';

/** Form fields an upload may carry beside its files, and their size: uploads send files. */
const UPLOAD_FIELDS = { count: 20, bytes: 1024 };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * What the server does to every request before a controller sees it: security headers, JSON bodies only (form
 * and text posts are 415; multipart files only where a route takes them, within the import limits), the small
 * body limit of public routes, nesting and object members past their limits, names every object inherits and text the
 * database cannot hold refused with a 400 naming the field, in bodies, query strings and path parameters alike.
 */
export async function hardenHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // DECISION: helmet's middleware is built once and run on each request's raw response, as @fastify/helmet runs
  // it, except that the plugin builds it anew for every request (parsing the CSP directives each time, 4% of the
  // CPU of a guarded read from the cache).
  // Over plain http (no TLS here, and no X-Forwarded-Proto: https from a trusted proxy), neither HSTS nor
  // upgrade-insecure-requests: a browser would fetch the docs' and pages' files over https, which nothing serves.
  const headersOver = (https: boolean) =>
    helmet({
      // The OpenAPI UI at /api/docs runs inline scripts and styles of its own; the API answers JSON only.
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
    // Names are checked, not cut down to their last path segment: a name with a path is refused by the route.
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
  // DECISION: `__proto__` and `constructor` keys are left to bodyProblems, which refuses every name an object inherits
  // at any depth, naming its path, before anything else sees the body; Fastify's 'error' would call the body invalid JSON.
  const parseJson = fastify.getDefaultJsonParser('ignore', 'ignore');
  const bodyMembers = { limit: config.jsonMaxMembers, setting: 'JSON_MAX_MEMBERS' };
  // DECISION: a mapping document may hold MAPPINGS_MAX_ENTRIES entries in each of its sections (two of them objects,
  // plus the three section names), so its route takes that many members when it is more than JSON_MAX_MEMBERS.
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
