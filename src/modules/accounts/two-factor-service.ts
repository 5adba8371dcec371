// TOTP two-factor authentication: setup stores a sealed secret, enable proves the authenticator works
// and hands out recovery codes, disable needs the password and a code.
import { eq } from 'drizzle-orm'
import { decryptSecret, encryptSecret, sha256Hex } from '../../platform/crypto.js'
import { AppError, badRequest } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { currentUser } from './account-service.js'
import type { AccountsContext } from './context.js'
import { consumeSecondFactor } from './credentials.js'
import { users } from './tables.js'
import {
  generateRecoveryCodes,
  generateTotpSecret,
  matchTotp,
  normalizeRecoveryCode,
  otpauthUrl,
} from './totp.js'

const otpInvalid = () => new AppError(400, 'otp_invalid', 'The one-time code is not valid.')

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

export async function enableTwoFactor(ctx: AccountsContext, principal: Principal, code: string) {
  const user = await currentUser(ctx, principal)
  if (user.totpEnabled) throw badRequest('Two-factor authentication is already enabled.')
  if (!user.totpSecret) throw badRequest('Call 2FA setup first.')
  const step = matchTotp(decryptSecret(ctx.totpKey, user.totpSecret), code, ctx.clock.now())
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
  if (!(await ctx.hasher.verify(user.password, password))) {
    throw new AppError(400, 'password_invalid', 'The password is not correct.')
  }
  if (!(await consumeSecondFactor(ctx, user, code))) throw otpInvalid()
  await ctx.db
    .update(users)
    .set({ totpEnabled: false, totpSecret: null, totpLastStep: null, recoveryCodes: [] })
    .where(eq(users.id, user.id))
}
