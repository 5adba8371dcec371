// /api/users/: the platform admin's list, and the detail rules (the user themself or an admin).
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import { escapeLike } from '../../platform/db/like.js'
import { notFound } from '../../platform/errors.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import type { CursorPosition, PageRequest } from '../../platform/http/pagination.js'
import { type Actor, changedFields, recordAudit } from '../audit/service.js'
import { userAuditFields } from './account-service.js'
import type { AccountsContext } from './context.js'
import { revokeEverything } from './credentials.js'
import type { UserAdminPatch } from './schemas.js'
import { users } from './tables.js'
import { changesPublicProfile, findUserById, type UserRow } from './users.js'

export type UserListFilters = {
  search?: string
  role?: UserRow['role']
  is_active?: boolean
  ordering?: string
}

// Sort keys for keyset pagination; last_login is nullable, so never-logged-in users sort first.
const ORDER_COLUMNS = {
  username: sql`lower(${users.username})`,
  email: sql`lower(${users.email})`,
  date_joined: sql`${users.dateJoined}`,
  last_login: sql`coalesce(${users.lastLogin}, '-infinity'::timestamptz)`,
} as const

type OrderField = keyof typeof ORDER_COLUMNS

export async function listUsers(ctx: AccountsContext, filters: UserListFilters, page: PageRequest) {
  const ordering = filters.ordering ?? '-date_joined'
  const descending = ordering.startsWith('-')
  const field = ordering.replace(/^-/, '') as OrderField
  const column = ORDER_COLUMNS[field]

  const conditions: SQL[] = []
  if (filters.search) {
    const pattern = `%${escapeLike(filters.search)}%`
    conditions.push(
      sql`(${users.username} ilike ${pattern} or ${users.email} ilike ${pattern} or ${users.firstName} ilike ${pattern} or ${users.lastName} ilike ${pattern})`,
    )
  }
  if (filters.role) conditions.push(eq(users.role, filters.role))
  if (filters.is_active !== undefined) conditions.push(eq(users.isActive, filters.is_active))
  const where = conditions.length > 0 ? and(...conditions) : undefined

  const keyset =
    page.kind === 'cursor' && page.after
      ? descending
        ? sql`(${column}, ${users.id}) < (${page.after[0]}, ${page.after[1]})`
        : sql`(${column}, ${users.id}) > (${page.after[0]}, ${page.after[1]})`
      : undefined
  const direction = descending ? desc : asc
  // The cursor carries the sort key as the database has it (`::text`): a timestamp rebuilt from a JS
  // Date would lose its microseconds, and rows in the same millisecond would be skipped or repeated.
  const rows = await ctx.db
    .select({ user: users, key: sql<string>`(${column})::text` })
    .from(users)
    .where(and(where, keyset))
    .orderBy(direction(column), direction(users.id))
    .limit(page.limit)
    .offset(page.kind === 'page' ? page.offset : 0)
  const [counted] = await ctx.db.select({ count: sql<number>`count(*)::int` }).from(users).where(where)
  const visible = rows.slice(0, page.pageSize)
  const last = visible.at(-1)
  const lastPosition: CursorPosition | null = last ? [last.key, last.user.id] : null
  return {
    rows: visible.map((row) => row.user),
    fetched: rows.length,
    lastPosition,
    total: counted?.count ?? 0,
  }
}

/** A user the caller may see: themself, or anyone for a platform admin; others are 404. */
export async function visibleUser(ctx: AccountsContext, principal: Principal, id: string): Promise<UserRow> {
  if (principal.id !== id && !isPlatformAdmin(principal)) throw notFound()
  const user = await findUserById(ctx.db, id)
  if (!user) throw notFound()
  return user
}

export async function patchUser(
  ctx: AccountsContext,
  principal: Principal,
  id: string,
  body: UserAdminPatch,
  actor: Actor,
) {
  const user = await visibleUser(ctx, principal, id)
  const changes: Partial<typeof users.$inferInsert> = {}
  if (body.first_name !== undefined) changes.firstName = body.first_name
  if (body.last_name !== undefined) changes.lastName = body.last_name
  if (body.phone !== undefined) changes.phone = body.phone
  if (body.avatar !== undefined) changes.avatar = body.avatar
  // Only a platform admin changes roles and flags; for anyone else these fields are read-only.
  if (isPlatformAdmin(principal)) {
    if (body.role !== undefined) changes.role = body.role
    if (body.is_active !== undefined) changes.isActive = body.is_active
    if (body.is_staff !== undefined) changes.isStaff = body.is_staff
  }
  if (Object.keys(changes).length === 0) return user
  const now = ctx.clock.now()
  const updated = await ctx.db.transaction(async (tx) => {
    const [after] = await tx
      .update(users)
      .set({ ...changes, updatedAt: now })
      .where(eq(users.id, id))
      .returning()
    if (!after) throw notFound()
    const { updatedAt: _before, ...old } = userAuditFields(user)
    const { updatedAt: _after, ...next } = userAuditFields(after)
    await recordAudit(
      tx,
      {
        actor,
        businessId: null,
        action: 'update',
        entity: 'user',
        entityId: id,
        changes: changedFields(old, next),
      },
      now,
    )
    if (after.role === 'creator' && user.role !== 'creator') await ctx.hooks.creatorCreated(tx, after, actor)
    return after
  })
  if (changes.role !== undefined || changes.isActive !== undefined || changes.isStaff !== undefined)
    await ctx.userStates.changed(id)
  if (changes.isActive === false) await revokeEverything(ctx, id)
  if (changesPublicProfile(changes)) await ctx.hooks.publicProfileChanged()
  return updated
}

/** DELETE deactivates: the row stays, its sessions and refresh tokens die. */
export async function deactivateUser(
  ctx: AccountsContext,
  principal: Principal,
  id: string,
  actor: Actor,
): Promise<void> {
  await visibleUser(ctx, principal, id)
  const now = ctx.clock.now()
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ isActive: false, updatedAt: now }).where(eq(users.id, id))
    await recordAudit(
      tx,
      { actor, businessId: null, action: 'delete', entity: 'user', entityId: id, changes: {} },
      now,
    )
  })
  await ctx.userStates.changed(id)
  await revokeEverything(ctx, id)
}
