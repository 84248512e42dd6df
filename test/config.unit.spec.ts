import { ConfigError, DATABASE_TOOL_USES, loadConfig } from '../src/config/app-config';

const SECRET = 'k3J9-vQ2xZp8LmN4rT6wYb1HdF5sGa7CeU0iOq3';
const NO_DOTENV = '/nonexistent/.env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, NO_DOTENV);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: SECRET }, NO_DOTENV);
    expect(config.port).toBe(3000);
    expect(config.jwt).toEqual({
      secret: SECRET,
      accessExpireMinutes: 15,
      refreshExpireDays: 30,
      refreshGraceSeconds: 10,
      guardCacheSeconds: 30,
    });
    expect(config.storage.r2Bucket).toBe('createstage-quotes');
    expect(config.geminiModel).toBe('gemini-2.0-flash');
    expect(config.database).toEqual({
      url: undefined,
      embeddedDir: '.data/pglite',
      poolMax: 10,
      migrateOnStart: true,
      statementTimeoutMs: 5000,
      acquireTimeoutMs: 5000,
      preparedStatements: true,
    });
    expect(config.rateLimits.loginFailuresPerAccountIp).toEqual({ count: 10, windowSeconds: 900 });
    expect(config.rateLimits.loginFailuresPerAccount).toEqual({ count: 100, windowSeconds: 900 });
    expect(config.rateLimits.logoutsPerIp).toEqual({ count: 300, windowSeconds: 300 });
    expect(config.knownLoginIpDays).toBe(90);
    expect(config.quotas).toEqual({
      quotesPerDay: 200,
      quoteSessionsPerDay: 200,
      quoteJsonBytes: 65536,
      sessionMessages: 200,
      idempotencyKeysPerDay: 5000,
      idempotencyBytesPerDay: 16 * 1024 * 1024,
    });
    expect(config.requireIfMatch).toBe(false);
    expect(config.bodyLimitBytes).toBe(1048576);
    expect(config.publicBodyLimitBytes).toBe(16384);
    expect(config.jsonMaxDepth).toBe(32);
    expect(config.jsonMaxMembers).toBe(5000);
    expect(config.connections).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      uploadTimeoutMs: 120_000,
      bodyMinBytesPerSecond: 1024,
      bodyRateWindowMs: 10_000,
      keepAliveTimeoutMs: 72_000,
    });
    expect(config.trustProxy).toBe(false);
    expect(config.metricsToken).toBeUndefined();
    expect(config.imports).toEqual({ maxFiles: 10, maxFileBytes: 5 * 1024 * 1024, maxRecords: 50_000 });
    expect(config.rateLimits.priceImportsPerShop).toEqual({ count: 30, windowSeconds: 3600 });
    expect(config.prices.loadWaitMs).toBe(60_000);
    expect(config.prices.mappingsMaxEntries).toBe(5000);
    expect(config.prices.readThreads).toBe(1);
  });

  it('takes a metrics token only when it could be a secret, and a log format by name', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, METRICS_TOKEN: 'x7Qp2LmN9rT4wYb1HdF5' }, NO_DOTENV).metricsToken).toBe('x7Qp2LmN9rT4wYb1HdF5');
    expect(problemsOf({ JWT_SECRET: SECRET, METRICS_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN must be at least 16 characters when set/),
    ]);
    expect(problemsOf({ JWT_SECRET: SECRET, METRICS_TOKEN: 'change-me-change-me' })).toEqual([
      expect.stringMatching(/^METRICS_TOKEN looks like a placeholder/),
    ]);
    expect(loadConfig({ JWT_SECRET: SECRET, LOG_FORMAT: 'PRETTY' }, NO_DOTENV).logFormat).toBe('pretty');
    expect(problemsOf({ JWT_SECRET: SECRET, LOG_FORMAT: 'xml' })).toEqual(['LOG_FORMAT must be one of json, pretty (got "xml")']);
  });

  it('needs no JWT_SECRET for the database tools (the seeder, the migration CLI)', () => {
    expect(loadConfig({}, NO_DOTENV, DATABASE_TOOL_USES).jwt.secret).toBe('');
    expect(problemsOf({})).toEqual([expect.stringMatching(/^JWT_SECRET is required/)]);
  });

  it('does not migrate a real server at start-up unless asked', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: 'postgres://db/x' }, NO_DOTENV).database.migrateOnStart).toBe(false);
    expect(
      loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: 'postgres://db/x', MIGRATE_ON_START: 'true' }, NO_DOTENV).database.migrateOnStart,
    ).toBe(true);
  });

  it.each([
    [{}, /JWT_SECRET is required/],
    [{ JWT_SECRET: 'too-short' }, /JWT_SECRET must be at least 32 characters/],
    [{ JWT_SECRET: 'change-me-change-me-change-me-change-me' }, /JWT_SECRET looks like a placeholder/],
    [{ JWT_SECRET: 'a'.repeat(40) }, /JWT_SECRET looks like a placeholder/],
  ])('rejects a missing, short or placeholder JWT_SECRET (%o)', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toMatch(/generate one with/);
  });

  it.each([
    ['postgres://base', 'it names no database'],
    ['postgres:///app', 'it names no host'],
    ['mysql://user@db/app', 'its scheme is mysql:'],
    ['not a url', 'it is no URL'],
  ])('rejects DATABASE_URL=%s without repeating it (it may hold a password)', (url, reason) => {
    expect(problemsOf({ JWT_SECRET: SECRET, DATABASE_URL: url })).toEqual([
      `DATABASE_URL must be a postgres:// URL naming a host and a database: ${reason}`,
    ]);
  });

  it.each(['postgres://user:pass@db.internal:6432/app?sslmode=require', 'postgresql://db/app', 'postgres:///app?host=/run/postgresql'])(
    'takes DATABASE_URL=%s',
    (url) => {
      expect(loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: url }, NO_DOTENV).database.url).toBe(url);
    },
  );

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      JWT_SECRET: SECRET,
      PORT: 'eighty',
      TRUST_PROXY: 'maybe',
      RATE_LIMIT_LOGIN_IP: 'lots',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['PORT', 'LOG_LEVEL', 'TRUST_PROXY', 'RATE_LIMIT_LOGIN_IP']);
  });

  it.each(['app.example', 'ftp://app.example', 'https://app.example/?from=mail', 'https://user:pass@app.example', 'javascript:alert(1)'])(
    'refuses APP_BASE_URL=%s',
    (url) => {
      expect(problemsOf({ JWT_SECRET: SECRET, APP_BASE_URL: url })).toEqual([expect.stringMatching(/^APP_BASE_URL must be an http/)]);
    },
  );

  it('takes an APP_BASE_URL without its trailing slashes, and MAIL_GIVE_UP_AFTER as a length of time', () => {
    const config = loadConfig({ JWT_SECRET: SECRET, APP_BASE_URL: 'https://app.example/shop//', MAIL_GIVE_UP_AFTER: '90m' }, NO_DOTENV);
    expect(config.mail).toMatchObject({ appBaseUrl: 'https://app.example/shop', giveUpAfterSeconds: 5400 });
    expect(loadConfig({ JWT_SECRET: SECRET }, NO_DOTENV).mail.giveUpAfterSeconds).toBe(24 * 3600);
    expect(problemsOf({ JWT_SECRET: SECRET, MAIL_GIVE_UP_AFTER: 'a day' })).toEqual([expect.stringMatching(/^MAIL_GIVE_UP_AFTER must be/)]);
  });

  it('reads rate limits and proxy hops', () => {
    const config = loadConfig({ JWT_SECRET: SECRET, RATE_LIMIT_GUEST_IP: '5/30s', TRUST_PROXY: '2' }, NO_DOTENV);
    expect(config.rateLimits.guestsPerIp).toEqual({ count: 5, windowSeconds: 30 });
    expect(config.trustProxy).toBe(2);
  });
});
