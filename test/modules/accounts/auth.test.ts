import type { InjectOptions } from 'fastify'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { login, makeUser, STRONG_PASSWORD, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const clock = new ManualClock(new Date('2026-06-01T10:00:00Z'))
const ctx = useTestApp({ deps: { clock } })

// Every auth response body this file sees, to check at the end that none leaks a secret.
const bodies: string[] = []
async function call(options: InjectOptions) {
  const response = await ctx.app.inject(options)
  bodies.push(response.body)
  return response
}

describe('POST /api/auth/register/', () => {
  it('creates a user (or a creator) and returns a token pair', async () => {
    const username = uniqueName('reg')
    const response = await call({
      method: 'POST',
      url: '/api/auth/register/',
      payload: {
        username,
        email: `${username}@example.com`,
        password: STRONG_PASSWORD,
        role: 'creator',
        first_name: 'Ada',
      },
    })
    expect(response.statusCode).toBe(201)
    const { data, message } = response.json()
    expect(message).toBeTruthy()
    expect(data.user).toMatchObject({
      username,
      role: 'creator',
      first_name: 'Ada',
      is_active: true,
      email_verified: false,
    })
    expect(data.tokens.access).toEqual(expect.any(String))
    expect(data.tokens.refresh).toEqual(expect.any(String))
  })

  it('refuses any role but user and creator', async () => {
    const username = uniqueName('admin')
    const response = await call({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username, email: `${username}@example.com`, password: STRONG_PASSWORD, role: 'admin' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toHaveProperty('role')
  })

  it('refuses a taken username or email, case-insensitively, naming the field', async () => {
    const existing = await makeUser(ctx.app)
    const sameName = await call({
      method: 'POST',
      url: '/api/auth/register/',
      payload: {
        username: existing.username.toUpperCase(),
        email: 'other@example.com',
        password: STRONG_PASSWORD,
      },
    })
    expect(sameName.statusCode).toBe(400)
    expect(Object.keys(sameName.json().errors)).toEqual(['username'])
    const sameEmail = await call({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username: uniqueName(), email: existing.email.toUpperCase(), password: STRONG_PASSWORD },
    })
    expect(sameEmail.statusCode).toBe(400)
    expect(Object.keys(sameEmail.json().errors)).toEqual(['email'])
  })

  it('applies the password validators', async () => {
    const username = uniqueName('weak')
    const response = await call({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username, email: `${username}@example.com`, password: '12345678' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors.password).toEqual(
      expect.arrayContaining(['This password is too common.', 'This password is entirely numeric.']),
    )
  })

  it('registers one of two concurrent requests for the same username', async () => {
    const username = uniqueName('race')
    const attempts = await Promise.all(
      [1, 2, 3].map((n) =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/auth/register/',
          payload: { username, email: `${username}${n}@example.com`, password: STRONG_PASSWORD },
        }),
      ),
    )
    expect(attempts.map((response) => response.statusCode).sort()).toEqual([201, 400, 400])
  })
})

describe('POST /api/auth/login/', () => {
  it('logs in by username or email, case-insensitively', async () => {
    const user = await makeUser(ctx.app)
    for (const payload of [
      { username: user.username.toUpperCase(), password: user.password },
      { email: user.email.toUpperCase(), password: user.password },
    ]) {
      const response = await call({ method: 'POST', url: '/api/auth/login/', payload })
      expect(response.statusCode).toBe(200)
      expect(response.json().data).toMatchObject({ user: { id: user.id }, access: expect.any(String) })
    }
  })

  it('answers an unknown user exactly like a wrong password', async () => {
    const user = await makeUser(ctx.app)
    const wrong = await call({
      method: 'POST',
      url: '/api/auth/login/',
      payload: { username: user.username, password: 'nope-nope-1' },
    })
    const unknown = await call({
      method: 'POST',
      url: '/api/auth/login/',
      payload: { username: uniqueName('ghost'), password: 'nope-nope-1' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json()).toEqual(wrong.json())
  })
})

describe('access tokens', () => {
  it('authenticates with Bearer and refuses a tampered, foreign-algorithm or wrong-type token', async () => {
    const user = await makeUser(ctx.app)
    expect((await call({ url: '/api/auth/profile/', headers: user.auth })).statusCode).toBe(200)

    const [header, payload] = user.access.split('.')
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`
    const tampered = `${header}.${payload}.${'A'.repeat(43)}`
    for (const token of [unsigned, tampered, user.refresh, 'garbage']) {
      const response = await call({
        url: '/api/auth/profile/',
        headers: { authorization: `Bearer ${token}` },
      })
      expect(response.statusCode, token).toBe(401)
      expect(response.json().code).toBe('token_invalid')
    }
    const anonymous = await call({ url: '/api/auth/profile/' })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().code).toBe('not_authenticated')
  })

  it('answers 401 before looking at the body of an anonymous request', async () => {
    const response = await call({
      method: 'POST',
      url: '/api/auth/password/change/',
      payload: { nonsense: true },
    })
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('not_authenticated')
  })

  it('expires after JWT_ACCESS_TTL', async () => {
    const user = await makeUser(ctx.app)
    clock.advance(15 * 60 * 1000 + 1000)
    const response = await call({ url: '/api/auth/profile/', headers: user.auth })
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('token_expired')
  })
})

describe('refresh tokens', () => {
  const refresh = (token: string) =>
    call({ method: 'POST', url: '/api/auth/refresh/', payload: { refresh: token } })

  it('rotates: a refresh returns a new pair and the old refresh token stops working', async () => {
    const user = await makeUser(ctx.app)
    const first = await refresh(user.refresh)
    expect(first.statusCode).toBe(200)
    const pair = first.json().data
    expect(pair.refresh).not.toBe(user.refresh)
    expect(
      (await call({ url: '/api/auth/profile/', headers: { authorization: `Bearer ${pair.access}` } }))
        .statusCode,
    ).toBe(200)
    expect((await refresh(pair.refresh)).statusCode).toBe(200)
  })

  it('revokes the whole family when a rotated token is presented again', async () => {
    const user = await makeUser(ctx.app)
    const stolen = user.refresh
    const legit = (await refresh(stolen)).json().data.refresh
    const replay = await refresh(stolen)
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('token_invalid')
    // The thief's replay also killed the token the legitimate client holds.
    expect((await refresh(legit)).statusCode).toBe(401)
    // Another login starts a new, unaffected family.
    const fresh = await login(ctx.app, user)
    expect((await refresh(fresh.refresh)).statusCode).toBe(200)
  })

  it('refuses an access token, garbage and an expired refresh token', async () => {
    const user = await makeUser(ctx.app)
    for (const token of [user.access, 'garbage']) {
      const response = await refresh(token)
      expect(response.statusCode).toBe(401)
      expect(response.json().code).toBe('token_invalid')
    }
    clock.advance(7 * 24 * 3600 * 1000 + 1000)
    expect((await refresh(user.refresh)).json().code).toBe('token_invalid')
  })

  it('lets one of two concurrent refreshes of the same token through', async () => {
    const user = await makeUser(ctx.app)
    const results = await Promise.all([refresh(user.refresh), refresh(user.refresh)])
    expect(results.map((response) => response.statusCode).sort()).toEqual([200, 401])
  })

  it('logout blacklists the refresh token', async () => {
    const user = await makeUser(ctx.app)
    const out = await call({ method: 'POST', url: '/api/auth/logout/', payload: { refresh: user.refresh } })
    expect(out.statusCode).toBe(200)
    expect(out.json()).toMatchObject({ data: null, message: expect.any(String) })
    expect((await refresh(user.refresh)).json().code).toBe('token_invalid')
  })
})

describe('/api/auth/profile/', () => {
  it('updates names and ignores role, is_staff and other read-only fields', async () => {
    const user = await makeUser(ctx.app)
    const response = await call({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { first_name: 'Grace', phone: '+44 20 7946 0000', role: 'admin', is_staff: true, id: 'x' },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toMatchObject({
      id: user.id,
      first_name: 'Grace',
      phone: '+44 20 7946 0000',
      role: 'user',
      is_staff: false,
    })
    const put = await call({
      method: 'PUT',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { last_name: 'Hopper' },
    })
    expect(put.json().data).toMatchObject({ first_name: 'Grace', last_name: 'Hopper' })
  })

  it('changes the email only with the current password, and clears email_verified', async () => {
    const user = await makeUser(ctx.app)
    const email = `${uniqueName('new')}@example.com`
    const refused = await call({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { email },
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().errors).toHaveProperty('password')
    const wrong = await call({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { email, password: 'not-it-at-all' },
    })
    expect(wrong.statusCode).toBe(400)
    const accepted = await call({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { email, password: user.password },
    })
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json().data).toMatchObject({ email, email_verified: false })
  })
})

describe('POST /api/auth/password/change/', () => {
  it('checks the old password, validates the new one and revokes refresh tokens', async () => {
    const user = await makeUser(ctx.app)
    const change = (payload: object) =>
      call({ method: 'POST', url: '/api/auth/password/change/', headers: user.auth, payload })
    expect(
      (await change({ old_password: 'wrong-password-1', new_password: 'another-Strong-pass-7' })).json()
        .errors,
    ).toHaveProperty('old_password')
    expect(
      (await change({ old_password: user.password, new_password: 'password' })).json().errors,
    ).toHaveProperty('new_password')
    const done = await change({ old_password: user.password, new_password: 'another-Strong-pass-7' })
    expect(done.statusCode).toBe(200)
    expect(
      (await call({ method: 'POST', url: '/api/auth/refresh/', payload: { refresh: user.refresh } }))
        .statusCode,
    ).toBe(401)
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/auth/login/',
          payload: { username: user.username, password: user.password },
        })
      ).statusCode,
    ).toBe(401)
    await login(ctx.app, { ...user, password: 'another-Strong-pass-7' })
  })
})

describe('secrets', () => {
  it('no auth response carries a password, a hash or a secret', () => {
    expect(bodies.length).toBeGreaterThan(20)
    for (const body of bodies) {
      expect(body).not.toMatch(/"password"\s*:\s*"/)
      expect(body).not.toContain('$argon2')
      expect(body).not.toMatch(/totp|recovery_codes|"secret"/)
      expect(body).not.toContain(STRONG_PASSWORD)
    }
  })
})
