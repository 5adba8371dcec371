// The one authentication hook: resolves the caller from a bearer token or a session cookie, with the
// role and flags of their current row, and enforces CSRF on every unsafe cookie-authenticated request.
import cookie from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../platform/config.js'
import { randomToken, timingSafeEqualText } from '../../platform/crypto.js'
import { notAuthenticated, permissionDenied } from '../../platform/errors.js'
import type { AccountsContext } from './context.js'

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
export const CSRF_COOKIE = 'csrftoken'
export const CSRF_HEADER = 'x-csrftoken'

const csrfFailed = (reason: string) => permissionDenied(`CSRF Failed: ${reason}`, 'csrf_failed')

export type CookieNames = { session: string; secure: boolean }

/** Secure, `__Host-`-prefixed cookies outside development and test. */
export function cookieNames(config: Config): CookieNames {
  const secure = config.isProduction
  return { session: secure ? '__Host-sessionid' : 'sessionid', secure }
}

function originOf(value: string | undefined): string | null {
  if (!value) return null
  try {
    return new URL(value).origin
  } catch {
    return 'null'
  }
}

/** This site's origin serialized like the Origin header (lower-case host, no default port). */
function ownOrigin(request: FastifyRequest): string | null {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin
  } catch {
    return null
  }
}

/** Refuses an Origin (or, without one, a Referer) that is neither this site nor a trusted origin. */
export function checkOrigin(request: FastifyRequest, trusted: string[]): void {
  const origin = originOf(request.headers.origin) ?? originOf(request.headers.referer)
  if (origin === null) return
  if (origin !== ownOrigin(request) && !trusted.includes(origin)) {
    throw csrfFailed(`origin ${origin} is not trusted.`)
  }
}

function checkCsrf(request: FastifyRequest, trusted: string[]): void {
  checkOrigin(request, trusted)
  const header = request.headers[CSRF_HEADER]
  const expected = request.cookies[CSRF_COOKIE]
  if (!expected) throw csrfFailed('CSRF cookie not set.')
  if (typeof header !== 'string' || !header) throw csrfFailed('CSRF token missing.')
  if (!timingSafeEqualText(header, expected)) throw csrfFailed('CSRF token incorrect.')
}

/** Sets a fresh `csrftoken` cookie (readable by the SPA) and returns its value. */
export function issueCsrfCookie(reply: FastifyReply, names: CookieNames): string {
  const token = randomToken(32)
  reply.setCookie(CSRF_COOKIE, token, {
    path: '/',
    sameSite: 'lax',
    secure: names.secure,
    httpOnly: false,
    maxAge: 365 * 24 * 3600,
  })
  return token
}

export function setSessionCookie(
  reply: FastifyReply,
  names: CookieNames,
  sessionId: string,
  maxAgeMs: number,
) {
  reply.setCookie(names.session, sessionId, {
    path: '/',
    sameSite: 'lax',
    secure: names.secure,
    httpOnly: true,
    maxAge: Math.floor(maxAgeMs / 1000),
  })
}

export function clearSessionCookie(reply: FastifyReply, names: CookieNames) {
  reply.clearCookie(names.session, { path: '/', sameSite: 'lax', secure: names.secure, httpOnly: true })
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Credentials that were presented but refused; answered once the anonymous throttle has run. */
    authenticationFailure: Error | null
  }
  interface FastifyContextConfig {
    /** The route checks a bearer token of its own (a service's, not a user's): not read as a user's. */
    ownBearerToken?: boolean
  }
}

const inactiveUser = () => notAuthenticated('User is inactive or no longer exists.', 'token_invalid')

/**
 * Resolves the caller on every request. The role and flags come from the user's current row (cached
 * in `ctx.userStates`), never from the token's claims, so a demotion or deactivation takes effect at
 * once. Refused credentials do not answer here: `rejectRefusedCredentials` does, after the throttles
 * have counted the request as anonymous.
 */
export async function registerAuthentication(app: FastifyInstance, ctx: AccountsContext, config: Config) {
  await app.register(cookie)
  const names = cookieNames(config)
  app.decorateRequest('user', null)
  app.decorateRequest('authenticationFailure', null)
  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization
    if (authorization) {
      const [scheme, token] = authorization.split(' ')
      if (scheme?.toLowerCase() === 'bearer' && token) {
        if (request.routeOptions.config.ownBearerToken) return
        let userId: string
        try {
          userId = ctx.tokens.verifyAccess(token).sub
        } catch (error) {
          request.authenticationFailure = error as Error
          return
        }
        const state = await ctx.userStates.get(userId)
        if (!state?.isActive) request.authenticationFailure = inactiveUser()
        else request.user = { id: userId, role: state.role, isStaff: state.isStaff, scheme: 'bearer' }
        return
      }
    }
    const sessionId = request.cookies[names.session]
    if (!sessionId) return
    const userId = await ctx.sessions.userOf(sessionId, ctx.clock.now())
    const state = userId ? await ctx.userStates.get(userId) : null
    if (!(userId && state?.isActive)) return
    request.user = { id: userId, role: state.role, isStaff: state.isStaff, scheme: 'session', sessionId }
    if (UNSAFE_METHODS.has(request.method)) checkCsrf(request, config.csrfTrustedOrigins)
  })
}

/** Answers refused credentials (401); registered after the throttles, so such requests are throttled too. */
export function rejectRefusedCredentials(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    if (request.authenticationFailure) throw request.authenticationFailure
  })
}
