// Single-use tokens mailed to a user (email verification, password reset). The token itself only
// travels in the email; the table keeps its SHA-256, and the outbox row keeps it sealed until sent.
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { randomToken, sha256Hex } from '../../platform/crypto.js'
import type { Database } from '../../platform/db/index.js'
import { badRequest } from '../../platform/errors.js'
import { writeEmail } from '../outbox/outbox.js'
import { outbox } from '../outbox/tables.js'
import type { AccountsContext } from './context.js'
import { type accountTokenPurpose, accountTokens, users } from './tables.js'
import type { UserRow } from './users.js'

export type AccountTokenPurpose = (typeof accountTokenPurpose.enumValues)[number]

const HOUR_MS = 60 * 60_000

const LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  // Long enough to survive a weekend away from the inbox; a dead link is one resend away.
  verify_email: 72 * HOUR_MS,
  password_reset: HOUR_MS,
}

/** Dead, reused, expired or never issued: one answer for all, so a caller learns nothing about which. */
export const tokenInvalid = () => badRequest('This link is invalid or has expired.', 'token_invalid')

/** The user a token was issued to and the address it was mailed to. */
export type TokenClaim = { userId: string; email: string }

const claim = { userId: accountTokens.userId, email: accountTokens.email }

/** Live tokens of a purpose: unused and unexpired at `now`. */
const live = (token: string, purpose: AccountTokenPurpose, now: Date) =>
  and(
    eq(accountTokens.tokenHash, sha256Hex(token)),
    eq(accountTokens.purpose, purpose),
    isNull(accountTokens.usedAt),
    gt(accountTokens.expiresAt, now),
  )

/** Kills the user's tokens of a purpose, used or not. */
export async function revokeTokens(tx: Database, userId: string, purpose: AccountTokenPurpose) {
  await tx
    .delete(accountTokens)
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose)))
}

/** A new token for the user's current address; the user's earlier tokens of that purpose die with it. */
export async function issueToken(
  tx: Database,
  user: UserRow,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<string> {
  await revokeTokens(tx, user.id, purpose)
  const token = randomToken(32)
  await tx.insert(accountTokens).values({
    tokenHash: sha256Hex(token),
    userId: user.id,
    purpose,
    email: user.email,
    createdAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_MS[purpose]),
  })
  return token
}

/**
 * Issues a verification token and writes the email that carries it, both in `tx`: the welcome and
 * verify_email templates.
 */
export async function mailToken(
  tx: Database,
  ctx: AccountsContext,
  user: UserRow,
  template: 'welcome' | 'verify_email',
): Promise<void> {
  const token = await issueToken(tx, user, 'verify_email', ctx.clock.now())
  await writeEmail(tx, template, { userId: user.id, token: ctx.sealMailToken(token) })
}

/**
 * Issues a reset token to the active account using `address` (lower case) and writes its email. One
 * statement, the same whether or not there is such an account, and one outbox row either way
 * (addressed to nobody, `userId` null, when there is none; the email job drops it): a caller cannot
 * tell from the time the answer takes whether an address has an account.
 */
export async function mailResetToken(ctx: AccountsContext, address: string): Promise<void> {
  const token = randomToken(32)
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + LIFETIME_MS.password_reset)
  await ctx.db.execute(sql`
    with target as (
      select ${users.id} as id, ${users.email} as email from ${users}
      where lower(${users.email}) = ${address} and ${users.isActive}
    ), revoked as (
      delete from ${accountTokens}
      where ${accountTokens.userId} in (select id from target) and ${accountTokens.purpose} = 'password_reset'
    ), issued as (
      insert into ${accountTokens} (token_hash, user_id, purpose, email, created_at, expires_at)
      select ${sha256Hex(token)}, id, 'password_reset', email, ${now.toISOString()}::timestamptz,
             ${expiresAt.toISOString()}::timestamptz
      from target
      returning user_id
    )
    insert into ${outbox} (template, params)
    values ('password_reset', jsonb_build_object(
      'userId', (select user_id from issued), 'token', ${ctx.sealMailToken(token)}::text))`)
}

/** A live token's claim without using it up (to check a request before acting on it). */
export async function peekToken(
  db: Database,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<TokenClaim> {
  const [row] = await db
    .select(claim)
    .from(accountTokens)
    .where(live(token, purpose, now))
  if (!row) throw tokenInvalid()
  return row
}

/** Uses a live token up. One conditional update: of two requests racing with one token, one wins. */
export async function consumeToken(
  tx: Database,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<TokenClaim> {
  const [row] = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(live(token, purpose, now))
    .returning(claim)
  if (!row) throw tokenInvalid()
  return row
}

/** A token speaks for the mailbox it was sent to: once the user's address changed, it is dead. */
export const stillMailedAddress = (tokenClaim: TokenClaim) =>
  and(eq(users.id, tokenClaim.userId), sql`lower(${users.email}) = lower(${tokenClaim.email})`)
