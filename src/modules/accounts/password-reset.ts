// Forgotten passwords: a reset token mailed to the account's address, then a new password with it.
import { and, eq } from 'drizzle-orm'
import { validationFailed } from '../../platform/errors.js'
import type { AccountsContext } from './context.js'
import { lockoutKey, revokeEverything } from './credentials.js'
import { consumeToken, mailResetToken, peekToken, stillMailedAddress, tokenInvalid } from './email-tokens.js'
import { passwordProblems } from './password-policy.js'
import { users } from './tables.js'
import { findUserById, passwordAttributes } from './users.js'

const RESET_MAILS_PER_HOUR = 3
const HOUR_MS = 60 * 60_000

/**
 * Mails a reset token to the active account with this address, if there is one. The caller answers
 * the same whatever happens here, after the same work, so nobody learns which addresses have accounts;
 * past the hourly cap per address nothing more is mailed, so nobody can flood someone's inbox.
 */
export async function requestPasswordReset(ctx: AccountsContext, email: string): Promise<void> {
  const address = email.toLowerCase()
  const mailed = await ctx.counters.hit(`password-reset:${address}`, HOUR_MS, ctx.clock.now().getTime())
  if (mailed.count > RESET_MAILS_PER_HOUR) return
  await mailResetToken(ctx, address)
}

/**
 * Sets a new password with a reset token. The password is checked before the token is used, so a
 * refused password leaves the link working. Whoever holds the token controls the mailbox, so the
 * address becomes verified. Every session and refresh token of the account ends, and so does a
 * lockout: the owner has just proved who they are. So does 2FA, in the same transaction: the owner may
 * have lost the device, or someone who briefly held the account may keep its recovery codes, and the
 * mailbox is the way back; the owner sets 2FA up again. Answers whether 2FA was turned off.
 */
export async function confirmPasswordReset(
  ctx: AccountsContext,
  body: { token: string; new_password: string },
): Promise<{ twoFactorTurnedOff: boolean }> {
  const now = ctx.clock.now()
  const tokenClaim = await peekToken(ctx.db, body.token, 'password_reset', now)
  const user = await findUserById(ctx.db, tokenClaim.userId)
  if (!user?.isActive || user.email.toLowerCase() !== tokenClaim.email.toLowerCase()) throw tokenInvalid()
  const problems = passwordProblems(body.new_password, passwordAttributes(user))
  if (problems.length > 0) throw validationFailed({ new_password: problems })

  const password = await ctx.hasher.hash(body.new_password)
  const twoFactorTurnedOff = await ctx.db.transaction(async (tx) => {
    const used = await consumeToken(tx, body.token, 'password_reset', now)
    const reset = await tx
      .update(users)
      .set({ password, emailVerified: true, updatedAt: now })
      .where(and(stillMailedAddress(used), eq(users.isActive, true)))
      .returning({ id: users.id })
    if (reset.length === 0) throw tokenInvalid()
    const turnedOff = await tx
      .update(users)
      .set({ totpEnabled: false, totpSecret: null, totpLastStep: null, recoveryCodes: [] })
      .where(and(eq(users.id, used.userId), eq(users.totpEnabled, true)))
      .returning({ id: users.id })
    return turnedOff.length > 0
  })
  await ctx.counters.clear(lockoutKey(user.id))
  await revokeEverything(ctx, user.id)
  return { twoFactorTurnedOff }
}
