import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

import type { LogFormat, LogLevel } from '../config/app-config';

const PINO_LEVELS: Record<LogLevel, string> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

const SECRET_FIELDS = ['authorization', 'cookie', 'password', 'current_password', 'new_password', 'token', 'access_token', 'refresh_token'];

const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]);

export async function createLogger(
  settings: { logLevel: LogLevel; logFormat: LogFormat },
  destination: DestinationStream = process.stdout,
): Promise<Logger> {
  const options: LoggerOptions = {
    level: PINO_LEVELS[settings.logLevel],
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { pid: process.pid },
  };
  if (settings.logFormat === 'json') return pino(options, destination);
  // pino-pretty colours only where colour is supported and NO_COLOR is unset. Loaded only for this format.
  const { default: pretty } = await import('pino-pretty');
  return pino(options, pretty({ destination, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}

// A client's request id is kept when it is a plain token of sane length; anything else is replaced.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Logged when the request is answered; the incoming half is not logged. */
export class AccessLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? null,
      url: request.routeOptions.url ? undefined : request.url.split('?')[0],
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      user_id: (request as { user?: { id?: number } }).user?.id ?? null,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.info(line, 'request completed');
  }
}
