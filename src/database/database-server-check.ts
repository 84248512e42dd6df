import pg from 'pg';

export class DatabaseServerUnusableError extends Error {}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'no route to the host',
  ETIMEDOUT: 'no answer',
  ECONNRESET: 'the connection was reset',
};

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
