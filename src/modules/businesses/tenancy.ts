// Which business a staff request acts in: the X-Business-ID header, or the caller's single membership.
import { and, eq, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Database } from '../../platform/db/index.js'
import { AppError, notFound, permissionDenied } from '../../platform/errors.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import type { BusinessContext, MembershipRole } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { can, type Power } from './policy.js'
import { businesses, memberships } from './tables.js'

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
        businessId ? eq(memberships.businessId, businessId) : undefined,
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
 * The business of a request. A business the caller is not a member of answers 404 (a platform admin
 * may act in any); without the header, one membership is used, several are 400, none is null.
 */
export async function resolveBusiness(
  db: Database,
  request: FastifyRequest,
  user: Principal,
): Promise<BusinessContext | null> {
  const header = request.headers['x-business-id']
  if (typeof header === 'string' && header) return businessFromHeader(db, user, header)
  const found = await membershipsOf(db, user.id)
  if (found.length > 1) throw businessRequired()
  return found[0] ?? null
}

/**
 * The business context of a request when it has one: the header (404 as above) or the caller's single
 * membership. Null otherwise, for lists that then show the caller's own rows: no membership, or several
 * and no header.
 */
export async function businessContextIfAny(
  db: Database,
  request: FastifyRequest,
  user: Principal,
): Promise<BusinessContext | null> {
  const header = request.headers['x-business-id']
  if (typeof header === 'string' && header) return businessFromHeader(db, user, header)
  const found = await membershipsOf(db, user.id)
  return found.length === 1 ? (found[0] ?? null) : null
}

/**
 * Whose rows an export holds: every business's (null) for a platform admin without X-Business-ID,
 * else the caller's business when their role has `power` (403 otherwise, also without a business).
 */
export async function exportScope(
  db: Database,
  request: FastifyRequest,
  user: Principal,
  power: Power,
): Promise<string | null> {
  if (isPlatformAdmin(user) && !request.headers['x-business-id']) return null
  const context = await resolveBusiness(db, request, user)
  if (!(context && can(context, power))) throw permissionDenied()
  return context.businessId
}

/** The caller's standing in one business: their membership, platform admin, or 404. */
export async function businessFromHeader(
  db: Database,
  user: Principal,
  businessId: string,
): Promise<BusinessContext> {
  if (!isUuid(businessId)) throw notFound()
  if (isPlatformAdmin(user)) {
    if (!(await liveBusinessExists(db, businessId))) throw notFound()
    return { businessId, role: 'platform_admin' }
  }
  const [membership] = await membershipsOf(db, user.id, businessId)
  if (!membership) throw notFound()
  return membership satisfies { businessId: string; role: MembershipRole }
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
