import { createServer, type Server, type Socket, connect } from 'node:net';

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
  /** Listens again on the same port; connections pass through once more. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetHost = target.hostname;
  const targetPort = Number(target.port || 5432);
  const open = new Set<Socket>();
  let accepted = 0;

  const relay = (client: Socket) => {
    accepted++;
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // A reset on one side is passed on as a reset of the other, never thrown.
      socket.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
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
