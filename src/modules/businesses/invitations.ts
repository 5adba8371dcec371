// Invitations: how anyone but a platform admin's direct add becomes a member, with their consent. An
// owner or admin invites an address; the answer is the same whether the address has an account or
// not, and the token (256 random bits, kept as its SHA-256 only) travels in the email alone. Whoever
// signs in with that address accepts it, once, within 7 days. The invitation's own audit rows are
// under entity `membership`, keyed by the invitation's id; the membership an accept creates is audited
// with `invitation_id`.
import { and, asc, count, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import { randomToken, sha256Hex } from '../../platform/crypto.js'
import type { Database } from '../../platform/db/index.js'
import { deleteInBatches } from '../../platform/db/sweep.js'
import { conflict, notFound, validationFailed } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { numberedPage, type PageRequest } from '../../platform/http/pagination.js'
import { type MembershipRole, ownedBy } from '../../platform/tenancy.js'
import { isUuid } from '../../platform/uuid.js'
import { tokenInvalid } from '../accounts/email-tokens.js'
import { users } from '../accounts/tables.js'
import { type Actor, creationChanges, recordAudit } from '../audit/service.js'
import { writeEmail } from '../outbox/outbox.js'
import { isMember, requirePower, requireStanding } from './access.js'
import type { BusinessDeps } from './deps.js'
import { ensureOwnerPower, insertMembership, lockAndRecheck, lockLiveBusiness } from './members.js'
import { loadBusiness } from './service.js'
import { invitations } from './tables.js'

export const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000

export type InvitationDeps = BusinessDeps & {
  /** Seals a token for the outbox row that mails it (readable until the email is sent). */
  sealMailToken: (token: string) => string
}

export type InvitationRow = typeof invitations.$inferSelect

export function invitationOut(row: InvitationRow) {
  return { id: row.id, email: row.email, role: row.role, expires_at: row.expiresAt.toISOString() }
}

/** Not accepted and not expired at `now`. */
const pendingAt = (now: Date) => and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, now))

const sameAddress = (email: string) => sql`lower(${invitations.email}) = lower(${email})`

/**
 * Invites `email` to the business with `role` (owners and admins; an owner's invitation by an owner),
 * replacing the address's open invitation, and mails the token. Nothing here depends on whether the
 * address has an account.
 */
export async function invite(
  deps: InvitationDeps,
  user: Principal,
  businessId: string,
  input: { email?: string; role: MembershipRole },
  actor: Actor,
): Promise<InvitationRow> {
  const context = await requireStanding(deps.db, user, businessId)
  requirePower(context, 'members.write')
  ensureOwnerPower(context, input.role)
  if (input.email === undefined) throw validationFailed({ email: ['Required: the address to invite.'] })
  const email = input.email
  const now = deps.clock.now()
  const token = randomToken(32)
  return deps.db.transaction(async (tx) => {
    ensureOwnerPower(await lockAndRecheck(tx, user, businessId), input.role)
    const replaced = await tx
      .delete(invitations)
      .where(and(ownedBy(invitations, businessId), sameAddress(email), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id })
    for (const old of replaced)
      await recordAudit(
        tx,
        { actor, businessId, action: 'delete', entity: 'membership', entityId: old.id, changes: {} },
        now,
      )
    const [row] = await tx
      .insert(invitations)
      .values({
        businessId,
        email,
        role: input.role,
        tokenHash: sha256Hex(token),
        invitedBy: actor.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
      })
      .returning()
    if (!row) throw new Error('insert returned no row')
    await recordAudit(
      tx,
      {
        actor,
        businessId,
        action: 'create',
        entity: 'membership',
        entityId: row.id,
        changes: creationChanges({ invited_email: email, role: row.role, expires_at: row.expiresAt }),
      },
      now,
    )
    await writeEmail(tx, 'invitation', { invitationId: row.id, token: deps.sealMailToken(token) })
    return row
  })
}

/** The business's pending invitations, oldest first (owners and admins). */
export async function listInvitations(
  deps: BusinessDeps,
  user: Principal,
  businessId: string,
  page: PageRequest & { kind: 'page' },
) {
  requirePower(await requireStanding(deps.db, user, businessId), 'members.write')
  const where = and(ownedBy(invitations, businessId), pendingAt(deps.clock.now()))
  const rows = await deps.db
    .select()
    .from(invitations)
    .where(where)
    .orderBy(asc(invitations.createdAt), asc(invitations.id))
    .limit(page.limit)
    .offset(page.offset)
  const [total] = await deps.db.select({ n: count() }).from(invitations).where(where)
  return numberedPage(page, rows, total?.n ?? 0)
}

/** Revokes a pending invitation of the business; its link dies. 404 for any other id. */
export async function revokeInvitation(
  deps: BusinessDeps,
  user: Principal,
  businessId: string,
  invitationId: string,
  actor: Actor,
): Promise<void> {
  requirePower(await requireStanding(deps.db, user, businessId), 'members.write')
  if (!isUuid(invitationId)) throw notFound()
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    const context = await lockAndRecheck(tx, user, businessId)
    const [row] = await tx
      .select({ role: invitations.role })
      .from(invitations)
      .where(and(eq(invitations.id, invitationId), ownedBy(invitations, businessId), pendingAt(now)))
    if (!row) throw notFound()
    ensureOwnerPower(context, row.role)
    await tx.delete(invitations).where(eq(invitations.id, invitationId))
    await recordAudit(
      tx,
      { actor, businessId, action: 'delete', entity: 'membership', entityId: invitationId, changes: {} },
      now,
    )
  })
}

/**
 * Accepts an invitation as the signed-in user, whose current address must be the invited one (any
 * case): the membership, its audit row, and the address marked verified (the token came through its
 * mailbox), all in one transaction. The token is used up by one conditional update, so of two accepts
 * racing with one token exactly one wins. Dead, used, expired, never-issued and other addresses'
 * tokens are all 400 token_invalid; someone already a member gets 409 and the invitation stays open.
 */
export async function acceptInvitation(deps: BusinessDeps, user: Principal, token: string, actor: Actor) {
  const now = deps.clock.now()
  const tokenHash = sha256Hex(token)
  return deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ businessId: invitations.businessId })
      .from(invitations)
      .where(eq(invitations.tokenHash, tokenHash))
    // The business is locked before the invitation, in the order every member change takes them.
    if (!(found && (await lockLiveBusiness(tx, found.businessId)))) throw tokenInvalid()
    const [accepted] = await tx
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: user.id })
      .where(
        and(
          eq(invitations.tokenHash, tokenHash),
          pendingAt(now),
          sql`lower(${invitations.email}) = (select lower(${users.email}) from ${users} where ${users.id} = ${user.id} and ${users.isActive})`,
        ),
      )
      .returning()
    if (!accepted) throw tokenInvalid()
    if (await isMember(tx, user.id, accepted.businessId))
      throw conflict('conflict', 'You are already a member of this business.')
    const member = { businessId: accepted.businessId, userId: user.id, role: accepted.role }
    await insertMembership(tx, member, actor, now, { invitation_id: accepted.id })
    await tx
      .update(users)
      .set({ emailVerified: true, updatedAt: now })
      .where(and(eq(users.id, user.id), eq(users.emailVerified, false)))
    return { business: await loadBusiness(tx, accepted.businessId), myRole: accepted.role }
  })
}

/** The minute schedule's sweep: expired invitations, accepted or not, are dead weight. */
export function sweepExpiredInvitations(db: Database, now: Date): Promise<number> {
  return deleteInBatches(db, invitations, invitations.id, lt(invitations.expiresAt, now))
}
