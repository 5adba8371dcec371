// The account lockout counts every check of an account's password or second factor, not only logins
// (API.md, "Settled details", "2FA enable"): wrong passwords at password change, 2FA enable and disable
// (and the profile's email change), and wrong codes at 2FA disable, share the login's counter. Otherwise
// a stolen access token would be an unlimited password oracle. Time moves only through the ManualClock.
import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'
import { totpAt, totpStep } from '../../../src/modules/accounts/totp.js'
import { ManualClock } from '../../../src/platform/clock.js'
import {
  enableTwoFactor,
  login,
  makeUser,
  type TestUser,
  uniqueName,
  wrongTotpCode,
} from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const STEP_MS = 30_000
const LOCKOUT_WINDOW = 15 * 60_000
const ATTEMPTS = 5
const WRONG_PASSWORD = 'not-the-Password-42'
const NEW_PASSWORD = 'a-Fresh-password-77'

const clock = new ManualClock(new Date('2031-07-01T09:00:00Z'))
const ctx = useTestApp({ deps: { clock } })

const post = (url: string, user: TestUser, payload: object) =>
  ctx.app.inject({ method: 'POST', url, headers: user.auth, payload })
const changePassword = (user: TestUser, oldPassword: string) =>
  post('/api/auth/password/change/', user, { old_password: oldPassword, new_password: NEW_PASSWORD })
const disable = (user: TestUser, password: string, code: string) =>
  post('/api/auth/2fa/disable/', user, { password, code })
const logIn = (user: TestUser, otp?: string, url = '/api/auth/login/') =>
  ctx.app.inject({
    method: 'POST',
    url,
    payload: { username: user.username, password: user.password, ...(otp ? { otp } : {}) },
  })
const currentCode = (secret: string) => totpAt(secret, totpStep(clock.now()))

function expectLocked(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(423)
  expect(response.json().code).toBe('account_locked')
  const retryAfter = Number(response.headers['retry-after'])
  expect(Number.isInteger(retryAfter)).toBe(true)
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  return retryAfter
}

/** The account is locked everywhere: at both logins (even with the right password) and at `also`. */
async function expectLockedEverywhere(user: TestUser, also: () => Promise<LightMyRequestResponse>) {
  expect(expectLocked(await also())).toBe(LOCKOUT_WINDOW / 1000)
  expectLocked(await logIn(user))
  expectLocked(await logIn(user, undefined, '/api/auth/session/login/'))
}

