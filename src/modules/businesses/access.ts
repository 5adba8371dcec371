// Who may do what in a business, in one place: a caller's standing in a business (their membership,
// or platform admin), the business a request acts in (X-Business-ID, or the caller's single
// membership), and the power check against the role table (policy.ts). Services start with these;
// routes only hand over the caller.
import { and, eq, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Database } from '../../platform/db/index.js'
import { AppError, notFound, permissionDenied } from '../../platform/errors.js'
import { isPlatformAdmin, type Principal, requireUser } from '../../platform/http/guards.js'
import { type BusinessContext, type MembershipRole, ownedBy } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { can, type Power } from './policy.js'
import { businesses, memberships } from './tables.js'

/** A signed-in caller and the business they named with `X-Business-ID`, as services receive them. */
export type Caller = { user: Principal; business?: string }

/** The caller of a request that needs one (401 otherwise). */
export function callerOf(request: FastifyRequest): Caller {
  const header = request.headers['x-business-id']
  const user = requireUser(request)
  return typeof header === 'string' && header ? { user, business: header } : { user }
}

export const businessRequired = () =>
  new AppError(
    400,
    'business_required',
    'You belong to several businesses: choose one with the X-Business-ID header.',
  )

/** The caller's live memberships (of businesses not deleted), optionally in one business. */
export async function membershipsOf(db: Database, userId: string, businessId?: string) {
  return db
    .select({ businessId: memberships.businessId, role: memberships.role })
    .from(memberships)
    .innerJoin(businesses, eq(businesses.id, memberships.businessId))
    .where(
      and(
        eq(memberships.userId, userId),
        sql`not ${memberships.isDeleted}`,
        sql`not ${businesses.isDeleted}`,
        businessId ? ownedBy(memberships, businessId) : undefined,
      ),
    )
}

export async function liveBusinessExists(db: Database, businessId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: businesses.id })
    .from(businesses)
    .where(and(eq(businesses.id, businessId), sql`not ${businesses.isDeleted}`))
  return Boolean(row)
}

/**
 * The caller's standing in one business: their membership's role, `platform_admin` for a platform
 * admin (in a business that exists), or null.
 */
export async function standingIn(
  db: Database,
  user: Principal | null,
  businessId: string,
): Promise<BusinessContext | null> {
  if (!(user && isUuid(businessId))) return null
  if (isPlatformAdmin(user))
    return (await liveBusinessExists(db, businessId)) ? { businessId, role: 'platform_admin' } : null
  const [membership] = await membershipsOf(db, user.id, businessId)
  return membership ? (membership satisfies { businessId: string; role: MembershipRole }) : null
}

/** The caller's membership role in the business of `standing`: a platform admin's own, or null. */
export async function memberRole(
  db: Database,
  user: Principal,
  standing: BusinessContext,
): Promise<MembershipRole | null> {
  if (standing.role !== 'platform_admin') return standing.role
  const [membership] = await membershipsOf(db, user.id, standing.businessId)
  return membership?.role ?? null
}

/** The caller's standing in a business they must have one in: 404 otherwise (its existence is not told). */
export async function requireStanding(
  db: Database,
  user: Principal,
  businessId: string,
): Promise<BusinessContext> {
  const standing = await standingIn(db, user, businessId)
  if (!standing) throw notFound()
  return standing
}

/**
 * The business a request acts in: the one named by X-Business-ID (404 without a standing there), or
 * the caller's single membership; several memberships without the header are 400, none is null.
 */
export async function businessContext(db: Database, caller: Caller): Promise<BusinessContext | null> {
  if (caller.business) return requireStanding(db, caller.user, caller.business)
  const found = await membershipsOf(db, caller.user.id)
  if (found.length > 1) throw businessRequired()
  return found[0] ?? null
}

/**
 * The business a request acts in when it has one: as businessContext, but several memberships without
 * the header give null, for lists that then show the caller's own rows.
 */
export async function businessContextIfAny(db: Database, caller: Caller): Promise<BusinessContext | null> {
  if (caller.business) return requireStanding(db, caller.user, caller.business)
  const found = await membershipsOf(db, caller.user.id)
  return found.length === 1 ? (found[0] ?? null) : null
}

/** 403 unless the standing's role has `power` (no standing at all is 403 too). */
export function requirePower(context: BusinessContext | null, power: Power): BusinessContext {
  if (!(context && can(context, power))) throw permissionDenied()
  return context
}

/**
 * Whose rows a platform-wide or business read holds: every business's (null) for a platform admin
 * without X-Business-ID, else the caller's business when their role has `power` (403 otherwise).
 */
export async function businessOrPlatform(db: Database, caller: Caller, power: Power): Promise<string | null> {
  if (isPlatformAdmin(caller.user) && !caller.business) return null
  return requirePower(await businessContext(db, caller), power).businessId
}

/** Whether the user is a member (any role) of the business. */
export async function isMember(db: Database, userId: string, businessId: string): Promise<boolean> {
  return (await membershipsOf(db, userId, businessId)).length > 0
}

/** The time zone a business's dates are read in (UTC without a business). */
export async function businessTimeZone(db: Database, businessId: string | null): Promise<string> {
  if (!businessId) return 'UTC'
  const [row] = await db
    .select({ timezone: businesses.timezone })
    .from(businesses)
    .where(eq(businesses.id, businessId))
  return row?.timezone ?? 'UTC'
}
