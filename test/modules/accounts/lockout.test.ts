// Account lockout (failed logins per account) and request throttles (per IP, per user), through HTTP.
// Time moves only through the injected ManualClock.
import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { argon2Hasher, type PasswordHasher } from '../../../src/modules/accounts/hasher.js'
import { totpAt, totpStep } from '../../../src/modules/accounts/totp.js'
import { ManualClock } from '../../../src/platform/clock.js'
import {
  enableTwoFactor,
  makeUser,
  STRONG_PASSWORD,
  type TestUser,
  uniqueName,
} from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const MINUTE = 60_000
const LOCKOUT_WINDOW = 15 * MINUTE
const ATTEMPTS = 5
const WRONG_PASSWORD = 'not-the-Password-42'

/** A hasher that counts `verify` calls and remembers what it verified against. */
function countingHasher() {
  const verified: string[] = []
  const hasher: PasswordHasher = {
    hash: (password) => argon2Hasher.hash(password),
    async verify(encoded, password) {
      verified.push(encoded)
      return argon2Hasher.verify(encoded, password)
    },
  }
  return {
    hasher,
    verified,
    get calls() {
      return verified.length
    },
    reset() {
      verified.length = 0
    },
  }
}

type LoginPayload = { username?: string; email?: string; password: string; otp?: string }

const loginRequest = (app: App, payload: LoginPayload, url = '/api/auth/login/') =>
  app.inject({ method: 'POST', url, payload })

function expectLocked(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(423)
  expect(response.json().code).toBe('account_locked')
  const retryAfter = Number(response.headers['retry-after'])
  expect(Number.isInteger(retryAfter)).toBe(true)
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  return retryAfter
}

function expectThrottled(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(429)
  expect(response.json().code).toBe('throttled')
  const retryAfter = Number(response.headers['retry-after'])
  expect(Number.isInteger(retryAfter)).toBe(true)
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(60)
}

