// Checking who someone is: password (with lockout and the dummy hash), then the second factor.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm'
import { decryptSecret, sha256Hex } from '../../platform/crypto.js'
import { AppError, notAuthenticated, validationFailed } from '../../platform/errors.js'
import type { AccountsContext } from './context.js'
import type { LoginBody } from './schemas.js'
import { refreshTokens, users } from './tables.js'
import { matchTotp, normalizeRecoveryCode } from './totp.js'
import { findUserByLogin, type UserRow } from './users.js'

const badCredentials = () =>
  notAuthenticated('Unable to log in with the provided credentials.', 'invalid_credentials')
const otpRequired = () => notAuthenticated('A valid one-time code is required.', 'otp_required')

const accountLocked = (retryAfterSeconds: number) =>
  new AppError(423, 'account_locked', 'Too many failed attempts. Try again later.', undefined, {
    'retry-after': String(retryAfterSeconds),
  })

/** The lockout window of an account, whichever name it is reached by. */
export const lockoutKey = (userId: string) => `lockout:user:${userId}`

/** One counted try at an account's password or second factor. */
type CountedAttempt = {
  /** The try failed: it stays counted, and the failure that reaches the limit locks the account. */
  failed(): Promise<void>
  /** The try passed: the count starts over. */
  passed(): Promise<void>
}

/**
 * The one place the account lockout counts: every check of a password or a second-factor code (login,
 * password change, email change, 2FA enable and disable) is a try in the same window. The try takes its
 * slot before anything is checked, so concurrent wrong guesses can never test more than the limit
 * allows; past the limit the answer is 423 with Retry-After, whatever was given.
 */
async function beginAttempt(ctx: AccountsContext, key: string): Promise<CountedAttempt> {
  const now = ctx.clock.now().getTime()
  const attempt = await ctx.counters.hit(key, ctx.lockout.windowMs, now)
  if (attempt.count > ctx.lockout.attempts) {
    throw accountLocked(Math.max(1, Math.ceil((attempt.resetAt - now) / 1000)))
  }
  return {
    async failed() {
      // The failure that reaches the limit locks the account for a whole window from now.
      if (attempt.count >= ctx.lockout.attempts) await ctx.counters.extend(key, now + ctx.lockout.windowMs)
    },
    passed: () => ctx.counters.clear(key),
  }
}

/**
 * Consumes a second-factor code: a TOTP code of a step later than the last one accepted, or an unused
 * recovery code. Both are single-use through conditional updates, so two concurrent requests with one
 * code cannot both pass.
 */
export async function consumeSecondFactor(
  ctx: AccountsContext,
  user: UserRow,
  code: string,
): Promise<boolean> {
  if (!user.totpSecret) return false
  const step = matchTotp(decryptSecret(ctx.totpKey, user.totpSecret), code, ctx.clock.now())
  if (step !== null) {
    const accepted = await ctx.db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), sql`${users.totpLastStep} < ${step}`)))
      .returning({ id: users.id })
    return accepted.length === 1
  }
  const hash = sha256Hex(normalizeRecoveryCode(code))
  const consumed = await ctx.db
    .update(users)
    .set({ recoveryCodes: sql`array_remove(${users.recoveryCodes}, ${hash})` })
    .where(and(eq(users.id, user.id), sql`${hash} = any(${users.recoveryCodes})`))
    .returning({ id: users.id })
  return consumed.length === 1
}

/** Verifies a password against a user, or against the dummy hash when there is none. */
async function passwordMatches(ctx: AccountsContext, user: UserRow | undefined, password: string) {
  if (!user) {
    await ctx.hasher.verify(await ctx.dummyHash(), password)
    return false
  }
  return ctx.hasher.verify(user.password, password)
}

/**
 * Checks the signed-in user's password and, when `code` is given, consumes it as a second factor, as one
 * counted try on the account's lockout (a wrong answer counts like a failed login; a locked account
 * answers 423). Answers what was wrong, or null when everything was right; the caller says it its way.
 */
export async function checkCredentials(
  ctx: AccountsContext,
  user: UserRow,
  given: { password: string; code?: string },
): Promise<'password' | 'code' | null> {
  const attempt = await beginAttempt(ctx, lockoutKey(user.id))
  if (!(await ctx.hasher.verify(user.password, given.password))) {
    await attempt.failed()
    return 'password'
  }
  if (given.code !== undefined && !(await consumeSecondFactor(ctx, user, given.code))) {
    await attempt.failed()
    return 'code'
  }
  await attempt.passed()
  return null
}

/** The login check shared by the JWT and the session endpoints. */
export async function authenticate(ctx: AccountsContext, body: LoginBody): Promise<UserRow> {
  const login = body.email ?? body.username
  if (!login) throw validationFailed({ username: ['Give your username or email address.'] })
  const user = await findUserByLogin(ctx.db, login)
  // One window per account, whichever name it is reached by; unknown names get one too, so the
  // lockout answers the same whether the account exists or not.
  const attempt = await beginAttempt(ctx, user ? lockoutKey(user.id) : `lockout:login:${login.toLowerCase()}`)
  const matches = await passwordMatches(ctx, user, body.password)
  if (!user || !matches || !user.isActive) {
    await attempt.failed()
    throw badCredentials()
  }
  if (user.totpEnabled && !(body.otp && (await consumeSecondFactor(ctx, user, body.otp)))) {
    await attempt.failed()
    throw otpRequired()
  }
  await attempt.passed()
  await ctx.db.update(users).set({ lastLogin: ctx.clock.now() }).where(eq(users.id, user.id))
  return user
}

/** Ends every refresh token family and cookie session of a user (password change, deactivation). */
export async function revokeEverything(ctx: AccountsContext, userId: string, keepSessionId?: string) {
  await ctx.db
    .update(refreshTokens)
    .set({ revokedAt: ctx.clock.now() })
    .where(
      and(
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, ctx.clock.now()),
      ),
    )
  await ctx.sessions.destroyForUser(userId, keepSessionId)
}
