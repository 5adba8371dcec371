// Registration, the caller's own profile, and password changes.
import { eq } from 'drizzle-orm'
import { notAuthenticated, permissionDenied, validationFailed } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { type Actor, creationChanges, recordAudit } from '../audit/service.js'
import type { AccountsContext } from './context.js'
import { checkCredentials, revokeEverything } from './credentials.js'
import { mailToken, revokeTokens } from './email-tokens.js'
import { passwordProblems } from './password-policy.js'
import { issueTokenPair, type TokenPairOut } from './refresh-tokens.js'
import type { ProfileBody, RegisterBody } from './schemas.js'
import { users } from './tables.js'
import {
  changesPublicProfile,
  duplicateUserError,
  findUserById,
  passwordAttributes,
  type UserRow,
  usernameOrEmailTaken,
} from './users.js'

/** The audited fields of a user (never the password or 2FA material). */
export function userAuditFields(user: UserRow) {
  const {
    password: _password,
    totpSecret: _secret,
    recoveryCodes: _codes,
    totpLastStep: _step,
    ...fields
  } = user
  return fields
}

export async function register(
  ctx: AccountsContext,
  body: RegisterBody,
  actor: Actor,
): Promise<{ user: UserRow; tokens: TokenPairOut }> {
  if (!(await ctx.hooks.registrationOpen()))
    throw permissionDenied('Registration is closed.', 'registration_closed')
  const errors = await usernameOrEmailTaken(ctx.db, body.username, body.email)
  const problems = passwordProblems(body.password, body)
  if (problems.length > 0) errors.password = problems
  if (Object.keys(errors).length > 0) throw validationFailed(errors)

  const password = await ctx.hasher.hash(body.password)
  let user: UserRow | undefined
  try {
    user = await ctx.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({
          username: body.username,
          email: body.email,
          password,
          firstName: body.first_name ?? '',
          lastName: body.last_name ?? '',
          phone: body.phone ?? '',
          role: body.role ?? 'user',
          dateJoined: ctx.clock.now(),
        })
        .returning()
      if (!created) throw new Error('insert returned no row')
      // Written with the user, so there is a welcome email exactly when there is an account.
      await mailToken(tx, ctx, created, 'welcome')
      const self = { ...actor, userId: created.id }
      await recordAudit(
        tx,
        {
          actor: self,
          businessId: null,
          action: 'create',
          entity: 'user',
          entityId: created.id,
          changes: creationChanges(userAuditFields(created)),
        },
        ctx.clock.now(),
      )
      if (created.role === 'creator') await ctx.hooks.creatorCreated(tx, created, self)
      return created
    })
  } catch (error) {
    // A concurrent registration took the name between the check above and this insert.
    throw duplicateUserError(error)
  }
  if (!user) throw new Error('insert returned no row')
  return { user, tokens: await issueTokenPair(ctx, user) }
}

/** The caller's user row; a caller whose account was deactivated is no longer authenticated. */
export async function currentUser(ctx: AccountsContext, principal: Principal): Promise<UserRow> {
  const user = await findUserById(ctx.db, principal.id)
  if (!user?.isActive) throw notAuthenticated('User is inactive or deleted.', 'not_authenticated')
  return user
}

export async function updateProfile(
  ctx: AccountsContext,
  principal: Principal,
  body: ProfileBody,
): Promise<UserRow> {
  const user = await currentUser(ctx, principal)
  const changes: Partial<typeof users.$inferInsert> = {}
  if (body.first_name !== undefined) changes.firstName = body.first_name
  if (body.last_name !== undefined) changes.lastName = body.last_name
  if (body.phone !== undefined) changes.phone = body.phone
  if (body.avatar !== undefined) changes.avatar = body.avatar
  if (body.email !== undefined && body.email.toLowerCase() !== user.email.toLowerCase()) {
    // A wrong password counts toward the lockout: a stolen access token is no password oracle.
    if (!body.password || (await checkCredentials(ctx, user, { password: body.password }))) {
      throw validationFailed({ password: ['Enter your current password to change your email address.'] })
    }
    const taken = await usernameOrEmailTaken(ctx.db, null, body.email)
    if (taken.email) throw validationFailed(taken)
    changes.email = body.email
    changes.emailVerified = false
  }
  if (Object.keys(changes).length === 0) return user
  let updated: UserRow
  try {
    updated = await ctx.db.transaction(async (tx) => {
      const [after] = await tx
        .update(users)
        .set({ ...changes, updatedAt: ctx.clock.now() })
        .where(eq(users.id, user.id))
        .returning()
      if (!after) return user
      // The new address is unverified until its owner uses the token mailed to it.
      if (changes.email) await mailToken(tx, ctx, after, 'verify_email')
      return after
    })
  } catch (error) {
    throw duplicateUserError(error)
  }
  if (changesPublicProfile(changes)) await ctx.hooks.publicProfileChanged()
  return updated
}

/**
 * Changes the password and ends every other session, every refresh token and any reset link of the
 * user. A wrong old password counts toward the account lockout like a failed login.
 */
export async function changePassword(
  ctx: AccountsContext,
  principal: Principal,
  body: { old_password: string; new_password: string },
): Promise<void> {
  const user = await currentUser(ctx, principal)
  if (await checkCredentials(ctx, user, { password: body.old_password })) {
    throw validationFailed({
      old_password: ['Your old password was entered incorrectly. Please enter it again.'],
    })
  }
  const problems = passwordProblems(body.new_password, passwordAttributes(user))
  if (problems.length > 0) throw validationFailed({ new_password: problems })
  const password = await ctx.hasher.hash(body.new_password)
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ password, updatedAt: ctx.clock.now() }).where(eq(users.id, user.id))
    // A reset link mailed before the change would undo it: it dies with the old password.
    await revokeTokens(tx, user.id, 'password_reset')
  })
  await revokeEverything(ctx, user.id, principal.scheme === 'session' ? principal.sessionId : undefined)
}
