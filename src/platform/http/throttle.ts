// Request throttles in DRF's notation: per IP for anonymous callers, per user for authenticated ones,
// and a stricter per-IP rate on the endpoints that guess passwords (login, register, reset).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Clock } from '../clock.js'
import type { CounterStore } from '../counters.js'
import { throttled } from '../errors.js'
import type { Rate } from '../rate.js'

export type Throttles = { auth: Rate; anon: Rate; user: Rate }

// Operations endpoints and the docs are never throttled: load balancers poll them.
const UNTHROTTLED = /^\/(health|api\/(docs|redoc|schema))(\/|$)/

async function take(counters: CounterStore, clock: Clock, key: string, rate: Rate): Promise<void> {
  if (!rate) return
  const now = clock.now().getTime()
  const state = await counters.hit(key, rate.periodMs, now)
  if (state.count > rate.limit) throw throttled(Math.max(1, Math.ceil((state.resetAt - now) / 1000)))
}

/** Applies the anonymous or user rate to every request; runs after authentication. */
export function registerThrottles(
  app: FastifyInstance,
  counters: CounterStore,
  clock: Clock,
  throttles: Throttles,
) {
  app.addHook('onRequest', async (request) => {
    if (UNTHROTTLED.test(request.url)) return
    if (request.user) await take(counters, clock, `throttle:user:${request.user.id}`, throttles.user)
    else await take(counters, clock, `throttle:anon:${request.ip}`, throttles.anon)
  })
}

/** The per-IP rate for password-guessing endpoints, as a route `onRequest` hook. */
export function authThrottle(counters: CounterStore, clock: Clock, rate: Rate) {
  return async (request: FastifyRequest) => take(counters, clock, `throttle:auth:${request.ip}`, rate)
}
