import { existsSync, readFileSync } from 'node:fs';

import { parse as parseDotenv } from 'dotenv';

export interface RateLimit {
  count: number;
  windowSeconds: number;
}

/** `false` trusts no proxy's X-Forwarded-For. */
export type TrustProxy = false | number;

/** Built once at start-up by `loadConfig`; never read from process.env elsewhere. */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface AppConfig {
  port: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  host: string;
  corsOrigins: string[];
  trustProxy: TrustProxy;
  bodyLimitBytes: number;
  publicBodyLimitBytes: number;
  jsonMaxDepth: number;
  jsonMaxMembers: number;
  connections: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    uploadTimeoutMs: number;
    bodyMinBytesPerSecond: number;
    bodyRateWindowMs: number;
    keepAliveTimeoutMs: number;
  };
  jwt: {
    secret: string;
    accessExpireMinutes: number;
    refreshExpireDays: number;
    refreshGraceSeconds: number;
    guardCacheSeconds: number;
  };
  database: {
    url?: string;
    embeddedDir: string;
    poolMax: number;
    migrateOnStart: boolean;
    statementTimeoutMs: number;
    acquireTimeoutMs: number;
    preparedStatements: boolean;
  };
  redisUrl?: string;
  metricsToken?: string;
  redisKeyPrefix: string;
  rateLimits: {
    loginFailuresPerAccountIp: RateLimit;
    loginFailuresPerAccount: RateLimit;
    loginFailuresPerIp: RateLimit;
    registrationsPerIp: RateLimit;
    guestsPerIp: RateLimit;
    refreshesPerIp: RateLimit;
    logoutsPerIp: RateLimit;
    passwordResetMailsPerEmail: RateLimit;
    passwordForgotPerEmailIp: RateLimit;
    passwordForgotPerIp: RateLimit;
    linkConfirmationsPerIp: RateLimit;
    accountMailsPerAccount: RateLimit;
    priceImportsPerShop: RateLimit;
  };
  mail: {
    smtpUrl?: string;
    from: string;
    appBaseUrl: string;
    outboxDir: string;
    retryBaseMs: number;
    pollMs: number;
    giveUpAfterSeconds: number;
  };
  knownLoginIpDays: number;
  quotas: {
    quotesPerDay: number;
    quoteSessionsPerDay: number;
    quoteJsonBytes: number;
    sessionMessages: number;
    idempotencyKeysPerDay: number;
    idempotencyBytesPerDay: number;
  };
  requireIfMatch: boolean;
  prices: {
    staleDays: number;
    loadWaitMs: number;
    mappingsMaxEntries: number;
    readThreads: number;
    maxPerUnit: number;
    xlsxMaxUncompressedBytes: number;
  };
  imports: {
    maxFiles: number;
    maxFileBytes: number;
    maxRecords: number;
  };
  storage: {
    r2AccountId: string;
    r2AccessKeyId: string;
    r2SecretAccessKey: string;
    r2Bucket: string;
  };
  geminiModel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const SECRET_HOW_TO = "generate one with: node -e \"console.log(require('crypto').randomBytes(48).toString('base64url'))\"";

const JWT_SECRET_MIN_LENGTH = 32;
const METRICS_TOKEN_MIN_LENGTH = 16;
// Words of six letters or more: a random secret contains one by chance about never.
const PLACEHOLDER_WORDS = ['change', 'replace', 'placeholder', 'example', 'secret', 'default', 'password'];

type Env = Record<string, string | undefined>;

/** The seeder and the migration CLI sign no token. */
export interface ConfigUses {
  jwt: boolean;
  /** LOG_FORMAT's default is readable lines when this stream is a terminal, JSON lines otherwise. */
  logsTo: 'stdout' | 'stderr';
}

const SERVER_USES: ConfigUses = { jwt: true, logsTo: 'stdout' };
/** JWT_SECRET is neither needed nor checked; stdout is the tool's. */
export const DATABASE_TOOL_USES: ConfigUses = { jwt: false, logsTo: 'stderr' };

