// A business's members: the list, a platform admin's direct add, role changes, removal and leaving.
// Everyone else joins by accepting an invitation (invitations.ts). Every change writes its audit row in
// the same transaction and locks the business row first, so concurrent changes cannot leave it
// without an owner.
import { and, asc, count, eq } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import {
  conflict,
  type FieldErrors,
  notFound,
  permissionDenied,
  validationFailed,
} from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { numberedPage, type PageRequest } from '../../platform/http/pagination.js'
import { type BusinessContext, type MembershipRole, scoped } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { type Actor, changedFields, creationChanges, recordAudit } from '../audit/service.js'
import { requirePower, requireStanding } from './access.js'
import type { BusinessDeps } from './deps.js'
import type { Power } from './policy.js'
import { businesses, memberships, softDeletion } from './tables.js'

const lastOwner = () => conflict('last_owner', 'A business needs at least one owner.')

const memberColumns = {
  membershipId: memberships.id,
  role: memberships.role,
  createdAt: memberships.createdAt,
  userId: users.id,
  username: users.username,
  email: users.email,
  firstName: users.firstName,
  lastName: users.lastName,
}

type MemberRow = { [K in keyof typeof memberColumns]: (typeof memberColumns)[K]['_']['data'] }

/**
 * A member as the business's staff see them. The address is shown: a member belongs to the business,
 * and only its staff (or a platform admin) read its members (see contact-visibility.ts).
 */
export function memberOut(row: MemberRow) {
  return {
    user: {
      id: row.userId,
      username: row.username,
      email: row.email,
      first_name: row.firstName,
      last_name: row.lastName,
    },
    role: row.role,
    created_at: row.createdAt.toISOString(),
  }
}

const liveMember = (businessId: string) => scoped(memberships, { businessId })

export async function listMembers(
  deps: BusinessDeps,
  user: Principal,
  businessId: string,
  page: PageRequest & { kind: 'page' },
) {
  requirePower(await requireStanding(deps.db, user, businessId), 'members.read')
  const rows = await deps.db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(liveMember(businessId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(page.limit)
    .offset(page.offset)
  const [total] = await deps.db.select({ n: count() }).from(memberships).where(liveMember(businessId))
  return numberedPage(page, rows, total?.n ?? 0)
}

/** Locks the live business row, so member changes of one business run one at a time; false if none. */
export async function lockLiveBusiness(tx: Database, businessId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: businesses.id })
    .from(businesses)
    .where(and(eq(businesses.id, businessId), eq(businesses.isDeleted, false)))
    .for('update')
  return Boolean(row)
}

export async function lockBusiness(tx: Database, businessId: string): Promise<void> {
  if (!(await lockLiveBusiness(tx, businessId))) throw notFound()
}

async function ownerCount(tx: Database, businessId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(liveMember(businessId), eq(memberships.role, 'owner')))
  return row?.n ?? 0
}

async function memberRow(tx: Database, businessId: string, userId: string) {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(liveMember(businessId), eq(memberships.userId, userId)))
  return row
}

/**
 * Locks the business and checks the caller's power again under the lock: a concurrent change may
 * just have taken it away (two owners demoting each other).
 */
export async function lockAndRecheck(
  tx: Database,
  user: Principal,
  businessId: string,
  power: Power = 'members.write',
): Promise<BusinessContext> {
  await lockBusiness(tx, businessId)
  const context = await requireStanding(tx, user, businessId)
  requirePower(context, power)
  return context
}

export function ensureOwnerPower(context: BusinessContext, ...roles: MembershipRole[]) {
  if (roles.includes('owner')) requirePower(context, 'members.owners')
}

/**
 * Inserts a membership and its audit row, in the caller's transaction; `also` adds to the audited
 * fields (the invitation it came from).
 */
