// The one place that reads the environment. Everything else receives a validated Config.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Static, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { parse as parseDotenv } from 'dotenv'
import { parseRate, type Rate } from './rate.js'

const DURATION_PATTERN = '^\\d+(ms|s|m|h|d)$'
const RATE_PATTERN = '^(off|\\d+/(s|sec|second|m|min|minute|h|hour|d|day))$'

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** `15m` -> 900000. The config schema has already checked the shape. */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text)
  if (!match) throw new Error(`not a duration: ${text}`)
  return Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS]
}

const DEV_SECRET_KEY = 'insecure-development-secret-key-change-me'

// One entry per setting: its default, its meaning (for .env.example and the README) and its schema.
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
  READINESS_TIMEOUT: {
    schema: Type.Integer({ minimum: 50 }),
    default: '2000',
    doc: 'Milliseconds each readiness check (database, Redis) may take before it counts as failed.',
  },
} as const

type SettingName = keyof typeof settings
type RawSettings = { [K in SettingName]: Static<(typeof settings)[K]['schema']> }

export type Config = {
  nodeEnv: RawSettings['NODE_ENV']
  isProduction: boolean
  host: string
  port: number
  dataDir: string
  databaseUrl: string | undefined
  databasePoolSize: number
  redisUrl: string | undefined
  secretKey: string
  allowedHosts: string[]
  corsAllowedOrigins: string[]
  csrfTrustedOrigins: string[]
  trustProxy: boolean
  logLevel: RawSettings['LOG_LEVEL']
  webConcurrency: number
  shutdownTimeoutMs: number
  readinessTimeoutMs: number
  jwtAccessTtlMs: number
  jwtRefreshTtlMs: number
  sessionTtlMs: number
  throttleAuth: Rate
  throttleAnon: Rate
  throttleUser: Rate
  lockoutAttempts: number
  lockoutWindowMs: number
  catalogCacheTtlMs: number
  frontendUrl: string
  email: {
    host: string | undefined
    port: number
    user: string
    password: string
    useTls: boolean
    useSsl: boolean
    from: string
  }
  adminEmail: string | undefined
  scheduler: boolean
  workerConcurrency: number
  jobAttempts: number
  jobBackoffMs: number
  jobStalledAfterMs: number
  queueName: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const SECRET_NAMES = new Set<string>(['SECRET_KEY', 'EMAIL_HOST_PASSWORD'])

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

function coerce(name: SettingName, raw: string): unknown {
  const schema = settings[name].schema
  if (schema.type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw
  if (schema.type === 'boolean') {
    const lowered = raw.trim().toLowerCase()
    if (['1', 'true', 'yes', 'on'].includes(lowered)) return true
    if (['0', 'false', 'no', 'off', ''].includes(lowered)) return false
    return raw
  }
  return raw
}

/** Reads `.env` from `cwd` if present; real environment variables win over it. */
export function readDotenv(cwd = process.cwd()): Record<string, string> {
  const path = resolve(cwd, '.env')
  return existsSync(path) ? parseDotenv(readFileSync(path)) : {}
}

/**
 * Validates the given variables (defaults: the process environment over `.env`) and returns the Config.
 * Throws a ConfigError naming every bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = { ...readDotenv(), ...process.env },
): Config {
  const problems: string[] = []
  const values = {} as Record<SettingName, unknown>
  for (const name of Object.keys(settings) as SettingName[]) {
    const given = env[name]
    const raw = given === undefined || given === '' ? settings[name].default : given
    if (raw === '' && 'optional' in settings[name]) {
      values[name] = undefined
      continue
    }
    const value = coerce(name, raw)
    if (!Value.Check(settings[name].schema, value)) {
      const first = Value.Errors(settings[name].schema, value).First()
      const shown = SECRET_NAMES.has(name) ? '(hidden)' : JSON.stringify(raw)
      problems.push(`${name}=${shown}: ${first?.message ?? 'invalid value'} (${settings[name].doc})`)
    }
    values[name] = value
  }
  const raw = values as RawSettings
  if (!raw.SECRET_KEY && raw.NODE_ENV === 'production') {
    problems.push('SECRET_KEY: required when NODE_ENV=production (at least 32 random characters)')
  }
  const trustedOrigins = commaList(raw.CSRF_TRUSTED_ORIGINS).map((origin) => {
    try {
      return new URL(origin).origin
    } catch {
      problems.push(`CSRF_TRUSTED_ORIGINS: "${origin}" is not an origin such as https://app.example.com`)
      return origin
    }
  })
  if (raw.WEB_CONCURRENCY > 1 && !raw.DATABASE_URL) {
    problems.push('WEB_CONCURRENCY: above 1 needs DATABASE_URL (the embedded database has a single owner)')
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid settings:\n  - ${problems.join('\n  - ')}`)
  }
  return {
    nodeEnv: raw.NODE_ENV,
    isProduction: raw.NODE_ENV === 'production',
    host: raw.HOST,
    port: raw.PORT,
    dataDir: resolve(raw.DATA_DIR),
    databaseUrl: raw.DATABASE_URL || undefined,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    redisUrl: raw.REDIS_URL || undefined,
    secretKey: raw.SECRET_KEY || DEV_SECRET_KEY,
    allowedHosts: commaList(raw.ALLOWED_HOSTS),
    corsAllowedOrigins: commaList(raw.CORS_ALLOWED_ORIGINS),
    // Compared with the Origin header, so in the form browsers send: lower-case, no path or slash.
    csrfTrustedOrigins: trustedOrigins,
    trustProxy: raw.TRUST_PROXY,
    logLevel: raw.LOG_LEVEL,
    webConcurrency: raw.WEB_CONCURRENCY,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT,
    readinessTimeoutMs: raw.READINESS_TIMEOUT,
    jwtAccessTtlMs: durationMs(raw.JWT_ACCESS_TTL),
    jwtRefreshTtlMs: durationMs(raw.JWT_REFRESH_TTL),
    sessionTtlMs: durationMs(raw.SESSION_TTL),
    throttleAuth: parseRate(raw.THROTTLE_AUTH),
    throttleAnon: parseRate(raw.THROTTLE_ANON),
    throttleUser: parseRate(raw.THROTTLE_USER),
    lockoutAttempts: raw.LOCKOUT_ATTEMPTS,
    lockoutWindowMs: durationMs(raw.LOCKOUT_WINDOW),
    catalogCacheTtlMs: durationMs(raw.CATALOG_CACHE_TTL),
    frontendUrl: raw.FRONTEND_URL.replace(/\/+$/, ''),
    email: {
      host: raw.EMAIL_HOST || undefined,
      port: raw.EMAIL_PORT,
      user: raw.EMAIL_HOST_USER,
      password: raw.EMAIL_HOST_PASSWORD,
      useTls: raw.EMAIL_USE_TLS,
      useSsl: raw.EMAIL_USE_SSL,
      from: raw.EMAIL_FROM,
    },
    adminEmail: raw.ADMIN_EMAIL || undefined,
    scheduler: raw.SCHEDULER,
    workerConcurrency: raw.WORKER_CONCURRENCY,
    jobAttempts: raw.JOB_ATTEMPTS,
    jobBackoffMs: durationMs(raw.JOB_BACKOFF),
    jobStalledAfterMs: durationMs(raw.JOB_STALLED_AFTER),
    queueName: raw.QUEUE_NAME,
  }
}

/** Loads the config or ends the process with the message that names the bad variables. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(2)
    }
    throw error
  }
}

/** The effective settings as `NAME=value` pairs, secrets and URL passwords masked (for `cli check`). */
export function describeConfig(
  env: Record<string, string | undefined> = { ...readDotenv(), ...process.env },
) {
  return (Object.keys(settings) as SettingName[]).map((name) => {
    const value = env[name] || settings[name].default
    if (SECRET_NAMES.has(name)) return [name, value ? '********' : '(development default)'] as const
    if (name.endsWith('_URL') && value) return [name, maskUrlPassword(value)] as const
    return [name, value] as const
  })
}

export function maskUrlPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '********'
    return parsed.toString()
  } catch {
    return url
  }
}
