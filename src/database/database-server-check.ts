import pg from 'pg';

/** A DATABASE_URL server that cannot be used, said in one line: its host and port, and why. */
export class DatabaseServerUnusableError extends Error {}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'no route to the host',
  ETIMEDOUT: 'no answer',
  ECONNRESET: 'the connection was reset',
};

/**
 * DECISION: the server logs in once before the app's modules start (main.ts, overlapping their load), so a server
 * that is away or refuses the login is one line and exit 1, not Nest's and TypeORM's logs and stack traces. It waits
 * at most `timeoutMs` (DATABASE_ACQUIRE_TIMEOUT_MS) and does not retry.
 */
export async function checkDatabaseServer(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // An error after connect() has failed (the socket closing) is the same failure, reported below.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseServerUnusableError(`The database server ${client.host}:${client.port} ${whyUnusable(error, timeoutMs)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function whyUnusable(error: unknown, timeoutMs: number): string {
  if (error instanceof pg.DatabaseError) return `refused the login: ${error.message} (DATABASE_URL)`;
  const { code, message } = error as { code?: string; message?: string };
  if (code && NETWORK_CAUSES[code]) return `could not be reached: ${NETWORK_CAUSES[code]} (${code}) (DATABASE_URL)`;
  if (/timeout/i.test(message ?? '')) return `could not be reached: no PostgreSQL answer within ${timeoutMs} ms (DATABASE_URL)`;
  return `could not be reached: ${message ?? String(error)} (DATABASE_URL)`;
}
