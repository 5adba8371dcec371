// TOTP two-factor authentication: setup stores a sealed secret, enable needs the password and proves the
// authenticator works, then hands out recovery codes; disable needs the password and a code. Wrong
// passwords (and wrong codes at disable) count toward the account lockout like failed logins.
import { eq } from 'drizzle-orm'
import { decryptSecret, encryptSecret, sha256Hex } from '../../platform/crypto.js'
import { AppError, badRequest } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { currentUser } from './account-service.js'
import type { AccountsContext } from './context.js'
import { checkCredentials } from './credentials.js'
import { users } from './tables.js'
import {
  generateRecoveryCodes,
  generateTotpSecret,
  matchTotp,
  normalizeRecoveryCode,
  otpauthUrl,
} from './totp.js'

const otpInvalid = () => new AppError(400, 'otp_invalid', 'The one-time code is not valid.')
const passwordInvalid = () => new AppError(400, 'password_invalid', 'The password is not correct.')

export async function setupTwoFactor(ctx: AccountsContext, principal: Principal) {
  const user = await currentUser(ctx, principal)
  if (user.totpEnabled) throw badRequest('Two-factor authentication is already enabled.')
  const secret = generateTotpSecret()
  await ctx.db
    .update(users)
    .set({ totpSecret: encryptSecret(ctx.totpKey, secret), totpLastStep: null })
    .where(eq(users.id, user.id))
  return { secret, otpauth_url: otpauthUrl(secret, user.email) }
}

/**
 * The password keeps a stolen access token from putting a second factor in front of the owner's
 * password. A wrong code is not counted: it comes from the secret setup just handed to this caller.
 */
export async function enableTwoFactor(
  ctx: AccountsContext,
  principal: Principal,
  body: { password: string; code: string },
) {
  const user = await currentUser(ctx, principal)
  if (user.totpEnabled) throw badRequest('Two-factor authentication is already enabled.')
  if (!user.totpSecret) throw badRequest('Call 2FA setup first.')
  if (await checkCredentials(ctx, user, { password: body.password })) throw passwordInvalid()
  const step = matchTotp(decryptSecret(ctx.totpKey, user.totpSecret), body.code, ctx.clock.now())
  if (step === null) throw otpInvalid()
  const recoveryCodes = generateRecoveryCodes(10)
  await ctx.db
    .update(users)
    .set({
      totpEnabled: true,
      totpLastStep: step,
      recoveryCodes: recoveryCodes.map((recovery) => sha256Hex(normalizeRecoveryCode(recovery))),
    })
    .where(eq(users.id, user.id))
  return { recovery_codes: recoveryCodes }
}

export async function disableTwoFactor(
  ctx: AccountsContext,
  principal: Principal,
  password: string,
  code: string,
) {
  const user = await currentUser(ctx, principal)
  if (!user.totpEnabled) throw badRequest('Two-factor authentication is not enabled.')
  const wrong = await checkCredentials(ctx, user, { password, code })
  if (wrong === 'password') throw passwordInvalid()
  if (wrong === 'code') throw otpInvalid()
  await ctx.db
    .update(users)
    .set({ totpEnabled: false, totpSecret: null, totpLastStep: null, recoveryCodes: [] })
    .where(eq(users.id, user.id))
}
