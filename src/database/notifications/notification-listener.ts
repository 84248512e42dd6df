import { randomUUID } from 'node:crypto';

import { Client, type ClientConfig, escapeIdentifier, type Notification } from 'pg';

export interface ListenerTiming {
  probeTimeoutMs: number;
  heartbeatMs: number;
  /** Doubled after each failure up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
}

export const DEFAULT_LISTENER_TIMING: ListenerTiming = { probeTimeoutMs: 1000, heartbeatMs: 1000, firstRetryMs: 100, maxRetryMs: 5000 };

// On the embedded database a probe waits behind a long statement (PGlite runs one at a time), and a failed thread
// closes the socket at once; so the guard's cache goes on answering from memory through an import.
export const EMBEDDED_LISTENER_TIMING: ListenerTiming = { ...DEFAULT_LISTENER_TIMING, probeTimeoutMs: 60_000 };

export interface ListenerEvents {
  heard(payload: string): void;
  liveChanged(live: boolean): void;
}

export const LISTENER_APPLICATION_NAME = 'createstage-quote notifications';

/**
 * LISTENs on one channel; live only once a notification it sent itself came back, and no longer live the moment
 * its connection fails or a probe goes unanswered.
 */
export class NotificationListener {
  private client: Client | null = null;
  private live = false;
  private stopped = false;
  private retryDelayMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  /** By payload; the payloads are unique to this listener. */
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