/** `.env` fills only what `env` leaves unset; every problem is collected so that one start names them all. */
export function loadConfig(env: Env = process.env, dotenvPath = '.env', uses: ConfigUses = SERVER_USES): AppConfig {
  const merged: Env = { ...readDotenv(dotenvPath), ...env };
  const problems: string[] = [];
  const reader = new EnvReader(merged, problems);

  const databaseUrl = reader.postgresUrl('DATABASE_URL');
  const config: AppConfig = {
    port: reader.integer('PORT', 3000, 0, 65535),
    host: reader.string('HOST', '0.0.0.0'),
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    logFormat: reader.oneOf('LOG_FORMAT', LOG_FORMATS, process[uses.logsTo].isTTY ? 'pretty' : 'json'),
    corsOrigins: reader.list('CORS_ORIGINS'),
    trustProxy: reader.trustProxy('TRUST_PROXY'),
    bodyLimitBytes: reader.integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    publicBodyLimitBytes: reader.integer('PUBLIC_BODY_LIMIT_BYTES', 16 * 1024, 1024, 1024 * 1024),
    jsonMaxDepth: reader.integer('JSON_MAX_DEPTH', 32, 2, 1000),
    jsonMaxMembers: reader.integer('JSON_MAX_MEMBERS', 5000, 10, 100_000),
    connections: {
      headersTimeoutMs: reader.integer('HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestTimeoutMs: reader.integer('REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
      uploadTimeoutMs: reader.integer('UPLOAD_TIMEOUT_MS', 120_000, 100, 3_600_000),
      bodyMinBytesPerSecond: reader.integer('BODY_MIN_BYTES_PER_SECOND', 1024, 1, 1024 * 1024 * 1024),
      bodyRateWindowMs: reader.integer('BODY_RATE_WINDOW_MS', 10_000, 100, 600_000),
      // Longer than the usual proxies' 60 s idle timeout, so none sends a request on a connection being closed.
      keepAliveTimeoutMs: reader.integer('KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 600_000),
    },
    jwt: {
      secret: uses.jwt ? reader.jwtSecret('JWT_SECRET') : '',
      accessExpireMinutes: reader.integer('JWT_ACCESS_EXPIRE_MINUTES', 15, 1, 24 * 60),
      refreshExpireDays: reader.integer('JWT_REFRESH_EXPIRE_DAYS', 30, 1, 365),
      refreshGraceSeconds: reader.integer('JWT_REFRESH_GRACE_SECONDS', 10, 0, 300),
      guardCacheSeconds: reader.integer('AUTH_CACHE_SECONDS', 30, 0, 3600),
    },
    database: {
      url: databaseUrl,
      embeddedDir: reader.string('PGLITE_DIR', '.data/pglite'),
      poolMax: reader.integer('DATABASE_POOL_MAX', 10, 1, 200),
      migrateOnStart: reader.boolean('MIGRATE_ON_START', databaseUrl === undefined),
      statementTimeoutMs: reader.integer('DATABASE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
      acquireTimeoutMs: reader.integer('DATABASE_ACQUIRE_TIMEOUT_MS', 5000, 100, 600_000),
      // A pooler in transaction mode (PgBouncer) hands each statement to any server session.
      preparedStatements: reader.boolean('DATABASE_PREPARED_STATEMENTS', true),
    },
    redisUrl: reader.optionalString('REDIS_URL'),
    metricsToken: reader.optionalSecret('METRICS_TOKEN', METRICS_TOKEN_MIN_LENGTH),
    redisKeyPrefix: reader.string('REDIS_KEY_PREFIX', 'createstage:ratelimit:'),
    rateLimits: {
      loginFailuresPerAccountIp: reader.rateLimit('RATE_LIMIT_LOGIN_ACCOUNT_IP', '10/15m'),
      loginFailuresPerAccount: reader.rateLimit('RATE_LIMIT_LOGIN_ACCOUNT', '100/15m'),
      loginFailuresPerIp: reader.rateLimit('RATE_LIMIT_LOGIN_IP', '100/15m'),
      registrationsPerIp: reader.rateLimit('RATE_LIMIT_REGISTER_IP', '30/1h'),
      guestsPerIp: reader.rateLimit('RATE_LIMIT_GUEST_IP', '30/1h'),
      refreshesPerIp: reader.rateLimit('RATE_LIMIT_REFRESH_IP', '300/5m'),
      logoutsPerIp: reader.rateLimit('RATE_LIMIT_LOGOUT_IP', '300/5m'),
      passwordResetMailsPerEmail: reader.rateLimit('RATE_LIMIT_PASSWORD_FORGOT_EMAIL', '1/5m'),
      passwordForgotPerEmailIp: reader.rateLimit('RATE_LIMIT_PASSWORD_FORGOT_EMAIL_IP', '5/1h'),
      passwordForgotPerIp: reader.rateLimit('RATE_LIMIT_PASSWORD_FORGOT_IP', '30/1h'),
      accountMailsPerAccount: reader.rateLimit('RATE_LIMIT_ACCOUNT_MAILS', '10/1h'),
      linkConfirmationsPerIp: reader.rateLimit('RATE_LIMIT_LINK_CONFIRM_IP', '30/1h'),
      priceImportsPerShop: reader.rateLimit('RATE_LIMIT_PRICE_IMPORTS_SHOP', '30/1h'),
    },
    mail: {
      smtpUrl: reader.optionalString('SMTP_URL'),
      from: reader.string('MAIL_FROM', 'CreateStage Quote <no-reply@localhost>'),
      appBaseUrl: reader.baseUrl('APP_BASE_URL', 'http://localhost:3000'),
      outboxDir: reader.string('MAIL_OUTBOX_DIR', '.data/outbox'),
      retryBaseMs: reader.integer('MAIL_RETRY_BASE_MS', 5000, 10, 3_600_000),
      pollMs: reader.integer('MAIL_POLL_MS', 1000, 10, 600_000),
      giveUpAfterSeconds: reader.duration('MAIL_GIVE_UP_AFTER', '24h'),
    },
    knownLoginIpDays: reader.integer('KNOWN_LOGIN_IP_DAYS', 90, 1, 3650),
    quotas: {
      quotesPerDay: reader.integer('QUOTA_QUOTES_PER_DAY', 200, 1, 1_000_000),
      quoteSessionsPerDay: reader.integer('QUOTA_QUOTE_SESSIONS_PER_DAY', 200, 1, 1_000_000),
      quoteJsonBytes: reader.integer('QUOTA_QUOTE_JSON_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
      sessionMessages: reader.integer('QUOTA_SESSION_MESSAGES', 200, 1, 100_000),
      idempotencyKeysPerDay: reader.integer('QUOTA_IDEMPOTENCY_KEYS_PER_DAY', 5000, 1, 1_000_000),
      idempotencyBytesPerDay: reader.integer('QUOTA_IDEMPOTENCY_BYTES_PER_DAY', 16 * 1024 * 1024, 1024, 2 ** 31 - 1),
    },
    requireIfMatch: reader.boolean('REQUIRE_IF_MATCH', false),
    prices: {
      staleDays: reader.integer('PRICE_STALE_DAYS', 180, 1, 36500),
      loadWaitMs: reader.integer('PRICE_LOAD_WAIT_MS', 60_000, 0, 3_600_000),
      mappingsMaxEntries: reader.integer('MAPPINGS_MAX_ENTRIES', 5000, 1, 1_000_000),
      readThreads: reader.integer('PRICE_READ_THREADS', 1, 1, 16),
      maxPerUnit: reader.integer('PRICE_MAX_PER_UNIT', 100_000, 1, 1_000_000_000),
      xlsxMaxUncompressedBytes: reader.integer('XLSX_MAX_UNCOMPRESSED_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    },
    imports: {
      maxFiles: reader.integer('IMPORT_MAX_FILES', 10, 1, 1000),
      maxFileBytes: reader.integer('IMPORT_MAX_FILE_BYTES', 5 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxRecords: reader.integer('IMPORT_MAX_RECORDS', 50_000, 1, 10_000_000),
    },
    storage: {
      r2AccountId: reader.string('CLOUDFLARE_R2_ACCOUNT_ID', ''),
      r2AccessKeyId: reader.string('CLOUDFLARE_R2_ACCESS_KEY_ID', ''),
      r2SecretAccessKey: reader.string('CLOUDFLARE_R2_SECRET_ACCESS_KEY', ''),
      r2Bucket: reader.string('CLOUDFLARE_R2_BUCKET', 'createstage-quotes'),
    },
    geminiModel: reader.string('GEMINI_MODEL', 'gemini-2.0-flash'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Undefined once every problem is printed to stderr. */
export function loadConfigOrReport(uses: ConfigUses = SERVER_USES): AppConfig | undefined {
  try {
    return loadConfig(process.env, '.env', uses);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return undefined;
  }
}

function readDotenv(path: string): Env {
  return existsSync(path) ? parseDotenv(readFileSync(path)) : {};
}

function whyNotPostgresUrl(value: string): string | undefined {
  if (!URL.canParse(value)) return 'it is no URL';
  const url = new URL(value);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return `its scheme is ${url.protocol}`;
  // `postgres:///app?host=/run/postgresql`: a Unix socket's folder in place of the host.
  if (url.hostname === '' && !url.searchParams.has('host')) return 'it names no host';
  if (url.pathname.replace(/^\//, '') === '') return 'it names no database';
  return undefined;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  /** A bad one is named without its text, which may hold a password. */
  postgresUrl(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const reason = whyNotPostgresUrl(value);
    if (reason) this.problems.push(`${name} must be a postgres:// URL naming a host and a database: ${reason}`);
    return value;
  }

  optionalSecret(name: string, minLength: number): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && value.length < minLength) {
      this.problems.push(`${name} must be at least ${minLength} characters when set; ${SECRET_HOW_TO}`);
      return undefined;
    }
    if (value !== undefined && looksLikePlaceholder(value)) {
      this.problems.push(`${name} looks like a placeholder, not a secret; ${SECRET_HOW_TO}`);
      return undefined;
    }
    return value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  list(name: string): string[] {
    return (this.raw(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  trustProxy(name: string): TrustProxy {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined || value === 'false' || value === '0') return false;
    const hops = Number(value);
    if (!Number.isInteger(hops) || hops < 1 || hops > 10) {
      this.problems.push(`${name} must be false or the number of trusted proxy hops, 1 to 10 (got "${value}")`);
      return false;
    }
    return hops;
  }

  duration(name: string, fallback: string): number {
    const value = this.raw(name) ?? fallback;
    const match = /^(\d+)\s*([smhd])$/.exec(value);
    const seconds = match ? Number(match[1]) * DURATION_UNITS[match[2]] : 0;
    if (seconds >= 1) return seconds;
    this.problems.push(`${name} must be a length of time such as 30m, 24h or 7d (got "${value}")`);
    return 0;
  }

  /** Its trailing slashes removed: links are made by appending a path. */
  baseUrl(name: string, fallback: string): string {
    const value = this.raw(name) ?? fallback;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username || url.password) {
      this.problems.push(`${name} must be an http:// or https:// URL without credentials, query or fragment (got "${value}")`);
    }
    return value.replace(/\/+$/, '');
  }

  rateLimit(name: string, fallback: string): RateLimit {
    const value = this.raw(name);
    const parsed = parseRateLimit(value ?? fallback);
    if (parsed) return parsed;
    this.problems.push(`${name} must look like COUNT/WINDOW, for example 10/15m (got "${value}")`);
    return parseRateLimit(fallback)!;
  }

  jwtSecret(name: string): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problems.push(`${name} is required: ${SECRET_HOW_TO}`);
      return '';
    }
    if (value.length < JWT_SECRET_MIN_LENGTH) {
      this.problems.push(`${name} must be at least ${JWT_SECRET_MIN_LENGTH} characters; ${SECRET_HOW_TO}`);
    } else if (looksLikePlaceholder(value)) {
      this.problems.push(`${name} looks like a placeholder, not a secret; ${SECRET_HOW_TO}`);
    }
    return value;
  }
}

function parseRateLimit(value: string): RateLimit | undefined {
  const match = /^(\d+)\s*\/\s*(\d+)\s*([smhd])$/.exec(value);
  if (!match) return undefined;
  const count = Number(match[1]);
  const windowSeconds = Number(match[2]) * DURATION_UNITS[match[3]];
  return count >= 1 && windowSeconds >= 1 ? { count, windowSeconds } : undefined;
}

function looksLikePlaceholder(secret: string): boolean {
  const lower = secret.toLowerCase();
  const distinctCharacters = new Set(lower).size;
  return distinctCharacters < 8 || PLACEHOLDER_WORDS.some((word) => lower.includes(word));
}
