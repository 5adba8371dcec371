// The one place that reads the environment (the variables themselves: config/settings.ts). Everything
// else receives a validated Config.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Value } from '@sinclair/typebox/value'
import { parse as parseDotenv } from 'dotenv'
import { type RawSettings, SECRET_NAMES, type SettingName, settings } from './config/settings.js'
import { parseRate, type Rate } from './rate.js'

export { settings } from './config/settings.js'

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** `15m` -> 900000. The config schema has already checked the shape. */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text)
  if (!match) throw new Error(`not a duration: ${text}`)
  return Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS]
}

const DEV_SECRET_KEY = 'insecure-development-secret-key-change-me'

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
  /** Empty: /metrics answers loopback clients only. */
  metricsToken: string
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
  /** Webhook endpoints may use http and resolve to private addresses (development and tests). */
  webhookAllowPrivate: boolean
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

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
    metricsToken: raw.METRICS_TOKEN,
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
    webhookAllowPrivate: raw.WEBHOOK_ALLOW_PRIVATE,
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
