// Errors that mean "a service this request needs is away" (PostgreSQL restarting, Redis down), as opposed to a fault of the request or of the code. They answer 503 with
// Retry-After: the client may try again, and no stack reaches it.

// Network errors of the drivers' sockets.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
])
// SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or in recovery).
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03'])
const MESSAGES = [
  // node-postgres
  /Connection terminated/,
  /Client has encountered a connection error/,
  // ioredis
  /Connection is closed/,
  /max retries per request/i,
  /Stream isn't writeable/,
  // platform/timeout.ts around a call to Redis or the database
  /did not answer within \d+ ms/,
]

function causes(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let at = error; at && chain.length < 5; at = (at as { cause?: unknown }).cause) chain.push(at)
  return chain
}

export function isServiceUnavailable(error: unknown): boolean {
  return causes(error).some((cause) => {
    const { code, message, name } = cause as { code?: unknown; message?: unknown; name?: unknown }
    if (
      typeof code === 'string' &&
      (NETWORK_CODES.has(code) || SHUTDOWN_STATES.has(code) || code.startsWith('08'))
    )
      return true
    if (name === 'MaxRetriesPerRequestError') return true
    return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))
  })
}
