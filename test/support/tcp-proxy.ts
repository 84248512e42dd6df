import { connect, createServer, type Server, type Socket } from 'node:net';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * A loopback TCP proxy in front of a PostgreSQL server, so a test can take the database away from an app and
 * give it back without touching the server itself.
 */
export interface TcpProxy {
  /** `targetUrl` with its host and port pointing at the proxy. */
  url: string;
  port: number;
  /** How many client connections the proxy has accepted so far. */
  readonly accepted: number;
  /** Resets every open connection and refuses new ones, as a database that went away does. */
  cut(): Promise<void>;
  /**
   * Resets the open connections whose start-up message (user, database, application_name) contains `text`, as a
   * server that terminated those sessions does; how many it reset. The others carry on.
   */
  cutConnectionsOf(text: string): number;
  /** Listens again on the same port; connections pass through once more. */
  restore(): Promise<void>;
  /**
   * Stops passing bytes on every connection, open and new, without closing any: a database that hangs, or a
   * network that drops packets silently. `resume` passes them on again.
   */
  stall(): void;
  /**
   * Reads every byte in both directions and throws it away, on every connection, open and new, without closing any:
   * a network that loses packets, replies included, instead of delaying them. What was lost stays lost after `resume`.
   */
  drop(): void;
  resume(): void;
  /**
   * Resolves the moment `bytes` more have gone from the clients to the database: a point in the middle of a long
   * write, wherever the write is, found without racing a clock.
   */
  afterSending(bytes: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetHost = target.hostname;
  const targetPort = Number(target.port || 5432);
  const open = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  const startups = new Map<Socket, string>();
  let accepted = 0;
  let mode: 'pass' | 'stall' | 'drop' = 'pass';
  let sentUpstream = 0;
  let pendingMark: { at: number; reached: () => void } | null = null;
  const join = ([client, upstream]: [Socket, Socket]) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const part = ([client, upstream]: [Socket, Socket]) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const discard = (pair: [Socket, Socket]) => {
    part(pair);
    // Flowing with no destination: what arrives is read and lost.
    pair.forEach((socket) => socket.resume());
  };

  const relay = (client: Socket) => {
    accepted++;
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      open.add(socket);
      socket.on('close', () => {
        open.delete(socket);
        pairs.delete(pair);
        startups.delete(socket);
      });
      // A reset on one side is passed on as a reset of the other, never thrown.
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      // The start-up message comes first; a few hundred bytes are enough to hold it.
      const seen = startups.get(client) ?? '';
      if (seen.length < 512) startups.set(client, seen + chunk.toString('latin1'));
      if (mode === 'drop') return;
      sentUpstream += chunk.length;
      if (pendingMark && sentUpstream >= pendingMark.at) {
        pendingMark.reached();
        pendingMark = null;
      }
    });
    if (mode === 'stall') part(pair);
    else if (mode === 'drop') discard(pair);
    else join(pair);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };

  let server = createServer(relay);
  await listen(server, 0);
  const port = (server.address() as { port: number }).port;
  const proxied = new URL(targetUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);

  const stopListening = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of open) socket.resetAndDestroy();
    await closed;
  };

  return {
    url: proxied.toString(),
    port,
    get accepted() {
      return accepted;
    },
    cut: stopListening,
    cutConnectionsOf(text) {
      const matching = [...pairs].filter(([client]) => startups.get(client)?.includes(text));
      for (const pair of matching) pair.forEach((socket) => socket.resetAndDestroy());
      return matching.length;
    },
    stall() {
      mode = 'stall';
      pairs.forEach(part);
    },
    drop() {
      mode = 'drop';
      pairs.forEach(discard);
    },
    resume() {
      if (mode === 'pass') return;
      mode = 'pass';
      pairs.forEach(join);
    },
    afterSending(bytes) {
      return new Promise((resolve) => {
        pendingMark = { at: sentUpstream + bytes, reached: resolve };
      });
    },
    async restore() {
      if (server.listening) return;
      server = createServer(relay);
      await listen(server, port);
    },
    close: stopListening,
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** An app on a port of its own whose database is reached through a TCP proxy, and what it is made of. */
export interface AppBehindProxy {
  db: TestDatabase;
  proxy: TcpProxy;
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

export async function openAppBehindProxy(env: Record<string, string> = {}): Promise<AppBehindProxy> {
  const db = await createTestDatabase();
  const proxy = await startTcpProxy(db.url);
  const app = await startTestApp(db.config({ DATABASE_URL: proxy.url, ...env }));
  // A port of its own: supertest's per-request listener would close under requests that are still starting.
  await app.listen(0, '127.0.0.1');
  return {
    db,
    proxy,
    app,
    url: await app.getUrl(),
    async close() {
      proxy.resume();
      await app.close();
      await proxy.close();
      await db.drop();
    },
  };
}
