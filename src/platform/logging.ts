// What a log line may hold. Every logger (the web app's, the worker's) is built from loggerOptions(), so
// the rules hold in all of them: no query parameters, and no value under a key that names a secret.
import { DrizzleQueryError } from 'drizzle-orm'
import type { LoggerOptions } from 'pino'

export const REDACTED = '[Redacted]'

// A key containing one of these words holds a secret (`new_password`, `refresh_token`, `totp_secret`),
// and so do the token pair's fields, recovery codes and the credential headers.
const SECRET_WORDS = /password|token|secret|otp/i
const SECRET_KEYS = new Set([
  'access',
  'refresh',
  'recovery_codes',
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrftoken',
])

export const isSecretKey = (key: string) => SECRET_WORDS.test(key) || SECRET_KEYS.has(key.toLowerCase())

/** `value` with every secret key's value replaced by REDACTED, at any depth (a JSON value: no cycles). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, isSecretKey(key) ? REDACTED : redactSecrets(item)]),
  )
}

// Lines that mention none of the words cannot hold a secret key: they are written as they are.
const MAY_HOLD_SECRETS = /password|token|secret|otp|access|refresh|recovery_codes|authorization|cookie|csrf/i

/** One serialized log line (JSON and a newline), with the values of its secret keys redacted. */
export function redactLine(line: string): string {
  if (!MAY_HOLD_SECRETS.test(line)) return line
  return `${JSON.stringify(redactSecrets(JSON.parse(line)))}\n`
}

type DriverError = Error & Record<string, unknown> & { code: string }

const SQLSTATE = /^[0-9A-Z]{5}$/

/** An error PostgreSQL reported (through node-postgres or PGlite): it has a SQLSTATE and a severity. */
function isDriverError(error: Error): error is DriverError {
  const fields = error as Error & Record<string, unknown>
  return typeof fields.code === 'string' && SQLSTATE.test(fields.code) && typeof fields.severity === 'string'
}

// Messages of data exceptions quote the value that did not fit (`invalid input syntax for type uuid:
// "..."`), and a function's RAISE may say anything: those are replaced by their SQLSTATE.
const MAY_QUOTE_VALUES = /^(22|P0)/

// What a driver error says about where it happened; `detail`, `where`, `params` and the like are left
// out because they carry row values and parameters (`Failing row contains (...)`).
const DRIVER_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine']

const typeOf = (error: Error) => error.constructor?.name || error.name

/** The error's stack frames under a new first line (the original stack starts with its message). */
function restack(error: Error, message: string): string | undefined {
  if (typeof error.stack !== 'string') return undefined
  const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line))
  return [`${typeOf(error)}: ${message}`, ...frames].join('\n')
}

function driverErrorFields(error: DriverError): Record<string, unknown> {
  const message = MAY_QUOTE_VALUES.test(error.code)
    ? `PostgreSQL error ${error.code} (message withheld: it may quote a value)`
    : error.message
  const out: Record<string, unknown> = { type: typeOf(error), message }
  for (const field of DRIVER_FIELDS) if (typeof error[field] === 'string') out[field] = error[field]
  if (typeof error.query === 'string') out.statement = error.query
  out.stack = restack(error, message)
  return out
}

/** drizzle's wrapper, whose message lists every parameter: its statement text and SQLSTATE instead. */
function failedQueryFields(error: DrizzleQueryError): Record<string, unknown> {
  const code = error.cause instanceof Error && isDriverError(error.cause) ? error.cause.code : undefined
  const message = code ? `Failed query (SQLSTATE ${code})` : 'Failed query'
  return { type: typeOf(error), message, code, statement: error.query, stack: restack(error, message) }
}

function errorFields(error: Error, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: typeOf(error), message: error.message, stack: error.stack }
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || key === 'errors' || key in out) continue
    out[key] = value instanceof Error ? serializeError(value, depth + 1) : value
  }
  if (error instanceof AggregateError)
    out.aggregateErrors = error.errors.map((item) => serializeError(item, depth + 1))
  return out
}

const MAX_DEPTH = 5

/**
 * pino's `err` serializer, minus what may hold values: a failed query (drizzle's "Failed query: ...
 * params: ...") becomes its statement text (placeholders, no values) and SQLSTATE, and a driver error
 * keeps only the fields that name where it happened. Causes are serialized the same way.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error
  if (depth > MAX_DEPTH) return { type: typeOf(error), message: '(nested too deep to log)' }
  const out = isDriverError(error)
    ? driverErrorFields(error)
    : error instanceof DrizzleQueryError
      ? failedQueryFields(error)
      : errorFields(error, depth)
  if (error.cause !== undefined) out.cause = serializeError(error.cause, depth + 1)
  return out
}

/** The options every pino logger of this project is built with. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    serializers: { err: serializeError },
    hooks: { streamWrite: redactLine },
  }
}
