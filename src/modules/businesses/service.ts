// Businesses: create, list, read, change, delete. Every change writes its audit row in the same
// transaction. Members are in members.ts, invitations in invitations.ts.
import { and, asc, count, eq, sql } from 'drizzle-orm'
import { isUniqueViolation } from '../../platform/db/errors.js'
import type { Database } from '../../platform/db/index.js'
import { escapeLike } from '../../platform/db/like.js'
import { notFound, validationFailed } from '../../platform/errors.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import { numberedPage, type PageRequest } from '../../platform/http/pagination.js'
import { type MembershipRole, scopedSql } from '../../platform/tenancy.js'
import { ensureEmailVerified } from '../accounts/email-verification.js'
import { type Actor, changedFields, creationChanges, recordAudit } from '../audit/service.js'
import { isCurrency, isTimeZone } from '../settings/service.js'
import { offerSeatsOfBusiness } from '../waitlist/seats.js'
import { memberRole, requirePower, requireStanding } from './access.js'
import type { BusinessDeps } from './deps.js'
import { insertMembership } from './members.js'
import { openingHoursErrors, weekOf } from './opening-hours.js'
import { settingsProblems } from './settings-bound.js'
import { businesses, DEFAULT_OPENING_HOURS, memberships, type OpeningHours, softDeletion } from './tables.js'

export type BusinessRow = typeof businesses.$inferSelect
export type BusinessInput = {
  name?: string
  slug?: string
  timezone?: string
  currency?: string
  is_active?: boolean
  settings?: Record<string, unknown>
  opening_hours?: OpeningHours
}

/** What anyone may know of a business: its names, place in time, currency and hours. */
export function businessProfile(
  row: Pick<BusinessRow, 'id' | 'name' | 'slug' | 'timezone' | 'currency' | 'openingHours'>,
) {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    timezone: row.timezone,
    currency: row.currency,
    opening_hours: weekOf(row.openingHours),
  }
}

export function businessOut(row: BusinessRow) {
  return {
    ...businessProfile(row),
    is_active: row.isActive,
    settings: row.settings,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  }
}

/** A business as one caller sees it: with their membership role there (null without one). */
export type BusinessSeen = { business: BusinessRow; myRole: MembershipRole | null }

/** The API's business: the row and the caller's `my_role`. */
export const businessAnswer = ({ business, myRole }: BusinessSeen) => ({
  ...businessOut(business),
  my_role: myRole,
})

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return slug || 'business'
}

function inputErrors(input: BusinessInput): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  if (input.timezone !== undefined && !isTimeZone(input.timezone))
    errors.timezone = ['Not a valid IANA time zone.']
  if (input.currency !== undefined && !isCurrency(input.currency))
    errors.currency = ['Not an ISO 4217 currency code.']
  if (input.opening_hours !== undefined) Object.assign(errors, openingHoursErrors(input.opening_hours))
  const settingsErrors = input.settings === undefined ? [] : settingsProblems(input.settings)
  if (settingsErrors.length > 0) errors.settings = settingsErrors
  return errors
}

/** A slug not used by a live business: the wanted one, or it with -2, -3, ... */
async function freeSlug(tx: Database, wanted: string): Promise<string> {
  const taken = await tx
    .select({ slug: businesses.slug })
    .from(businesses)
    .where(
      and(
        sql`not ${businesses.isDeleted}`,
        sql`(${businesses.slug} = ${wanted} or ${businesses.slug} ~ ${`^${wanted}-[0-9]+$`})`,
      ),
    )
  const used = new Set(taken.map((row) => row.slug))
  if (!used.has(wanted)) return wanted
  for (let n = 2; ; n++) if (!used.has(`${wanted}-${n}`)) return `${wanted}-${n}`
}

/**
 * Creates a business with `ownerId` as its owner, inside the caller's transaction (registration of a
 * creator runs it in the same transaction as the new user).
 */
