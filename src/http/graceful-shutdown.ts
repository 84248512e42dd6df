import type { Socket } from 'node:net';

import { HttpStatus, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface ShutdownOptions {
  deadlineMs: number;
  drainMs: number;
}

const DRAIN_POLL_MS = 25;

/** A request on a kept-alive connection gets 503 and `Connection: close`, rather than a reset under a request. */
export function shutDownGracefully(app: NestFastifyApplication, options: ShutdownOptions): void {
  const logger = new Logger('Shutdown');
  const fastify = app.getHttpAdapter().getInstance();
  const sockets = new Set<Socket>();
  let draining = false;
  app.getHttpServer().on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  fastify.addHook('onRequest', async (_request, reply) => {
    if (!draining) return;
    await reply.code(HttpStatus.SERVICE_UNAVAILABLE).header('Connection', 'close').send({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'The server is shutting down; try again',
      error: 'Service Unavailable',
    });
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('Connection', 'close');
  });

  const shutDown = async (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    logger.log(`${signal}: finishing the requests in flight, then stopping`);
    setTimeout(() => {
      logger.error(`Still not stopped after ${options.deadlineMs} ms: exiting`);
      process.exit(1);
    }, options.deadlineMs).unref();
    const drainUntil = Date.now() + options.drainMs;
    while (sockets.size > 0 && Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    await app.close();
    logger.log('Stopped');
    process.exit(0);
  };
  // Every signal is taken: Ctrl-C reaches the server from the terminal and again from npm, and Node's default for a
  // second SIGINT would end the process before the database closed. The deadline bounds the stop.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (received) => void shutDown(received));
}
