import { randomUUID } from 'node:crypto';

import { Client, type ClientConfig, escapeIdentifier, type Notification } from 'pg';

/** How the listener proves itself and how it comes back. */
export interface ListenerTiming {
  /** A probe not heard back within this is a dead connection. */
  probeTimeoutMs: number;
  /** How often a live connection is probed: a connection can die without telling (a stalled network). */
  heartbeatMs: number;
  /** The first delay before reconnecting, doubled after each failure up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
}

// DECISION: a probe every second, answered within one, bounds how long a silently dead connection (a stalled
// network, a hung backend) goes unnoticed to 2 s, for one tiny notification per second and instance; a connection
// that is reset or closed is noticed at once by its socket. Reconnecting starts fast (a restarted server) and
// backs off.
export const DEFAULT_LISTENER_TIMING: ListenerTiming = { probeTimeoutMs: 1000, heartbeatMs: 1000, firstRetryMs: 100, maxRetryMs: 5000 };

// DECISION: on the embedded database a probe may wait a minute. Its server is this process's own thread, reached over
// loopback: if that thread fails, the socket says so at once. A probe that waits there waits behind a long statement
// or an open transaction (PGlite runs one at a time), and nothing can commit meanwhile that the listener would not
// hear before its probe comes back; so the guard's cache goes on answering from memory through an import instead of
// sending every request to wait behind it.
export const EMBEDDED_LISTENER_TIMING: ListenerTiming = { ...DEFAULT_LISTENER_TIMING, probeTimeoutMs: 60_000 };

/** What the listener reports: each payload heard while live, and each change of liveness. */
export interface ListenerEvents {
  heard(payload: string): void;
  liveChanged(live: boolean): void;
}

/** The connection's name in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'createstage-quote notifications';

/**
 * A connection of its own that LISTENs on one channel and says whether what it hears can be trusted. It is live
 * only once a notification it sent itself came back through the server, and stops being live the moment its
 * connection fails or a periodic probe goes unanswered; it then reconnects, with a growing delay.
 */
export class NotificationListener {
  private client: Client | null = null;
  private live = false;
  private stopped = false;
  private retryDelayMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  /** Probes sent and not yet heard back, by payload; the payloads are unique to this listener. */
  private readonly probes = new Map<string, () => void>();
  private readonly probePrefix = `probe:${randomUUID()}:`;
  private probesSent = 0;

  constructor(
    private readonly connection: ClientConfig,
    private readonly channel: string,
    private readonly events: ListenerEvents,
    private readonly timing: ListenerTiming = DEFAULT_LISTENER_TIMING,
  ) {
    this.retryDelayMs = timing.firstRetryMs;
  }

  get isLive(): boolean {
    return this.live;
  }

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    // Stopping is no failure to report: nothing listens for these events any more.
    this.live = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let client: Client;
    try {
      // A server that does not answer at all fails the attempt too, rather than holding it for the OS's timeouts.
      client = new Client({
        ...this.connection,
        application_name: LISTENER_APPLICATION_NAME,
        keepAlive: true,
        connectionTimeoutMillis: this.timing.probeTimeoutMs,
        query_timeout: this.timing.probeTimeoutMs,
      });
    } catch {
      this.scheduleRetry();
      return;
    }
    this.client = client;
    client.on('notification', (message) => this.hear(message));
    client.on('error', () => this.lose(client));
    client.on('end', () => this.lose(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${escapeIdentifier(this.channel)}`);
      await this.probe(client);
      if (client !== this.client) return;
      this.retryDelayMs = this.timing.firstRetryMs;
      const beat = () => {
        // A probe still waiting for its answer is not doubled: its own deadline decides.
        if (this.probes.size === 0) void this.probe(client).catch(() => this.lose(client));
      };
      this.heartbeat = setInterval(beat, this.timing.heartbeatMs).unref();
      this.setLive(true);
    } catch {
      this.lose(client);
    }
  }

  /** Resolves once a notification sent on this connection has come back on it. */
  private async probe(client: Client): Promise<void> {
    const payload = `${this.probePrefix}${++this.probesSent}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('The probe notification was not heard back')), this.timing.probeTimeoutMs);
      this.probes.set(payload, resolve);
    });
    try {
      await Promise.all([client.query('SELECT pg_notify($1, $2)', [this.channel, payload]), heard]);
    } finally {
      clearTimeout(timer);
      this.probes.delete(payload);
    }
  }

  private hear({ channel, payload }: Notification): void {
    if (channel !== this.channel || payload === undefined) return;
    const probe = this.probes.get(payload);
    if (probe) probe();
    // Other instances' probes are heard too, and mean nothing here.
    else if (this.live && !payload.startsWith('probe:')) this.events.heard(payload);
  }

  /** The connection failed: nothing heard can be trusted until a new one proves itself. */
  private lose(client: Client): void {
    if (client !== this.client) return;
    this.client = null;
    clearInterval(this.heartbeat);
    this.setLive(false);
    void client.end().catch(() => undefined);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => void this.connect(), this.retryDelayMs).unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.timing.maxRetryMs);
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.events.liveChanged(live);
  }
}