export async function insertMembership(
  tx: Database,
  member: { businessId: string; userId: string; role: MembershipRole },
  actor: Actor,
  now: Date,
  also: Record<string, unknown> = {},
) {
  const [membership] = await tx
    .insert(memberships)
    .values({ ...member, createdBy: actor.userId, updatedBy: actor.userId, createdAt: now, updatedAt: now })
    .returning()
  if (!membership) throw new Error('insert returned no row')
  await recordAudit(
    tx,
    {
      actor,
      businessId: member.businessId,
      action: 'create',
      entity: 'membership',
      entityId: membership.id,
      changes: creationChanges({ user_id: member.userId, role: member.role, ...also }),
    },
    now,
  )
  return membership
}

export type DirectAdd = { user_id?: string; role: MembershipRole; direct?: boolean }

/** A body naming a user (`user_id`) or with `direct: true` asks for a direct add, not an invitation. */
export const isDirectAdd = (input: { user_id?: string; direct?: boolean }) =>
  input.user_id !== undefined || input.direct === true

/**
 * A platform admin adds an existing user at once, without an invitation. Anyone else gets 403 (a
 * non-member 404 first): they invite the address instead, so nobody is added without consenting.
 */
export async function addMemberDirectly(
  deps: BusinessDeps,
  user: Principal,
  businessId: string,
  input: DirectAdd,
  actor: Actor,
) {
  const context = await requireStanding(deps.db, user, businessId)
  if (context.role !== 'platform_admin')
    throw permissionDenied('Only platform admins add a user directly; invite their email address instead.')
  const errors: FieldErrors = {}
  if (input.user_id === undefined) errors.user_id = ['Required to add a user directly.']
  if (input.direct !== true) errors.direct = ['Must be true to add a user directly.']
  if (Object.keys(errors).length > 0) throw validationFailed(errors)
  const userId = input.user_id as string
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    await lockBusiness(tx, businessId)
    const [target] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.isActive, true)))
    if (!target) throw validationFailed({ user_id: ['No active user with this id.'] })
    if (await memberRow(tx, businessId, userId)) throw conflict('conflict', 'This user is already a member.')
    await insertMembership(tx, { businessId, userId, role: input.role }, actor, now)
    const row = await memberRow(tx, businessId, userId)
    if (!row) throw new Error('membership vanished')
    return row
  })
}

export async function changeMemberRole(
  deps: BusinessDeps,
  user: Principal,
  businessId: string,
  userId: string,
  role: MembershipRole,
  actor: Actor,
) {
  requirePower(await requireStanding(deps.db, user, businessId), 'members.write')
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const context = await lockAndRecheck(tx, user, businessId)
    const current = await memberRow(tx, businessId, userId)
    if (!current) throw notFound()
    ensureOwnerPower(context, current.role, role)
    if (current.role === 'owner' && role !== 'owner' && (await ownerCount(tx, businessId)) <= 1)
      throw lastOwner()
    await tx
      .update(memberships)
      .set({ role, updatedBy: actor.userId, updatedAt: now })
      .where(eq(memberships.id, current.membershipId))
    await recordAudit(
      tx,
      {
        actor,
        businessId,
        action: 'update',
        entity: 'membership',
        entityId: current.membershipId,
        changes: changedFields({ role: current.role }, { role }),
      },
      now,
    )
    return { ...current, role }
  })
}

/**
 * Removes a member (owners and admins; an owner only by an owner), or the caller's own membership:
 * any member may leave, whatever their role. Either way the last owner stays (409 last_owner).
 */
export async function removeMember(
  deps: BusinessDeps,
  user: Principal,
  businessId: string,
  userId: string,
  actor: Actor,
) {
  const power: Power = userId === user.id ? 'business.read' : 'members.write'
  requirePower(await requireStanding(deps.db, user, businessId), power)
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    const context = await lockAndRecheck(tx, user, businessId, power)
    const current = await memberRow(tx, businessId, userId)
    if (!current) throw notFound()
    ensureOwnerPower(context, current.role)
    if (current.role === 'owner' && (await ownerCount(tx, businessId)) <= 1) throw lastOwner()
    await tx
      .update(memberships)
      .set(softDeletion(actor.userId, now))
      .where(eq(memberships.id, current.membershipId))
    await recordAudit(
      tx,
      {
        actor,
        businessId,
        action: 'delete',
        entity: 'membership',
        entityId: current.membershipId,
        changes: {},
      },
      now,
    )
  })
}
