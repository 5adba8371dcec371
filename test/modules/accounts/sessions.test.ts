// The cookie-session scheme through HTTP (API.md, "Authentication", scheme 2): the csrftoken cookie,
// session login with id rotation, CSRF and Origin/Referer checks on unsafe requests, bearer requests
// exempt, logout, and the end of every session at a password change or a deactivation. Sessions live
// in the database in embedded mode and in Redis when REDIS_URL is set.
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../../src/app.js'
import { makeUser, STRONG_PASSWORD, type TestUser } from '../../helpers/accounts.js'
import { testConfig, useTestApp } from '../../helpers/app.js'

const TRUSTED = 'https://spa.example'
const ctx = useTestApp({ config: { CSRF_TRUSTED_ORIGINS: TRUSTED } })

const SESSION_TTL_SECONDS = 14 * 24 * 3600
const BAD_CREDENTIALS = {
  code: 'invalid_credentials',
  message: 'Unable to log in with the provided credentials.',
}

type Cookie = LightMyRequestResponse['cookies'][number]

function cookieNamed(response: LightMyRequestResponse, name: string): Cookie | undefined {
  return response.cookies.find((cookie) => cookie.name === name)
}

function mustCookie(response: LightMyRequestResponse, name: string): Cookie {
  const cookie = cookieNamed(response, name)
  if (!cookie) throw new Error(`no ${name} cookie in ${JSON.stringify(response.headers['set-cookie'])}`)
  return cookie
}

/** What a browser holds after a session login: the session id and the (rotated) CSRF token. */
type Browser = { sessionid: string; csrftoken: string }

async function fetchCsrf(app: App = ctx.app): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/api/auth/csrf/' })
  expect(response.statusCode).toBe(200)
  return response.json().data.csrf_token
}

/** GET /api/auth/csrf/, then POST /api/auth/session/login/ as a browser would, with the cookies given. */
async function sessionLogin(
  user: Pick<TestUser, 'username' | 'password'>,
  cookies: Record<string, string> = {},
): Promise<{ response: LightMyRequestResponse; browser: Browser }> {
  const csrftoken = cookies.csrftoken ?? (await fetchCsrf())
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/session/login/',
    cookies: { ...cookies, csrftoken },
    headers: { 'x-csrftoken': csrftoken },
    payload: { username: user.username, password: user.password },
  })
  if (response.statusCode !== 200) return { response, browser: { sessionid: '', csrftoken } }
  return {
    response,
    browser: {
      sessionid: mustCookie(response, 'sessionid').value,
      csrftoken: mustCookie(response, 'csrftoken').value,
    },
  }
}

async function loggedIn(user: TestUser): Promise<Browser> {
  const { response, browser } = await sessionLogin(user)
  expect(response.statusCode, response.body).toBe(200)
  return browser
}

function profile(browser: Pick<Browser, 'sessionid'>) {
  return ctx.app.inject({
    method: 'GET',
    url: '/api/auth/profile/',
    cookies: { sessionid: browser.sessionid },
  })
}

function patchProfile(
  cookies: Record<string, string>,
  headers: Record<string, string> = {},
  payload: Record<string, unknown> = { first_name: 'Ada' },
) {
  return ctx.app.inject({ method: 'PATCH', url: '/api/auth/profile/', cookies, headers, payload })
}

function expectCsrfFailed(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).toBe(403)
  expect(response.json()).toMatchObject({ code: 'csrf_failed' })
}

function refresh(token: string) {
  return ctx.app.inject({ method: 'POST', url: '/api/auth/refresh/', payload: { refresh: token } })
}

describe('GET /api/auth/csrf/', () => {
  it('sets a readable csrftoken cookie and returns the same value', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf/' })
    expect(response.statusCode).toBe(200)
    const cookie = mustCookie(response, 'csrftoken')
    expect(cookie.value).toMatch(/^[\w-]{20,}$/)
    expect(response.json().data).toEqual({ csrf_token: cookie.value })
    // Readable by the SPA's JavaScript, sent on same-site navigations only.
    expect(cookie.httpOnly).toBeFalsy()
    expect(cookie.sameSite).toBe('Lax')
    expect(cookie.path).toBe('/')
    expect(cookie.secure).toBeFalsy()
  })

  it('keeps a token the client already holds', async () => {
    const token = await fetchCsrf()
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/csrf/',
      cookies: { csrftoken: token },
    })
    expect(response.json().data.csrf_token).toBe(token)
    expect(cookieNamed(response, 'csrftoken')).toBeUndefined()
  })
})

