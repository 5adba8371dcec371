// Every environment variable the service reads, one entry each: its schema, its default and its meaning
// (for .env.example and the README). config.ts reads and validates them.
import { type Static, Type } from '@sinclair/typebox'

const DURATION_PATTERN = '^\\d+(ms|s|m|h|d)$'
const RATE_PATTERN = '^(off|\\d+/(s|sec|second|m|min|minute|h|hour|d|day))$'

export const settings = {
  NODE_ENV: {
    schema: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')]),
    default: 'development',
    doc: 'development | production | test. Production requires SECRET_KEY and turns on HSTS and secure cookies.',
  },
  HOST: {
    schema: Type.String({ minLength: 1 }),
    default: '127.0.0.1',
    doc: 'Interface the HTTP server binds.',
  },
  PORT: { schema: Type.Integer({ minimum: 0, maximum: 65535 }), default: '8000', doc: 'HTTP port.' },
  DATA_DIR: {
    schema: Type.String({ minLength: 1 }),
    default: './data',
    doc: 'Where the embedded database (PGlite) and other local files live.',
  },
  DATABASE_URL: {
    schema: Type.String({ pattern: '^postgres(ql)?://' }),
    default: '',
    optional: true,
    doc: 'PostgreSQL URL (postgres://user:pass@host:5432/db). Unset: embedded PGlite under DATA_DIR.',
  },
  DATABASE_POOL_SIZE: {
    schema: Type.Integer({ minimum: 1, maximum: 500 }),
    default: '10',
    doc: 'Connections per process in the node-postgres pool.',
  },
  REDIS_URL: {
    schema: Type.String({ pattern: '^rediss?://' }),
    default: '',
    optional: true,
    doc: 'Redis URL (redis://:password@host:6379/0). Unset: queue, cache and counters stay in process.',
  },
  SECRET_KEY: {
    schema: Type.String({ minLength: 32 }),
    default: '',
    optional: true,
    doc: 'Signs tokens and encrypts secrets; at least 32 characters. Required outside development and test.',
  },
  ALLOWED_HOSTS: {
    schema: Type.String(),
    default: 'localhost,127.0.0.1,[::1]',
    doc: 'Comma list of Host names served; "*" for any, ".example.com" for a domain and its subdomains.',
  },
  CORS_ALLOWED_ORIGINS: {
    schema: Type.String(),
    default: '',
    doc: 'Comma list of origins allowed to call the API from a browser, with credentials.',
  },
  CSRF_TRUSTED_ORIGINS: {
    schema: Type.String(),
    default: '',
    doc: 'Comma list of origins trusted for cookie-authenticated unsafe requests.',
  },
  TRUST_PROXY: {
    schema: Type.Boolean(),
    default: 'false',
    doc: 'Believe X-Forwarded-For / X-Forwarded-Proto (set when behind nginx or another proxy).',
  },
  LOG_LEVEL: {
    schema: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    ),
    default: 'info',
    doc: 'fatal | error | warn | info | debug | trace | silent.',
  },
  WEB_CONCURRENCY: {
    schema: Type.Integer({ minimum: 1, maximum: 64 }),
    default: '1',
    doc: 'Web processes to fork (needs DATABASE_URL when above 1: the embedded database has one owner).',
  },
  SHUTDOWN_TIMEOUT: {
    schema: Type.Integer({ minimum: 0 }),
    default: '10000',
    doc: 'Milliseconds in-flight requests get to finish on SIGTERM/SIGINT before the process exits.',
  },
  JWT_ACCESS_TTL: {
    schema: Type.String({ pattern: DURATION_PATTERN }),
    default: '15m',
    doc: 'Lifetime of an access token (30s, 15m, 1h, 7d).',
  },
  JWT_REFRESH_TTL: {
    schema: Type.String({ pattern: DURATION_PATTERN }),
    default: '7d',
    doc: 'Lifetime of a refresh token; each refresh rotates it.',
  },
  SESSION_TTL: {
    schema: Type.String({ pattern: DURATION_PATTERN }),
    default: '14d',
    doc: 'Lifetime of a cookie session (the SPA scheme).',
  },
  THROTTLE_AUTH: {
    schema: Type.String({ pattern: RATE_PATTERN }),
    default: '20/minute',
    doc: 'Per IP, on login, register and password reset: N/second|minute|hour|day, or off.',
  },
  THROTTLE_ANON: {
    schema: Type.String({ pattern: RATE_PATTERN }),
    default: '300/minute',
    doc: 'Per IP, for anonymous API requests: N/second|minute|hour|day, or off.',
  },
  THROTTLE_USER: {
    schema: Type.String({ pattern: RATE_PATTERN }),
    default: '3000/minute',
    doc: 'Per user, for authenticated API requests: N/second|minute|hour|day, or off.',
  },
  LOCKOUT_ATTEMPTS: {
    schema: Type.Integer({ minimum: 1, maximum: 1000 }),
    default: '5',
    doc: 'Failed logins for one account that lock it (the last one still answers 401, later ones 423).',
  },
  LOCKOUT_WINDOW: {
    schema: Type.String({ pattern: DURATION_PATTERN }),
    default: '15m',
    doc: 'Window in which failed logins are counted, and how long a locked account stays locked.',
  },
  CATALOG_CACHE_TTL: {
    schema: Type.String({ pattern: DURATION_PATTERN }),
    default: '30s',
    doc: 'How long public session lists and details stay cached (every write drops them sooner); 0s turns the cache off.',
  },
  FRONTEND_URL: {
    schema: Type.String({ pattern: '^https?://' }),
    default: 'http://127.0.0.1:8000',
    doc: 'Base URL of the site users open; links in emails (verify email, reset password, invitations) point there.',
  },
  EMAIL_HOST: {
    schema: Type.String(),
    default: '',
    doc: 'SMTP server. Unset: each email is logged and written as an .eml file under DATA_DIR/mail/.',
  },
  EMAIL_PORT: { schema: Type.Integer({ minimum: 1, maximum: 65535 }), default: '587', doc: 'SMTP port.' },
  EMAIL_HOST_USER: { schema: Type.String(), default: '', doc: 'SMTP user name (empty: no authentication).' },
  EMAIL_HOST_PASSWORD: { schema: Type.String(), default: '', doc: 'SMTP password.' },
  EMAIL_USE_TLS: {
    schema: Type.Boolean(),
    default: 'true',
    doc: 'Require STARTTLS on the SMTP connection (port 587). Set false only for a local relay.',
  },
  EMAIL_USE_SSL: {
    schema: Type.Boolean(),
    default: 'false',
    doc: 'Connect with implicit TLS (port 465) instead of STARTTLS.',
  },
  EMAIL_FROM: {
    schema: Type.String({ minLength: 3 }),
    default: 'Tessera <noreply@localhost>',
    doc: 'Sender of every email.',
  },
  ADMIN_EMAIL: {
    schema: Type.String(),
    default: '',
    doc: 'Also told about every new booking and reservation (empty: nobody besides the business).',
  },
  SCHEDULER: {
    schema: Type.Boolean(),
    default: 'true',
    doc: 'Run the schedule (automatic status changes, reminders) every minute where jobs are processed.',
  },
  WORKER_CONCURRENCY: {
    schema: Type.Integer({ minimum: 1, maximum: 256 }),
    default: '8',
    doc: 'Jobs one process runs at the same time.',
  },
  JOB_ATTEMPTS: {
    schema: Type.Integer({ minimum: 1, maximum: 100 }),
    default: '8',
    doc: 'Tries a job gets before it is kept as failed (listed at /api/jobs/ and retried from there).',
  },
  JOB_BACKOFF: {
    schema: Type.String({ pattern: DURATION_PATTERN }),
    default: '5s',
    doc: 'Wait before a failed job is tried again; it doubles with each further failure.',
  },
  JOB_STALLED_AFTER: {
    schema: Type.String({ pattern: DURATION_PATTERN }),
    default: '30s',
    doc: 'With Redis: a running job whose worker stopped answering for this long is run again by another worker.',
  },
  QUEUE_NAME: {
    schema: Type.String({ pattern: '^[A-Za-z0-9_-]+$' }),
    default: 'tessera',
    doc: 'Name of the Redis job queue; deployments sharing one Redis need different names.',
  },
  WEBHOOK_ALLOW_PRIVATE: {
    schema: Type.Boolean(),
    default: 'false',
    doc: 'Let webhook endpoints use http and private, loopback or link-local addresses (development and tests only).',
  },
  METRICS_TOKEN: {
    schema: Type.String(),
    default: '',
    doc: 'Bearer token that /metrics requires (Prometheus). Empty: /metrics answers loopback clients only.',
  },
  READINESS_TIMEOUT: {
    schema: Type.Integer({ minimum: 50 }),
    default: '2000',
    doc: 'Milliseconds each readiness check (database, Redis) may take before it counts as failed.',
  },
} as const

export type SettingName = keyof typeof settings
export type RawSettings = { [K in SettingName]: Static<(typeof settings)[K]['schema']> }

/** Settings whose values are never shown (in `cli check` or in an error message). */
export const SECRET_NAMES = new Set<SettingName>(['SECRET_KEY', 'EMAIL_HOST_PASSWORD', 'METRICS_TOKEN'])
