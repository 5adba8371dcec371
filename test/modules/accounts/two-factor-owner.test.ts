// 2FA never turns against the account's owner (API.md, "Settled details", "2FA enable"): enabling it
// needs the current password, so a stolen access token alone cannot put a second factor in front of
// the owner's password; and a password reset by email turns 2FA off, a way back for an owner who lost
// the device or whose recovery codes someone else holds.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { totpAt, totpStep } from '../../../src/modules/accounts/totp.js'
import { ManualClock } from '../../../src/platform/clock.js'
import {
  enableTwoFactor,
  login,
  mailedToken,
  makeUser,
  smtpDown,
  type TestUser,
} from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const STEP_MS = 30_000
const NEW_PASSWORD = 'reset-After-losing-it-6'

const clock = new ManualClock(new Date('2031-05-01T08:00:00Z'))
const ctx = useTestApp({ deps: { clock, mailTransport: smtpDown } })

const currentCode = (secret: string) => totpAt(secret, totpStep(clock.now()))
const post = (url: string, payload: object | undefined, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, headers, payload })
const logIn = (user: TestUser, password: string, otp?: string) =>
  post('/api/auth/login/', { username: user.username, password, ...(otp ? { otp } : {}) })

async function twoFactorRow(userId: string) {
  const [row] = await ctx.app.deps.database.db
    .select({
      enabled: users.totpEnabled,
      secret: users.totpSecret,
      lastStep: users.totpLastStep,
      recoveryCodes: users.recoveryCodes,
    })
    .from(users)
    .where(eq(users.id, userId))
  return row
}

describe('POST /api/auth/2fa/enable/', () => {
  it('refuses a caller with only the access token: no password, or a wrong one', async () => {
    const owner = await makeUser(ctx.app)
    // The attacker holds the owner's access token, nothing else.
    const stolen = owner.auth
    const setup = await post('/api/auth/2fa/setup/', undefined, stolen)
    expect(setup.statusCode).toBe(200)
    const { secret } = setup.json().data

    const withoutPassword = await post('/api/auth/2fa/enable/', { code: currentCode(secret) }, stolen)
    expect(withoutPassword.statusCode).toBe(400)
    expect(withoutPassword.json().code).toBe('validation_error')
    expect(Object.keys(withoutPassword.json().errors)).toEqual(['password'])

    const guessed = await post(
      '/api/auth/2fa/enable/',
      { password: 'a-Guess-at-the-password-1', code: currentCode(secret) },
      stolen,
    )
    expect(guessed.statusCode).toBe(400)
    expect(guessed.json()).toEqual({ code: 'password_invalid', message: 'The password is not correct.' })

    // The owner's password alone still logs in: no second factor stands in front of it.
    const login = await logIn(owner, owner.password)
    expect(login.statusCode).toBe(200)
    expect(login.json().data.user.two_factor_enabled).toBe(false)
    expect((await twoFactorRow(owner.id))?.enabled).toBe(false)
  })

  it('turns 2FA on with the password and a code, and answers otp_invalid for a wrong code', async () => {
    const user = await makeUser(ctx.app)
    const setup = await post('/api/auth/2fa/setup/', undefined, user.auth)
    const { secret } = setup.json().data
    const wrongCode = await post(
      '/api/auth/2fa/enable/',
      { password: user.password, code: '12345' },
      user.auth,
    )
    expect(wrongCode.statusCode).toBe(400)
    expect(wrongCode.json().code).toBe('otp_invalid')

    const enabled = await post(
      '/api/auth/2fa/enable/',
      { password: user.password, code: currentCode(secret) },
      user.auth,
    )
    expect(enabled.statusCode).toBe(200)
    expect(enabled.json().data.recovery_codes).toHaveLength(10)
    expect((await logIn(user, user.password)).json().code).toBe('otp_required')
  })
})

describe('a password reset by email on an account with 2FA', () => {
  async function reset(user: TestUser) {
    const requested = await post('/api/auth/password/reset/', { email: user.email })
    expect(requested.statusCode).toBe(200)
    const token = await mailedToken(ctx.app, user.id, 'password_reset')
    return post('/api/auth/password/reset/confirm/', { token, new_password: NEW_PASSWORD })
  }

  it('turns 2FA off, says so, and the new password logs in without an otp', async () => {
    const owner = await makeUser(ctx.app)
    // Whoever holds these (the owner lost the device, or someone else kept them) loses them with the reset.
    const { secret, recoveryCodes } = await enableTwoFactor(ctx.app, owner, clock.now())
    clock.advance(STEP_MS)
    expect((await logIn(owner, owner.password)).json().code).toBe('otp_required')

    const confirmed = await reset(owner)
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.json()).toEqual({
      data: null,
      message:
        'Password reset. Two-factor authentication was turned off: set it up again to protect your account.',
    })
    expect(await twoFactorRow(owner.id)).toEqual({
      enabled: false,
      secret: null,
      lastStep: null,
      recoveryCodes: [],
    })

    for (const url of ['/api/auth/login/', '/api/auth/session/login/']) {
      const login = await post(url, { username: owner.username, password: NEW_PASSWORD })
      expect(login.statusCode, url).toBe(200)
      expect(login.json().data.user.two_factor_enabled).toBe(false)
    }
    // The old factors are gone: a kept recovery code or the old authenticator is no second password.
    expect((await logIn(owner, owner.password, recoveryCodes[0])).statusCode).toBe(401)
    expect((await logIn(owner, owner.password, currentCode(secret))).statusCode).toBe(401)

    // 2FA can be set up again from scratch, with a new secret.
    const fresh = await login(ctx.app, { ...owner, password: NEW_PASSWORD })
    const again = await enableTwoFactor(ctx.app, fresh, clock.now())
    expect(again.secret).not.toBe(secret)
  })

  it('keeps the usual answer for an account without 2FA', async () => {
    const user = await makeUser(ctx.app)
    const confirmed = await reset(user)
    expect(confirmed.json()).toEqual({ data: null, message: 'Password reset' })
  })
})