describe('POST /api/auth/session/login/', () => {
  it('returns the user, sets an HttpOnly SameSite=Lax session cookie and rotates csrftoken', async () => {
    const user = await makeUser(ctx.app)
    const before = await fetchCsrf()
    const { response } = await sessionLogin(user, { csrftoken: before })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.data.user).toMatchObject({ id: user.id, username: user.username, email: user.email })
    expect(body.data.user).not.toHaveProperty('password')
    // The session scheme hands out no tokens.
    expect(body.data).not.toHaveProperty('access')
    expect(body.data).not.toHaveProperty('refresh')

    const session = mustCookie(response, 'sessionid')
    expect(session.value.length).toBeGreaterThanOrEqual(32)
    expect(session.httpOnly).toBe(true)
    expect(session.sameSite).toBe('Lax')
    expect(session.path).toBe('/')
    expect(session.maxAge).toBe(SESSION_TTL_SECONDS)
    // Not production: no Secure flag, no __Host- prefix.
    expect(session.secure).toBeFalsy()
    expect(cookieNamed(response, '__Host-sessionid')).toBeUndefined()

    const csrf = mustCookie(response, 'csrftoken')
    expect(csrf.value).not.toBe(before)
    expect(csrf.httpOnly).toBeFalsy()
  })

  it('answers 401 to a wrong password and sets no session cookie', async () => {
    const user = await makeUser(ctx.app)
    const { response } = await sessionLogin({ username: user.username, password: 'wrong-Password-1' })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toMatchObject(BAD_CREDENTIALS)
    expect(cookieNamed(response, 'sessionid')).toBeUndefined()
  })

  it('refuses a login posted from a foreign origin', async () => {
    const user = await makeUser(ctx.app)
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/session/login/',
      headers: { origin: 'https://evil.example' },
      payload: { username: user.username, password: user.password },
    })
    expectCsrfFailed(response)
    expect(cookieNamed(response, 'sessionid')).toBeUndefined()
  })

  it('destroys the session the client had before login and issues a different id (no fixation)', async () => {
    const user = await makeUser(ctx.app)
    const first = await loggedIn(user)
    expect((await profile(first)).statusCode).toBe(200)

    const { response, browser: second } = await sessionLogin(user, {
      sessionid: first.sessionid,
      csrftoken: first.csrftoken,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(second.sessionid).not.toBe(first.sessionid)
    expect((await profile(second)).statusCode).toBe(200)
    const old = await profile(first)
    expect(old.statusCode).toBe(401)
    expect(old.json()).toMatchObject({ code: 'not_authenticated' })
  })

  it('never adopts a session id chosen by the client', async () => {
    const user = await makeUser(ctx.app)
    const planted = 'planted-session-id-0123456789abcdefghijklmnop'
    const { response, browser } = await sessionLogin(user, { sessionid: planted })
    expect(response.statusCode, response.body).toBe(200)
    expect(browser.sessionid).not.toBe(planted)
    expect((await profile({ sessionid: planted })).statusCode).toBe(401)
    expect((await profile(browser)).statusCode).toBe(200)
  })

  describe('in production', () => {
    let prod: App
    beforeAll(async () => {
      prod = await buildApp(testConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40) }), {
        database: ctx.app.deps.database,
        redis: null,
      })
      await prod.ready()
    })
    afterAll(async () => {
      await prod?.close()
    })

    it('sets a Secure, __Host- prefixed session cookie and a Secure csrftoken', async () => {
      const user = await makeUser(ctx.app)
      const csrftoken = await fetchCsrf(prod)
      const response = await prod.inject({
        method: 'POST',
        url: '/api/auth/session/login/',
        cookies: { csrftoken },
        headers: { 'x-csrftoken': csrftoken },
        payload: { username: user.username, password: user.password },
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(cookieNamed(response, 'sessionid')).toBeUndefined()
      const session = mustCookie(response, '__Host-sessionid')
      expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' })
      expect(session).not.toHaveProperty('domain')
      expect(mustCookie(response, 'csrftoken').secure).toBe(true)

      const me = await prod.inject({
        method: 'GET',
        url: '/api/auth/profile/',
        cookies: { '__Host-sessionid': session.value },
      })
      expect(me.statusCode, me.body).toBe(200)
      expect(me.json().data.id).toBe(user.id)
      // The unprefixed name means nothing there.
      const plain = await prod.inject({
        method: 'GET',
        url: '/api/auth/profile/',
        cookies: { sessionid: session.value },
      })
      expect(plain.statusCode).toBe(401)
    })
  })
})