describe('account lockout', () => {
  const clock = new ManualClock(new Date('2031-03-01T09:00:00Z'))
  const counting = countingHasher()
  const ctx = useTestApp({ deps: { clock, passwordHasher: counting.hasher } })

  const wrong = (user: Pick<TestUser, 'username'>) =>
    loginRequest(ctx.app, { username: user.username, password: WRONG_PASSWORD })
  const right = (user: Pick<TestUser, 'username' | 'password'>) =>
    loginRequest(ctx.app, { username: user.username, password: user.password })

  it('answers 401 up to the 5th failure, then 423 with Retry-After until the window passes', async () => {
    const user = await makeUser(ctx.app)
    for (let i = 1; i <= ATTEMPTS; i++) {
      const response = await wrong(user)
      expect(response.statusCode, `failure ${i}`).toBe(401)
      expect(response.json().code).toBe('invalid_credentials')
    }
    expect(expectLocked(await wrong(user))).toBe(LOCKOUT_WINDOW / 1000)
    // The right password does not get through a lock either, on either login endpoint.
    expectLocked(await right(user))
    expectLocked(
      await loginRequest(
        ctx.app,
        { username: user.username, password: user.password },
        '/api/auth/session/login/',
      ),
    )

    clock.advance(LOCKOUT_WINDOW - 1000)
    expect(expectLocked(await right(user))).toBe(1)

    clock.advance(2000) // 15 minutes + 1 s after the 5th failure
    const unlocked = await right(user)
    expect(unlocked.statusCode).toBe(200)
    expect(unlocked.json().data.user.id).toBe(user.id)
  })

  it('locks the account, not the name it was reached by (username or email, any case)', async () => {
    const user = await makeUser(ctx.app)
    const names = [user.username, user.email, user.username.toUpperCase(), user.email.toUpperCase()]
    for (let i = 0; i < ATTEMPTS; i++) {
      const login = names[i % names.length] as string
      const payload = login.includes('@')
        ? { email: login, password: WRONG_PASSWORD }
        : { username: login, password: WRONG_PASSWORD }
      expect((await loginRequest(ctx.app, payload)).statusCode).toBe(401)
    }
    expectLocked(await loginRequest(ctx.app, { email: user.email, password: user.password }))
    expectLocked(await loginRequest(ctx.app, { username: user.username, password: user.password }))
  })

  it('resets the count on a successful login', async () => {
    const user = await makeUser(ctx.app)
    for (let i = 0; i < ATTEMPTS - 1; i++) expect((await wrong(user)).statusCode).toBe(401)
    expect((await right(user)).statusCode).toBe(200)
    for (let i = 0; i < ATTEMPTS - 1; i++) expect((await wrong(user)).statusCode).toBe(401)
    expect((await right(user)).statusCode).toBe(200)
  })

  it('answers an unknown user exactly like a wrong password, and locks an unknown name too', async () => {
    const user = await makeUser(ctx.app)
    const ghost = { username: uniqueName('ghost') }

    const wrongPassword = await wrong(user)
    const unknown = await wrong(ghost)
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json()).toEqual(wrongPassword.json())
    const unknownEmail = await loginRequest(ctx.app, {
      email: `${ghost.username}@example.com`,
      password: WRONG_PASSWORD,
    })
    expect(unknownEmail.json()).toEqual(wrongPassword.json())

    for (let i = 2; i <= ATTEMPTS; i++) {
      expect((await wrong(user)).json()).toEqual(wrongPassword.json())
      expect((await wrong(ghost)).json()).toEqual(wrongPassword.json())
    }
    const lockedUser = await wrong(user)
    const lockedGhost = await wrong(ghost)
    expectLocked(lockedUser)
    expectLocked(lockedGhost)
    expect(lockedGhost.json()).toEqual(lockedUser.json())
    expect(lockedGhost.headers['retry-after']).toBe(lockedUser.headers['retry-after'])
  })

  it('runs the password hasher for an unknown user, against a real hash', async () => {
    counting.reset()
    const response = await wrong({ username: uniqueName('ghost') })
    expect(response.statusCode).toBe(401)
    expect(counting.calls).toBe(1)
    expect(counting.verified[0]).toMatch(/^\$argon2id\$/)

    // The same cost as a known user with a wrong password.
    const user = await makeUser(ctx.app)
    counting.reset()
    await wrong(user)
    expect(counting.calls).toBe(1)
    expect(counting.verified[0]).toMatch(/^\$argon2id\$/)
  })

  it('never lets concurrent guesses overshoot the limit', async () => {
    const user = await makeUser(ctx.app)
    counting.reset()
    const responses = await Promise.all(Array.from({ length: 20 }, () => wrong(user)))
    const statuses = responses.map((response) => response.statusCode)
    expect(statuses.every((status) => status === 401 || status === 423)).toBe(true)
    const unauthorized = statuses.filter((status) => status === 401).length
    expect(unauthorized).toBeLessThanOrEqual(ATTEMPTS)
    expect(unauthorized).toBeGreaterThanOrEqual(1)
    expect(statuses.filter((status) => status === 423).length).toBe(20 - unauthorized)
    expect(counting.calls).toBeLessThanOrEqual(ATTEMPTS)
    expectLocked(await right(user))
  })

  it('counts a missing or wrong otp as a failure', async () => {
    const user = await makeUser(ctx.app)
    const { secret } = await enableTwoFactor(ctx.app, user, clock.now())

    const attempts: LoginPayload[] = [
      { username: user.username, password: user.password },
      { username: user.username, password: user.password, otp: '' },
      { username: user.username, password: user.password },
      { username: user.username, password: user.password, otp: 'abcdef-ghjkmn' },
      { username: user.username, password: user.password },
    ]
    for (const payload of attempts) {
      const response = await loginRequest(ctx.app, payload)
      expect(response.statusCode).toBe(401)
      expect(response.json().code).toBe('otp_required')
    }
    // Locked: even the password and a valid code are refused now.
    clock.advance(30_000)
    expectLocked(
      await loginRequest(ctx.app, {
        username: user.username,
        password: user.password,
        otp: totpAt(secret, totpStep(clock.now())),
      }),
    )
  })
})

describe('auth throttle (THROTTLE_AUTH, per IP)', () => {
  const clock = new ManualClock(new Date('2031-03-01T09:00:00Z'))
  const ctx = useTestApp({ config: { THROTTLE_AUTH: '3/minute' }, deps: { clock } })
  const ghostLogin = (remoteAddress?: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login/',
      remoteAddress,
      payload: { username: uniqueName('ghost'), password: WRONG_PASSWORD },
    })

  it('refuses the 4th login or register from one IP until the minute passes', async () => {
    expect((await ghostLogin()).statusCode).toBe(401)
    expect((await ghostLogin()).statusCode).toBe(401)
    const username = uniqueName()
    const register = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username, email: `${username}@example.com`, password: STRONG_PASSWORD },
    })
    expect(register.statusCode).toBe(201)

    expectThrottled(await ghostLogin())
    const username2 = uniqueName()
    expectThrottled(
      await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/register/',
        payload: { username: username2, email: `${username2}@example.com`, password: STRONG_PASSWORD },
      }),
    )
    // Other endpoints and other addresses are not affected.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf/' })).statusCode).toBe(200)
    expect((await ghostLogin('198.51.100.7')).statusCode).toBe(401)

    clock.advance(MINUTE)
    expect((await ghostLogin()).statusCode).toBe(401)
  })
})

