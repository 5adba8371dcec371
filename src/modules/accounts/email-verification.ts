// Proving control of the email address: the mailed token marks it verified; some actions wait for that.
import { eq } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { permissionDenied, throttled } from '../../platform/errors.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import { currentUser } from './account-service.js'
import type { AccountsContext } from './context.js'
import { consumeToken, mailToken, stillMailedAddress, tokenInvalid } from './email-tokens.js'
import { users } from './tables.js'

const RESENDS_PER_HOUR = 3
const HOUR_MS = 60 * 60_000

export const emailNotVerified = () =>
  permissionDenied('Verify your email address first.', 'email_not_verified')

/** Marks the address the token was mailed to as verified; the token then is dead. */
export async function verifyEmail(ctx: AccountsContext, token: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now()
    const tokenClaim = await consumeToken(tx, token, 'verify_email', now)
    const verified = await tx
      .update(users)
      .set({ emailVerified: true, updatedAt: now })
      .where(stillMailedAddress(tokenClaim))
      .returning({ id: users.id })
    if (verified.length === 0) throw tokenInvalid()
  })
}

/** Mails a new verification token; false when the address is verified already (nothing is mailed). */
export async function resendVerification(ctx: AccountsContext, principal: Principal): Promise<boolean> {
  const user = await currentUser(ctx, principal)
  if (user.emailVerified) return false
  const now = ctx.clock.now().getTime()
  // Each resend mails someone: a per-user cap keeps the endpoint from being a mail cannon.
  const sent = await ctx.counters.hit(`resend-verification:${user.id}`, HOUR_MS, now)
  if (sent.count > RESENDS_PER_HOUR) throw throttled(Math.max(1, Math.ceil((sent.resetAt - now) / 1000)))
  await ctx.db.transaction((tx) => mailToken(tx, ctx, user, 'verify_email'))
  return true
}

/**
 * Refuses a caller whose address is not verified (403 `email_not_verified`). Platform admins are
 * exempt: they are made by `createsuperuser` or by another admin, not through a mailbox.
 */
export async function ensureEmailVerified(db: Database, principal: Principal): Promise<void> {
  if (isPlatformAdmin(principal)) return
  const [user] = await db
    .select({ emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, principal.id))
  if (!user?.emailVerified) throw emailNotVerified()
}