describe('wrong answers at authenticated endpoints lock the account like failed logins', () => {
  it('wrong old passwords at password change', async () => {
    const user = await makeUser(ctx.app)
    for (let i = 1; i <= ATTEMPTS; i++) {
      const wrong = await changePassword(user, WRONG_PASSWORD)
      expect(wrong.statusCode, `failure ${i}`).toBe(400)
      expect(Object.keys(wrong.json().errors)).toEqual(['old_password'])
    }
    await expectLockedEverywhere(user, () => changePassword(user, user.password))

    // The window outlives the access token: a new login, then the change goes through.
    clock.advance(LOCKOUT_WINDOW + 1000)
    expect((await changePassword(await login(ctx.app, user), user.password)).statusCode).toBe(200)
  })

  it('wrong passwords at 2FA disable', async () => {
    const user = await makeUser(ctx.app)
    const { secret } = await enableTwoFactor(ctx.app, user, clock.now())
    clock.advance(STEP_MS)
    for (let i = 1; i <= ATTEMPTS; i++) {
      const wrong = await disable(user, WRONG_PASSWORD, currentCode(secret))
      expect(wrong.statusCode, `failure ${i}`).toBe(400)
      expect(wrong.json().code).toBe('password_invalid')
    }
    await expectLockedEverywhere(user, () => disable(user, user.password, currentCode(secret)))
  })

  it('wrong codes at 2FA disable, and the lock holds against a valid code', async () => {
    const user = await makeUser(ctx.app)
    const { secret, recoveryCodes } = await enableTwoFactor(ctx.app, user, clock.now())
    clock.advance(STEP_MS)
    for (let i = 1; i <= ATTEMPTS; i++) {
      const wrong = await disable(user, user.password, wrongTotpCode(secret, clock.now()))
      expect(wrong.statusCode, `failure ${i}`).toBe(400)
      expect(wrong.json().code).toBe('otp_invalid')
    }
    await expectLockedEverywhere(user, () => disable(user, user.password, currentCode(secret)))
    expectLocked(await logIn(user, recoveryCodes[0]))

    // The lock spent no code: after the window both the TOTP code and the recovery code still work.
    clock.advance(LOCKOUT_WINDOW + 1000)
    const relogged = await logIn(user, recoveryCodes[0])
    expect(relogged.statusCode).toBe(200)
    const fresh = { ...user, auth: { authorization: `Bearer ${relogged.json().data.access}` } }
    expect((await disable(fresh, user.password, currentCode(secret))).statusCode).toBe(200)
  })

  it('wrong passwords at 2FA enable', async () => {
    const user = await makeUser(ctx.app)
    const setup = await ctx.app.inject({ method: 'POST', url: '/api/auth/2fa/setup/', headers: user.auth })
    const { secret } = setup.json().data
    const enable = (password: string) =>
      post('/api/auth/2fa/enable/', user, { password, code: currentCode(secret) })
    for (let i = 1; i <= ATTEMPTS; i++) {
      const wrong = await enable(WRONG_PASSWORD)
      expect(wrong.statusCode, `failure ${i}`).toBe(400)
      expect(wrong.json().code).toBe('password_invalid')
    }
    await expectLockedEverywhere(user, () => enable(user.password))
  })

  it('a wrong password at the profile’s email change', async () => {
    const user = await makeUser(ctx.app)
    const patch = (password: string) =>
      ctx.app.inject({
        method: 'PATCH',
        url: '/api/auth/profile/',
        headers: user.auth,
        payload: { email: `${uniqueName('moved')}@example.com`, password },
      })
    for (let i = 1; i <= ATTEMPTS; i++) {
      const wrong = await patch(WRONG_PASSWORD)
      expect(wrong.statusCode, `failure ${i}`).toBe(400)
      expect(Object.keys(wrong.json().errors)).toEqual(['password'])
    }
    await expectLockedEverywhere(user, () => patch(user.password))
  })
})

describe('one counter per account', () => {
  it('adds up failures from logins and every other endpoint', async () => {
    const user = await makeUser(ctx.app)
    const { secret } = await enableTwoFactor(ctx.app, user, clock.now())
    clock.advance(STEP_MS)
    expect((await logIn(user)).json().code).toBe('otp_required')
    expect((await changePassword(user, WRONG_PASSWORD)).statusCode).toBe(400)
    expect((await disable(user, WRONG_PASSWORD, currentCode(secret))).statusCode).toBe(400)
    expect((await disable(user, user.password, wrongTotpCode(secret, clock.now()))).statusCode).toBe(400)
    // The 5th failure, at login, still answers 401; then the account is locked.
    expect((await logIn(user, wrongTotpCode(secret, clock.now()))).statusCode).toBe(401)
    expectLocked(await logIn(user, currentCode(secret)))
    expectLocked(await changePassword(user, user.password))
  })

  it('starts over after a check that passes, as after a login', async () => {
    const user = await makeUser(ctx.app)
    for (let i = 1; i < ATTEMPTS; i++)
      expect((await changePassword(user, WRONG_PASSWORD)).statusCode).toBe(400)
    expect((await changePassword(user, user.password)).statusCode).toBe(200)
    const changed = { ...user, password: NEW_PASSWORD }
    for (let i = 1; i < ATTEMPTS; i++)
      expect((await changePassword(changed, WRONG_PASSWORD)).statusCode).toBe(400)
    expect((await logIn(changed)).statusCode).toBe(200)
    for (let i = 1; i < ATTEMPTS; i++)
      expect((await changePassword(changed, WRONG_PASSWORD)).statusCode).toBe(400)
    expect((await logIn(changed)).statusCode).toBe(200)
  })

  it('never lets concurrent wrong passwords at password change overshoot the limit', async () => {
    const user = await makeUser(ctx.app)
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => changePassword(user, WRONG_PASSWORD)),
    )
    const statuses = responses.map((response) => response.statusCode)
    expect(statuses.filter((status) => status === 400)).toHaveLength(ATTEMPTS)
    expect(statuses.filter((status) => status === 423)).toHaveLength(12 - ATTEMPTS)
    expectLocked(await changePassword(user, user.password))
  })
})
