import type { IncomingMessage, ServerOptions } from 'node:http';

import { HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AppConfig } from '../config/app-config';
import { FILE_UPLOAD_ROUTE } from './route-config';

type ConnectionLimits = AppConfig['connections'];

/** Rate samples per window: a stall is seen within a quarter of a window of when it started to count. */
const TICKS_PER_WINDOW = 4;

/**
 * What Node's HTTP server bounds itself: the headers, the idle time between requests, and the whole request as a
 * backstop. Node looks at the headers and request timeouts every `connectionsCheckingInterval` (30 s unless told),
 * so that runs four times per headers timeout, at most once a second.
 * DECISION: Node's request timeout is the headers timeout plus the longer of the body timeouts: it counts from the
 * request's first byte and cannot tell an upload route from another; the bounds per route are `boundRequestBodies`'.
 */
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
 * Bounds how long a client takes to send a request's body, from its headers on: all of it within
 * REQUEST_TIMEOUT_MS (UPLOAD_TIMEOUT_MS on the routes that take files), and at least BODY_MIN_BYTES_PER_SECOND over
 * every BODY_RATE_WINDOW_MS, so a trickle is cut long before the deadline. A cut request is answered 408 with
 * `Connection: close` when no answer was started, else its connection is closed; either way the connection ends,
 * so whatever reads the body (an upload writing its temporary files) fails at once and cleans up.
 * DECISION: Node offers one request timeout per server and no body rate, and Fastify's per-route `handlerTimeout`
 * bounds the handler's work too (a long import) and answers 503, so this is a hook of our own.
 * It counts the bytes the socket read (adding a reader to the request stream would take its data from the parser
 * that reads it later), and a window in which the server held the body back, unread or with its event loop busy,
 * does not count against the client.
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
    // Once its answer is finished, Node no longer ends a request whose connection closes: whatever still reads the
    // body (an upload) would wait for it forever. Without an error: the reader sees the body end early, and nothing
    // tries to answer a second time.
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
