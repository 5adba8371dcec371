// Two-factor authentication through HTTP: setup, enable, login with TOTP and recovery codes, disable,
// and that neither the secret nor a recovery code leaks outside the two responses that hand them out.
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { totpAt, totpStep } from '../../../src/modules/accounts/totp.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser, wrongTotpCode } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const STEP_MS = 30_000
const clock = new ManualClock(new Date('2031-01-01T00:00:00Z'))
const ctx = useTestApp({ deps: { clock } })

/** The code of the clock's current step. */
const currentCode = (secret: string) => totpAt(secret, totpStep(clock.now()))

/** A six-digit code that matches none of the steps the server accepts right now (current ±1). */
const wrongCode = (secret: string) => wrongTotpCode(secret, clock.now())

describe('two-factor authentication over HTTP', () => {
  it('sets up, enables, logs in with TOTP and recovery codes, and disables', async () => {
    const { app } = ctx
    const user: TestUser = await makeUser(app)
    // Every response body except setup's and enable's; none may carry the secret or a recovery code.
    const bodies: string[] = []
    const post = (url: string, payload?: object, headers: Record<string, string> = user.auth) =>
      app.inject({ method: 'POST', url, headers, payload })
    const loginWith = async (otp?: string) => {
      const response = await post(
        '/api/auth/login/',
        { username: user.username, password: user.password, ...(otp === undefined ? {} : { otp }) },
        {},
      )
      bodies.push(response.body)
      return response
    }

    // Setup hands out the secret and the otpauth URL.
    const setup = await post('/api/auth/2fa/setup/')
    expect(setup.statusCode).toBe(200)
    const { secret, otpauth_url: otpauthUrl } = setup.json().data
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//)
    expect(otpauthUrl).toContain(`secret=${secret}`)

    // The stored column is sealed, never the plain secret.
    const [stored] = await app.deps.database.db
      .select({ totpSecret: users.totpSecret, totpEnabled: users.totpEnabled })
      .from(users)
      .where(eq(users.id, user.id))
    expect(stored?.totpSecret).toBeTruthy()
    expect(stored?.totpSecret).not.toBe(secret)
    expect(stored?.totpSecret).not.toContain(secret)
    expect(stored?.totpSecret?.toUpperCase()).not.toContain(secret)
    expect(stored?.totpEnabled).toBe(false)

    // Setup alone does not turn 2FA on.
    const beforeEnable = await loginWith()
    expect(beforeEnable.statusCode).toBe(200)

    // Enable: a wrong code is refused, the right one hands out 10 distinct recovery codes.
    const wrongEnable = await post('/api/auth/2fa/enable/', {
      password: user.password,
      code: wrongCode(secret),
    })
    bodies.push(wrongEnable.body)
    expect(wrongEnable.statusCode).toBe(400)
    expect(wrongEnable.json().code).toBe('otp_invalid')

    const enableCode = currentCode(secret)
    const enable = await post('/api/auth/2fa/enable/', { password: user.password, code: enableCode })
    expect(enable.statusCode).toBe(200)
    const recoveryCodes: string[] = enable.json().data.recovery_codes
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)

    // Login without otp: 401 otp_required.
    const noOtp = await loginWith()
    expect(noOtp.statusCode).toBe(401)
    expect(noOtp.json().code).toBe('otp_required')

    // The code that enabled 2FA is spent; the next step's code logs in.
    const enableCodeAgain = await loginWith(enableCode)
    expect(enableCodeAgain.statusCode).toBe(401)
    expect(enableCodeAgain.json().code).toBe('otp_required')
    clock.advance(STEP_MS)
    const firstCode = currentCode(secret)
    const withTotp = await loginWith(firstCode)
    expect(withTotp.statusCode).toBe(200)
    expect(withTotp.json().data.user.two_factor_enabled).toBe(true)

    // The same code again, same step: a replay.
    const replay = await loginWith(firstCode)
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('otp_required')

    // 30 s later a new code works.
    clock.advance(STEP_MS)
    const secondCode = currentCode(secret)
    expect(secondCode).not.toBe(firstCode)
    const next = await loginWith(secondCode)
    expect(next.statusCode).toBe(200)

    // A recovery code works once, in `otp`.
    const recovery = recoveryCodes[0] as string
    const withRecovery = await loginWith(recovery)
    expect(withRecovery.statusCode).toBe(200)
    const recoveryAgain = await loginWith(recovery)
    expect(recoveryAgain.statusCode).toBe(401)
    expect(recoveryAgain.json().code).toBe('otp_required')

    // The profile says 2FA is on.
    const profile = await app.inject({ method: 'GET', url: '/api/auth/profile/', headers: user.auth })
    bodies.push(profile.body)
    expect(profile.statusCode).toBe(200)
    expect(profile.json().data.two_factor_enabled).toBe(true)

    // Disable: a wrong password, then a wrong code, are refused; both right turns 2FA off.
    clock.advance(STEP_MS)
    const wrongPassword = await post('/api/auth/2fa/disable/', {
      password: `${user.password}-nope`,
      code: currentCode(secret),
    })
    bodies.push(wrongPassword.body)
    expect(wrongPassword.statusCode).toBe(400)
    expect(wrongPassword.json().code).toBe('password_invalid')

    const wrongDisableCode = await post('/api/auth/2fa/disable/', {
      password: user.password,
      code: wrongCode(secret),
    })
    bodies.push(wrongDisableCode.body)
    expect(wrongDisableCode.statusCode).toBe(400)
    expect(wrongDisableCode.json().code).toBe('otp_invalid')

    const disable = await post('/api/auth/2fa/disable/', {
      password: user.password,
      code: currentCode(secret),
    })
    bodies.push(disable.body)
    expect(disable.statusCode).toBe(200)

    const afterDisable = await loginWith()
    expect(afterDisable.statusCode).toBe(200)
    expect(afterDisable.json().data.user.two_factor_enabled).toBe(false)

    const profileAfter = await app.inject({ method: 'GET', url: '/api/auth/profile/', headers: user.auth })
    bodies.push(profileAfter.body)
    expect(profileAfter.json().data.two_factor_enabled).toBe(false)

    const [cleared] = await app.deps.database.db
      .select({ totpSecret: users.totpSecret, recoveryCodes: users.recoveryCodes })
      .from(users)
      .where(eq(users.id, user.id))
    expect(cleared).toEqual({ totpSecret: null, recoveryCodes: [] })

    // No other response ever carried the secret or a recovery code.
    expect(bodies.length).toBeGreaterThan(10)
    for (const body of bodies) {
      expect(body).not.toContain(secret)
      for (const code of recoveryCodes) expect(body).not.toContain(code)
    }
  })

  it('stores recovery codes only as hashes', async () => {
    const { app } = ctx
    const user = await makeUser(app)
    const setup = await app.inject({ method: 'POST', url: '/api/auth/2fa/setup/', headers: user.auth })
    const { secret } = setup.json().data
    const enable = await app.inject({
      method: 'POST',
      url: '/api/auth/2fa/enable/',
      headers: user.auth,
      payload: { password: user.password, code: currentCode(secret) },
    })
    expect(enable.statusCode).toBe(200)
    const recoveryCodes: string[] = enable.json().data.recovery_codes
    const [row] = await app.deps.database.db
      .select({ totpSecret: users.totpSecret, recoveryCodes: users.recoveryCodes })
      .from(users)
      .where(eq(users.id, user.id))
    expect(row?.recoveryCodes).toHaveLength(10)
    const stored = JSON.stringify(row)
    expect(stored).not.toContain(secret)
    for (const code of recoveryCodes) expect(stored).not.toContain(code)
  })

  it('lets only one of two concurrent logins use a code, and accepts recovery codes typed loosely', async () => {
    const { app } = ctx
    const user = await makeUser(app)
    const setup = await app.inject({ method: 'POST', url: '/api/auth/2fa/setup/', headers: user.auth })
    const { secret } = setup.json().data
    const enable = await app.inject({
      method: 'POST',
      url: '/api/auth/2fa/enable/',
      headers: user.auth,
      payload: { password: user.password, code: currentCode(secret) },
    })
    const recoveryCodes: string[] = enable.json().data.recovery_codes
    clock.advance(STEP_MS)

    const login = (otp: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login/',
        payload: { username: user.username, password: user.password, otp },
      })
    const code = currentCode(secret)
    const both = await Promise.all([login(code), login(code)])
    expect(both.map((response) => response.statusCode).sort()).toEqual([200, 401])

    const recovery = recoveryCodes[1] as string
    const loose = ` ${recovery.toUpperCase().replace('-', ' ')} `
    const recoveryBoth = await Promise.all([login(loose), login(recovery)])
    expect(recoveryBoth.map((response) => response.statusCode).sort()).toEqual([200, 401])

    // Setup again while enabled is refused (it would replace the live secret).
    const again = await app.inject({ method: 'POST', url: '/api/auth/2fa/setup/', headers: user.auth })
    expect(again.statusCode).toBe(400)
  })
})
