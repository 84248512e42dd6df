import type { IncomingMessage, ServerOptions } from 'node:http';

import { HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AppConfig } from '../config/app-config';
import { FILE_UPLOAD_ROUTE } from './route-config';

type ConnectionLimits = AppConfig['connections'];

const TICKS_PER_WINDOW = 4;
const REPEATED_REFUSAL_WINDOW_MS = 60_000;
/** Addresses whose last refusal is remembered, a bound on memory: past it the oldest is forgotten. */
const REFUSING_ADDRESSES_MAX = 10_000;

// Node checks these timeouts every `connectionsCheckingInterval`, so that runs four times per headers timeout.
export function serverTimeouts(limits: ConnectionLimits): { keepAliveTimeout: number; requestTimeout: number; http: ServerOptions } {
  return {
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.headersTimeoutMs + Math.max(limits.requestTimeoutMs, limits.uploadTimeoutMs),
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(limits.headersTimeoutMs / 4)),
    },
  };
}

/**
 * It counts the bytes the socket read (a reader on the request stream would take the parser's data); a window in
 * which the server held the body back does not count against the client.
 */
export function boundRequestBodies(app: NestFastifyApplication, limits: ConnectionLimits): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (hasBody(request.raw)) watchBody(request, reply, limits);
      done();
    });
}

/**
 * An answer sent before its request's body has arrived (401, 403, 415, a 429 before an upload is read, a 413 for one
 * file too many): Node reads the rest of the body, so that the client, still sending, gets the answer and the
 * connection can carry another request. When the same address had such an answer within REPEATED_REFUSAL_WINDOW_MS,
 * it says `Connection: close` instead, and Node closes the connection once the answer is flushed.
 *
 * DECISION: reading every refused body let a flood of refused uploads cost the event loop every byte of them; closing
 * at once costs many clients the answer itself (a client still sending sees a reset: fetch from a few hundred kB on,
 * Node's http client from several MB). So a first refusal keeps its answer, and a client that sends another body
 * within a minute of one, a flood or one that does not wait for its Retry-After, no longer has its bodies read.
 */
export function closeConnectionsOfUnreadBodies(app: NestFastifyApplication): void {
  const lastRefusals = new Map<string, number>();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      const { raw } = request;
      if (!hasBody(raw) || raw.complete) return done(null, payload);
      // An answer that needed no I/O can be sent from within the read that holds the body's end, before the parser
      // has reached it: the check waits for that read to be parsed.
      setImmediate(() => {
        if (!raw.complete && refusedBefore(lastRefusals, request.ip, Date.now())) void reply.header('Connection', 'close');
        done(null, payload);
      });
    });
}

/** Notes this refusal of the address; true when it had another within the window. The oldest addresses go first. */
function refusedBefore(lastRefusals: Map<string, number>, address: string, now: number): boolean {
  const last = lastRefusals.get(address);
  lastRefusals.delete(address);
  lastRefusals.set(address, now);
  if (lastRefusals.size > REFUSING_ADDRESSES_MAX) lastRefusals.delete(lastRefusals.keys().next().value!);
  return last !== undefined && now - last < REPEATED_REFUSAL_WINDOW_MS;
}

function hasBody(raw: IncomingMessage): boolean {
  return raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
}

function watchBody(request: FastifyRequest, reply: FastifyReply, limits: ConnectionLimits): void {
  const { raw } = request;
  const { socket } = raw;
  const upload = Boolean((request.routeOptions.config as unknown as Record<string, unknown>)[FILE_UPLOAD_ROUTE]);
  const [timeoutMs, timeoutSetting] = upload
    ? [limits.uploadTimeoutMs, 'UPLOAD_TIMEOUT_MS']
    : [limits.requestTimeoutMs, 'REQUEST_TIMEOUT_MS'];
  const tickMs = limits.bodyRateWindowMs / TICKS_PER_WINDOW;
  const bytesPerWindow = (limits.bodyMinBytesPerSecond * limits.bodyRateWindowMs) / 1000;

  let samples = [socket.bytesRead];
  let lastTickAt = Date.now();
  const stop = () => {
    clearTimeout(deadline);
    clearInterval(rateCheck);
    raw.off('end', stop);
    raw.off('close', stop);
  };
  const cut = (message: string) => {
    stop();
    if (raw.complete) return;
    // Once its answer is finished, Node no longer ends a request whose connection closes: an upload still reading
    // the body would wait forever. Without an error: nothing tries to answer a second time.
    socket.once('close', () => raw.destroy());
    if (reply.sent || reply.raw.headersSent) {
      socket.destroy();
      return;
    }
    void reply
      .code(HttpStatus.REQUEST_TIMEOUT)
      .header('Connection', 'close')
      .send({ statusCode: HttpStatus.REQUEST_TIMEOUT, message, error: 'Request Timeout' });
  };
  const deadline = setTimeout(
    () => cut(`The request was not received within ${describeMs(timeoutMs)} (${timeoutSetting}); send it again`),
    timeoutMs,
  );
  const rateCheck = setInterval(() => {
    if (raw.complete) return stop();
    const now = Date.now();
    const late = now - lastTickAt > 2 * tickMs;
    lastTickAt = now;
    if (late || raw.readableLength > 0) {
      samples = [socket.bytesRead];
      return;
    }
    samples.push(socket.bytesRead);
    if (samples.length <= TICKS_PER_WINDOW) return;
    if (socket.bytesRead - samples.shift()! < bytesPerWindow) {
      cut(
        `The body arrived slower than ${limits.bodyMinBytesPerSecond} bytes per second over ${describeMs(limits.bodyRateWindowMs)} (BODY_MIN_BYTES_PER_SECOND); send it again`,
      );
    }
  }, tickMs);
  raw.once('end', stop);
  raw.once('close', stop);
}

function describeMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
