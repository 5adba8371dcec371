// Who may read /metrics: with METRICS_TOKEN, whoever sends it as a bearer token; without, loopback
// clients only. The address is the socket's own, never X-Forwarded-For: behind a proxy every request
// would otherwise claim to be local.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { notAuthenticated, permissionDenied } from '../../platform/errors.js'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

// Digests have one length whatever the token's, so the comparison says nothing about its length either.
const digest = (text: string) => createHash('sha256').update(text).digest()

/** The route's onRequest hook. */
export function metricsAccess(token: string) {
  const expected = token ? digest(token) : null
  return async (request: FastifyRequest) => {
    if (!expected) {
      if (LOOPBACK.has(request.socket.remoteAddress ?? '')) return
      throw permissionDenied('Metrics are served to loopback clients only while METRICS_TOKEN is not set.')
    }
    const [scheme, given] = (request.headers.authorization ?? '').split(' ')
    if (scheme?.toLowerCase() !== 'bearer' || !given) throw notAuthenticated()
    if (!timingSafeEqual(digest(given), expected)) throw notAuthenticated('Invalid token.', 'token_invalid')
  }
}
