import { createServer, type Server, type Socket } from 'node:net';

import type { PGlite } from '@electric-sql/pglite' with { 'resolution-mode': 'import' };

const SSL_REQUEST_CODE = 80877103;
const CANCEL_REQUEST_CODE = 80877102;
const PROTOCOL_3_CODE = 196608;
// Messages after which the server answers: Sync, simple Query, Flush, and the ends of a COPY FROM STDIN.
const UNIT_ENDS = new Set(['S', 'Q', 'H', 'c', 'f']);
const TERMINATE = 'X';
const NOTIFICATION_RESPONSE = 'A'.charCodeAt(0);
const ROLLBACK = simpleQuery('ROLLBACK');

interface Connection {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  pending: Buffer[];
  ready: boolean;
  closed: boolean;
}

interface Unit {
  connection: Connection;
  messages: Buffer[];
}

/**
 * Serves PGlite over a loopback socket. PGlite runs one statement at a time, so a turn is a whole protocol unit (up
 * to a Sync or a simple Query), and inside a transaction only its connection's units run: single interleaved
 * messages let one connection's Bind land between another's Parse and Execute. PGlite is one backend, so every
 * notification is passed to every connection, as a server passes it to every listening session.
 */
export class PgliteWireServer {
  private readonly server: Server;
  private readonly queue: Unit[] = [];
  private transactionOwner: Connection | null = null;
  private running = false;
  private runningConnection: Connection | null = null;
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly db: PGlite,
    maxConnections: number,
  ) {
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = maxConnections;
  }

  async listen(host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('Expected a TCP address');
    return address.port;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = { socket, buffer: Buffer.alloc(0), started: false, pending: [], ready: false, closed: false };
    this.connections.add(connection);
    socket.on('data', (data) => this.receive(connection, data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.release(connection));
  }

  private receive(connection: Connection, data: Buffer): void {
    connection.buffer = connection.buffer.length === 0 ? data : Buffer.concat([connection.buffer, data]);
    for (;;) {
      const message = connection.started ? this.takeTypedMessage(connection) : this.takeStartupMessage(connection);
      if (message === undefined) return;
    }
  }

  /** Before start-up, messages carry no type byte: SSL request, cancel request or the startup message. */
  private takeStartupMessage(connection: Connection): Buffer | undefined {
    if (connection.buffer.length < 8) return undefined;
    const length = connection.buffer.readInt32BE(0);
    if (connection.buffer.length < length) return undefined;
    const message = connection.buffer.subarray(0, length);
    connection.buffer = connection.buffer.subarray(length);
    const code = message.readInt32BE(4);
    if (code === SSL_REQUEST_CODE) {
      connection.socket.write('N');
    } else if (code === CANCEL_REQUEST_CODE) {
      connection.socket.end();
    } else if (code === PROTOCOL_3_CODE) {
      connection.started = true;
      this.enqueue({ connection, messages: [message] });
    } else {
      connection.socket.destroy();
    }
    return message;
  }

  private takeTypedMessage(connection: Connection): Buffer | undefined {
    if (connection.buffer.length < 5) return undefined;
    const total = 1 + connection.buffer.readInt32BE(1);
    if (connection.buffer.length < total) return undefined;
    const message = connection.buffer.subarray(0, total);
    connection.buffer = connection.buffer.subarray(total);
    const type = String.fromCharCode(message[0]);
    if (type === TERMINATE) {
      connection.socket.end();
      return message;
    }
    connection.pending.push(message);
    if (UNIT_ENDS.has(type)) {
      this.enqueue({ connection, messages: connection.pending });
      connection.pending = [];
    }
    return message;
  }

  private enqueue(unit: Unit): void {
    this.queue.push(unit);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let unit = this.nextUnit(); unit; unit = this.nextUnit()) await this.run(unit);
    } finally {
      this.running = false;
    }
  }

  /** The oldest unit that may run now: while a transaction is open, only its connection's. */
  private nextUnit(): Unit | undefined {
    const index = this.transactionOwner ? this.queue.findIndex((unit) => unit.connection === this.transactionOwner) : 0;
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async run({ connection, messages }: Unit): Promise<void> {
    if (connection.closed) return;
    this.runningConnection = connection;
    const notifications = new NotificationScanner((notification) => this.passOn(notification, connection));
    try {
      await this.db.runExclusive(async () => {
        for (const message of messages) {
          await this.db.execProtocolRawStream(message, {
            onRawData: (data) => {
              // Copied: the chunk is a view of PGlite's memory, which the next answer overwrites.
              if (!connection.closed) connection.socket.write(Buffer.from(data));
              notifications.scan(data);
            },
          });
        }
        if (connection.closed) await this.rollbackOpenTransaction();
      });
      connection.ready = true;
    } catch {
      connection.socket.destroy();
    } finally {
      this.runningConnection = null;
    }
    this.transactionOwner = this.db.isInTransaction() ? connection : null;
  }

  private passOn(notification: Buffer, from: Connection): void {
    for (const connection of this.connections) {
      if (connection !== from && connection.ready && !connection.closed) connection.socket.write(notification);
    }
  }

  /** A connection that goes away inside its transaction must not leave the database locked in it. */
  private async release(connection: Connection): Promise<void> {
    connection.closed = true;
    this.connections.delete(connection);
    for (let index = this.queue.length - 1; index >= 0; index--) {
      if (this.queue[index].connection === connection) this.queue.splice(index, 1);
    }
    // A unit of this connection still running rolls back by itself when it ends.
    if (this.transactionOwner !== connection || this.runningConnection === connection) return;
    await this.db.runExclusive(() => this.rollbackOpenTransaction());
    this.transactionOwner = null;
    void this.drain();
  }

  private async rollbackOpenTransaction(): Promise<void> {
    if (this.db.isInTransaction()) await this.db.execProtocolRawStream(ROLLBACK, { onRawData: () => undefined });
  }
}

/** Finds NotificationResponse messages in a stream of backend messages cut into chunks anywhere. */
export class NotificationScanner {
  private carried: Buffer = Buffer.alloc(0);
  private skipping = 0;

  constructor(private readonly found: (notification: Buffer) => void) {}

  scan(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.skipping >= data.length) {
      this.skipping -= data.length;
      return;
    }
    data = data.subarray(this.skipping);
    this.skipping = 0;
    if (this.carried.length > 0) {
      data = Buffer.concat([this.carried, data]);
      this.carried = Buffer.alloc(0);
    }
    let offset = 0;
    while (offset < data.length) {
      if (data.length - offset < 5) break;
      const end = offset + 1 + data.readInt32BE(offset + 1);
      if (data[offset] === NOTIFICATION_RESPONSE) {
        if (end > data.length) break;
        this.found(Buffer.from(data.subarray(offset, end)));
      } else if (end > data.length) {
        this.skipping = end - data.length;
        return;
      }
      offset = end;
    }
    // Copied: the chunk is a view of PGlite's memory, which the next answer overwrites.
    this.carried = Buffer.from(data.subarray(offset));
  }
}

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}
