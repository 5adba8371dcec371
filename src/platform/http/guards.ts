// Who is calling, and the checks every module reuses. The accounts module's authentication hook fills
// `request.user` from a bearer token or a session cookie; guards read it.
import type { FastifyRequest } from 'fastify'
import { notAuthenticated, permissionDenied } from '../errors.js'

export type Role = 'user' | 'creator' | 'admin'

export type Principal = {
  id: string
  role: Role
  isStaff: boolean
  scheme: 'bearer' | 'session'
  /** The cookie session's id, for the session scheme. */
  sessionId?: string
}

declare module 'fastify' {
  interface FastifyRequest {
    user: Principal | null
  }
}

/** Platform administrators: role `admin`, or Django-style staff. */
export function isPlatformAdmin(user: Principal | null): boolean {
  return user !== null && (user.role === 'admin' || user.isStaff)
}

export function requireUser(request: FastifyRequest): Principal {
  if (!request.user) throw notAuthenticated()
  return request.user
}

export function requireRole(request: FastifyRequest, role: Role): Principal {
  const user = requireUser(request)
  const allowed = role === 'admin' ? isPlatformAdmin(user) : user.role === role || isPlatformAdmin(user)
  if (!allowed) throw permissionDenied()
  return user
}

/** Route-level forms of the guards, for `onRequest`: they run before the body is validated, so an anonymous caller gets 401, not 400. */
export const authenticated = async (request: FastifyRequest) => {
  requireUser(request)
}
export const platformAdminOnly = async (request: FastifyRequest) => {
  requireRole(request, 'admin')
}

/** OpenAPI security requirement of endpoints that need a caller: either scheme. */
export const callerSecurity: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }]