export async function createBusinessIn(
  tx: Database,
  deps: BusinessDeps,
  ownerId: string,
  input: BusinessInput & { name: string },
  actor: Actor,
): Promise<BusinessRow> {
  const errors = inputErrors(input)
  if (Object.keys(errors).length > 0) throw validationFailed(errors)
  const defaults = await deps.settings.get(tx)
  const now = deps.clock.now()
  const slug = input.slug ?? (await freeSlug(tx, slugify(input.name)))
  let business: BusinessRow | undefined
  try {
    ;[business] = await tx
      .insert(businesses)
      .values({
        name: input.name,
        slug,
        timezone: input.timezone ?? defaults.timezone,
        currency: input.currency ?? defaults.defaultCurrency,
        isActive: input.is_active ?? true,
        settings: input.settings ?? {},
        openingHours: weekOf(input.opening_hours ?? DEFAULT_OPENING_HOURS),
        createdBy: actor.userId,
        updatedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
  } catch (error) {
    if (isUniqueViolation(error, 'businesses_slug_key'))
      throw validationFailed({ slug: ['This slug is taken.'] })
    throw error
  }
  if (!business) throw new Error('insert returned no row')
  await recordAudit(
    tx,
    {
      actor,
      businessId: business.id,
      action: 'create',
      entity: 'business',
      entityId: business.id,
      changes: creationChanges(businessOut(business)),
    },
    now,
  )
  await insertMembership(tx, { businessId: business.id, userId: ownerId, role: 'owner' }, actor, now)
  return business
}

export async function createBusiness(
  deps: BusinessDeps,
  user: Principal,
  input: BusinessInput & { name: string },
  actor: Actor,
) {
  await ensureEmailVerified(deps.db, user)
  const business = await deps.db.transaction((tx) => createBusinessIn(tx, deps, user.id, input, actor))
  return { business, myRole: 'owner' } satisfies BusinessSeen
}

/** Filters of the businesses list: a name or slug substring, and (for the console) one member's. */
export type BusinessListFilters = { search?: string; member?: string }

const memberOf = (userId: string) =>
  sql`exists (select 1 from ${memberships} m where ${scopedSql('m', businesses.id)} and m.user_id = ${userId})`

export async function listBusinesses(
  deps: BusinessDeps,
  user: Principal,
  filters: BusinessListFilters,
  page: PageRequest & { kind: 'page' },
) {
  const pattern = filters.search ? `%${escapeLike(filters.search)}%` : null
  const mine = and(
    sql`not ${businesses.isDeleted}`,
    isPlatformAdmin(user) ? undefined : memberOf(user.id),
    filters.member ? memberOf(filters.member) : undefined,
    pattern ? sql`(${businesses.name} ilike ${pattern} or ${businesses.slug} ilike ${pattern})` : undefined,
  )
  const myRole = sql<MembershipRole | null>`(select m.role from ${memberships} m where ${scopedSql('m', businesses.id)} and m.user_id = ${user.id})`
  const rows: BusinessSeen[] = await deps.db
    .select({ business: businesses, myRole })
    .from(businesses)
    .where(mine)
    .orderBy(asc(businesses.name), asc(businesses.id))
    .limit(page.limit)
    .offset(page.offset)
  const [total] = await deps.db.select({ n: count() }).from(businesses).where(mine)
  return numberedPage(page, rows, total?.n ?? 0)
}

/** A live business, or 404. */
export async function loadBusiness(db: Database, id: string): Promise<BusinessRow> {
  const [row] = await db
    .select()
    .from(businesses)
    .where(and(eq(businesses.id, id), sql`not ${businesses.isDeleted}`))
  if (!row) throw notFound()
  return row
}

export async function getBusiness(deps: BusinessDeps, user: Principal, id: string): Promise<BusinessSeen> {
  const standing = await requireStanding(deps.db, user, id)
  return { business: await loadBusiness(deps.db, id), myRole: await memberRole(deps.db, user, standing) }
}

export async function updateBusiness(
  deps: BusinessDeps,
  user: Principal,
  id: string,
  input: BusinessInput,
  actor: Actor,
) {
  const standing = requirePower(await requireStanding(deps.db, user, id), 'business.update')
  const errors = inputErrors(input)
  if (Object.keys(errors).length > 0) throw validationFailed(errors)
  const now = deps.clock.now()
  const updated = await deps.db.transaction(async (tx) => {
    const before = await loadBusiness(tx, id)
    let after: BusinessRow | undefined
    try {
      ;[after] = await tx
        .update(businesses)
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.slug !== undefined && { slug: input.slug }),
          ...(input.timezone !== undefined && { timezone: input.timezone }),
          ...(input.currency !== undefined && { currency: input.currency }),
          ...(input.is_active !== undefined && { isActive: input.is_active }),
          ...(input.settings !== undefined && { settings: input.settings }),
          ...(input.opening_hours !== undefined && { openingHours: weekOf(input.opening_hours) }),
          updatedBy: actor.userId,
          updatedAt: now,
        })
        .where(eq(businesses.id, id))
        .returning()
    } catch (error) {
      if (isUniqueViolation(error, 'businesses_slug_key'))
        throw validationFailed({ slug: ['This slug is taken.'] })
      throw error
    }
    if (!after) throw notFound()
    if (!before.isActive && after.isActive) await offerSeatsOfBusiness(tx, id, now)
    const { updated_at: _before, ...old } = businessOut(before)
    const { updated_at: _after, ...next } = businessOut(after)
    await recordAudit(
      tx,
      {
        actor,
        businessId: id,
        action: 'update',
        entity: 'business',
        entityId: id,
        changes: changedFields(old, next),
      },
      now,
    )
    return after
  })
  await deps.onPublicChange()
  return { business: updated, myRole: await memberRole(deps.db, user, standing) } satisfies BusinessSeen
}

export async function deleteBusiness(deps: BusinessDeps, user: Principal, id: string, actor: Actor) {
  requirePower(await requireStanding(deps.db, user, id), 'business.delete')
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    await tx.update(businesses).set(softDeletion(actor.userId, now)).where(eq(businesses.id, id))
    await recordAudit(
      tx,
      { actor, businessId: id, action: 'delete', entity: 'business', entityId: id, changes: {} },
      now,
    )
  })
  await deps.onPublicChange()
}

/** A creator gets a business of their own (named after them) unless they already own one. */
export async function ensureOwnBusiness(
  tx: Database,
  deps: BusinessDeps,
  user: { id: string; username: string; firstName: string; lastName: string },
  actor: Actor,
): Promise<void> {
  const [owned] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(businesses, eq(businesses.id, memberships.businessId))
    .where(
      and(
        eq(memberships.userId, user.id),
        eq(memberships.role, 'owner'),
        sql`not ${memberships.isDeleted}`,
        sql`not ${businesses.isDeleted}`,
      ),
    )
    .limit(1)
  if (owned) return
  const name = `${user.firstName} ${user.lastName}`.trim() || user.username
  await createBusinessIn(tx, deps, user.id, { name, slug: await freeSlug(tx, slugify(user.username)) }, actor)
}