describe('session authentication', () => {
  it('authenticates safe requests with the cookie alone (no CSRF token)', async () => {
    const user = await makeUser(ctx.app)
    const browser = await loggedIn(user)
    const response = await profile(browser)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toMatchObject({ id: user.id, username: user.username })
  })

  it('answers 401 without a cookie or with an unknown session id', async () => {
    const none = await ctx.app.inject({ method: 'GET', url: '/api/auth/profile/' })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toMatchObject({ code: 'not_authenticated' })
    expect((await profile({ sessionid: 'no-such-session' })).statusCode).toBe(401)
  })
})

describe('CSRF on unsafe cookie-authenticated requests', () => {
  let user: TestUser
  let browser: Browser
  let cookies: Record<string, string>
  beforeAll(async () => {
    user = await makeUser(ctx.app)
    browser = await loggedIn(user)
    cookies = { sessionid: browser.sessionid, csrftoken: browser.csrftoken }
  })

  it('refuses a request without the X-CSRFToken header', async () => {
    expectCsrfFailed(await patchProfile(cookies))
  })

  it('refuses a wrong token', async () => {
    expectCsrfFailed(await patchProfile(cookies, { 'x-csrftoken': `${browser.csrftoken.slice(0, -2)}xx` }))
    expectCsrfFailed(await patchProfile(cookies, { 'x-csrftoken': 'short' }))
  })

  it('refuses a header without the csrftoken cookie', async () => {
    expectCsrfFailed(
      await patchProfile({ sessionid: browser.sessionid }, { 'x-csrftoken': browser.csrftoken }),
    )
  })

  it('refuses a foreign Origin even with the right token', async () => {
    expectCsrfFailed(
      await patchProfile(cookies, { 'x-csrftoken': browser.csrftoken, origin: 'https://evil.example' }),
    )
    expectCsrfFailed(await patchProfile(cookies, { 'x-csrftoken': browser.csrftoken, origin: 'null' }))
  })

  it('refuses a foreign Referer even with the right token', async () => {
    expectCsrfFailed(
      await patchProfile(cookies, {
        'x-csrftoken': browser.csrftoken,
        referer: 'https://evil.example/page',
      }),
    )
  })

  it('accepts the matching header', async () => {
    const response = await patchProfile(cookies, { 'x-csrftoken': browser.csrftoken }, { first_name: 'Ada' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({
      data: { id: user.id, first_name: 'Ada' },
      message: 'Profile updated',
    })
  })

  it('accepts the request from its own origin', async () => {
    const response = await patchProfile(cookies, {
      host: 'localhost:8000',
      origin: 'http://localhost:8000',
      referer: 'http://localhost:8000/app/',
      'x-csrftoken': browser.csrftoken,
    })
    expect(response.statusCode, response.body).toBe(200)
  })

  it('compares its own origin as a browser serializes it (default port, letter case)', async () => {
    for (const host of ['localhost:80', 'LocalHost:8000']) {
      const origin = host === 'localhost:80' ? 'http://localhost' : 'http://localhost:8000'
      const response = await patchProfile(cookies, { host, origin, 'x-csrftoken': browser.csrftoken })
      expect(response.statusCode, `${host} ${response.body}`).toBe(200)
    }
  })

  it('accepts an origin listed in CSRF_TRUSTED_ORIGINS, with the token', async () => {
    const response = await patchProfile(
      cookies,
      { 'x-csrftoken': browser.csrftoken, origin: TRUSTED },
      { last_name: 'Lovelace' },
    )
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.last_name).toBe('Lovelace')
    const referred = await patchProfile(cookies, {
      'x-csrftoken': browser.csrftoken,
      referer: `${TRUSTED}/settings`,
    })
    expect(referred.statusCode, referred.body).toBe(200)
  })

  it('still needs the token from a trusted origin', async () => {
    expectCsrfFailed(await patchProfile(cookies, { origin: TRUSTED }))
  })

  it('protects session logout too', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/session/logout/',
      cookies,
    })
    expectCsrfFailed(response)
    expect((await profile(browser)).statusCode).toBe(200)
  })
})