describe('anonymous throttle (THROTTLE_ANON, per IP)', () => {
  const clock = new ManualClock(new Date('2031-03-01T09:00:00Z'))
  const ctx = useTestApp({ config: { THROTTLE_ANON: '2/minute' }, deps: { clock } })
  const csrf = () => ctx.app.inject({ method: 'GET', url: '/api/auth/csrf/' })

  it('refuses the 3rd anonymous API request, never throttles /health/', async () => {
    expect((await csrf()).statusCode).toBe(200)
    expect((await csrf()).statusCode).toBe(200)
    expectThrottled(await csrf())
    for (let i = 0; i < 5; i++) {
      const health = await ctx.app.inject({ method: 'GET', url: '/health/' })
      expect(health.statusCode).toBe(200)
    }
    clock.advance(MINUTE)
    expect((await csrf()).statusCode).toBe(200)
  })
})

describe('user throttle (THROTTLE_USER, per user)', () => {
  const clock = new ManualClock(new Date('2031-03-01T09:00:00Z'))
  const ctx = useTestApp({ config: { THROTTLE_USER: '2/minute' }, deps: { clock } })
  const profile = (user: TestUser) =>
    ctx.app.inject({ method: 'GET', url: '/api/auth/profile/', headers: user.auth })

  it('counts an authenticated caller per user, not per IP', async () => {
    const first = await makeUser(ctx.app)
    const second = await makeUser(ctx.app)
    expect((await profile(first)).statusCode).toBe(200)
    expect((await profile(first)).statusCode).toBe(200)
    expectThrottled(await profile(first))
    // Same IP, another user: a bucket of its own.
    expect((await profile(second)).statusCode).toBe(200)
    expect((await profile(second)).statusCode).toBe(200)
    expectThrottled(await profile(second))

    clock.advance(MINUTE)
    expect((await profile(first)).statusCode).toBe(200)
  })
})

describe('anonymous and user throttles together', () => {
  const clock = new ManualClock(new Date('2031-03-01T09:00:00Z'))
  const ctx = useTestApp({
    config: { THROTTLE_ANON: '2/minute', THROTTLE_USER: '2/minute' },
    deps: { clock },
  })

  it('does not charge an authenticated caller to its IP', async () => {
    // The two registrations spend this IP's anonymous allowance (verifying would spend more).
    const user = await makeUser(ctx.app, { verified: false })
    await makeUser(ctx.app, { verified: false })
    expectThrottled(await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf/' }))
    const profile = await ctx.app.inject({ method: 'GET', url: '/api/auth/profile/', headers: user.auth })
    expect(profile.statusCode).toBe(200)
  })
})

describe('throttles behind a proxy (TRUST_PROXY on)', () => {
  const ctx = useTestApp({ config: { TRUST_PROXY: 'true', THROTTLE_ANON: '2/minute' } })
  const from = (address: string) =>
    ctx.app.inject({ method: 'GET', url: '/api/auth/csrf/', headers: { 'x-forwarded-for': address } })

  it('counts each X-Forwarded-For client separately', async () => {
    expect((await from('203.0.113.1')).statusCode).toBe(200)
    expect((await from('203.0.113.1')).statusCode).toBe(200)
    expectThrottled(await from('203.0.113.1'))
    expect((await from('203.0.113.2')).statusCode).toBe(200)
    expect((await from('203.0.113.2')).statusCode).toBe(200)
    expectThrottled(await from('203.0.113.2'))
  })
})

describe('throttles without a proxy (TRUST_PROXY off)', () => {
  const ctx = useTestApp({ config: { THROTTLE_ANON: '2/minute' } })
  const from = (address: string) =>
    ctx.app.inject({ method: 'GET', url: '/api/auth/csrf/', headers: { 'x-forwarded-for': address } })

  it('ignores X-Forwarded-For: every request counts for the connecting address', async () => {
    expect((await from('203.0.113.1')).statusCode).toBe(200)
    expect((await from('203.0.113.2')).statusCode).toBe(200)
    expectThrottled(await from('203.0.113.3'))
    expectThrottled(await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf/' }))
  })
})