describe('bearer requests', () => {
  it('need no CSRF token, and the bearer token wins over a session cookie', async () => {
    const bearerUser = await makeUser(ctx.app)
    const cookieUser = await makeUser(ctx.app)
    const browser = await loggedIn(cookieUser)

    const alone = await patchProfile({}, bearerUser.auth, { first_name: 'Bea' })
    expect(alone.statusCode, alone.body).toBe(200)

    const both = await patchProfile(
      { sessionid: browser.sessionid, csrftoken: browser.csrftoken },
      bearerUser.auth,
      { phone: '+33 1 23 45 67 89' },
    )
    expect(both.statusCode, both.body).toBe(200)
    expect(both.json().data).toMatchObject({
      id: bearerUser.id,
      first_name: 'Bea',
      phone: '+33 1 23 45 67 89',
    })
    // The cookie user was not touched.
    expect((await profile(browser)).json().data.phone).toBe('')
  })
})

describe('POST /api/auth/session/logout/', () => {
  it('destroys the session and clears the cookie', async () => {
    const user = await makeUser(ctx.app)
    const browser = await loggedIn(user)
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/session/logout/',
      cookies: { sessionid: browser.sessionid, csrftoken: browser.csrftoken },
      headers: { 'x-csrftoken': browser.csrftoken },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ data: null, message: 'Logged out' })
    const cleared = mustCookie(response, 'sessionid')
    expect(cleared.value).toBe('')
    expect(cleared.path).toBe('/')
    expect(cleared.expires?.getTime() ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(Date.now())

    const after = await profile(browser)
    expect(after.statusCode).toBe(401)
  })

  it('answers 200 without a session', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/session/logout/' })
    expect(response.statusCode).toBe(200)
  })
})

describe('a password change', () => {
  it('made with a bearer token ends every cookie session and every refresh token of the user', async () => {
    const user = await makeUser(ctx.app)
    const other = await makeUser(ctx.app)
    const browsers = [await loggedIn(user), await loggedIn(user)]
    const otherBrowser = await loggedIn(other)

    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/password/change/',
      headers: user.auth,
      payload: { old_password: user.password, new_password: 'another-Strong-pass-77' },
    })
    expect(response.statusCode, response.body).toBe(200)

    for (const browser of browsers) {
      const old = await profile(browser)
      expect(old.statusCode, 'the old session cookie no longer authenticates').toBe(401)
    }
    const refused = await refresh(user.refresh)
    expect(refused.statusCode).toBe(401)
    expect(refused.json()).toMatchObject({ code: 'token_invalid' })
    // Other users keep theirs.
    expect((await profile(otherBrowser)).statusCode).toBe(200)
    expect((await refresh(other.refresh)).statusCode).toBe(200)
    // The new password logs in; the old one does not.
    expect((await sessionLogin({ ...user, password: 'another-Strong-pass-77' })).response.statusCode).toBe(
      200,
    )
    expect((await sessionLogin(user)).response.statusCode).toBe(401)
  })

  it('made in a cookie session keeps that session and ends the others', async () => {
    const user = await makeUser(ctx.app)
    const current = await loggedIn(user)
    const elsewhere = await loggedIn(user)
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/password/change/',
      cookies: { sessionid: current.sessionid, csrftoken: current.csrftoken },
      headers: { 'x-csrftoken': current.csrftoken },
      payload: { old_password: STRONG_PASSWORD, new_password: 'another-Strong-pass-78' },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect((await profile(current)).statusCode).toBe(200)
    expect((await profile(elsewhere)).statusCode).toBe(401)
    expect((await refresh(user.refresh)).statusCode).toBe(401)
  })
})

describe('deactivation (DELETE /api/users/{id}/ by the user themself)', () => {
  it('ends the sessions and refresh tokens; a later login gets the bad-credentials answer', async () => {
    const user = await makeUser(ctx.app)
    const browser = await loggedIn(user)
    const response = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${user.id}/`,
      headers: user.auth,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ data: null, message: 'Deleted' })

    expect((await profile(browser)).statusCode).toBe(401)
    const refused = await refresh(user.refresh)
    expect(refused.statusCode).toBe(401)
    expect(refused.json()).toMatchObject({ code: 'token_invalid' })

    const someone = await makeUser(ctx.app)
    const wrongPassword = await sessionLogin({ username: someone.username, password: 'wrong-Password-1' })
    expect(wrongPassword.response.statusCode).toBe(401)
    const expected = wrongPassword.response.json()
    expect(expected).toMatchObject(BAD_CREDENTIALS)

    const session = await sessionLogin(user)
    expect(session.response.statusCode).toBe(401)
    expect(session.response.json()).toEqual(expected)
    expect(cookieNamed(session.response, 'sessionid')).toBeUndefined()
    const jwt = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login/',
      payload: { username: user.username, password: user.password },
    })
    expect(jwt.statusCode).toBe(401)
    expect(jwt.json()).toEqual(expected)
  })
})
