// Password reset through HTTP (API.md, "Authentication" and "Settled details"): the same answer for
// every address, a single-use token valid 1 hour, the password policy, and everything the reset ends.
// Time moves only through the injected ManualClock.
import { and, count, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { accountTokens } from '../../../src/modules/accounts/tables.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { sha256Hex } from '../../../src/platform/crypto.js'
import {
  changeEmail,
  mailedToken,
  makeAdmin,
  makeUser,
  smtpDown,
  type TestUser,
  uniqueName,
} from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const HOUR = 60 * 60_000
const NEW_PASSWORD = 'another-Stable-lantern-7'
const TOKEN_INVALID = { code: 'token_invalid', message: 'This link is invalid or has expired.' }
const SAME_FOR_EVERYONE = {
  data: null,
  message: 'If an account uses this address, a link to reset its password is on its way.',
}

const clock = new ManualClock(new Date('2031-03-01T09:00:00Z'))
const ctx = useTestApp({ deps: { clock, mailTransport: smtpDown } })

const requestReset = (email: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/password/reset/', payload: { email } })
const confirm = (token: string, password = NEW_PASSWORD) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/auth/password/reset/confirm/',
    payload: { token, new_password: password },
  })
const login = (user: TestUser, password: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login/', payload: { username: user.username, password } })

/** Reset emails in the outbox: all of them, those to `userId`, or (null) those addressed to nobody. */
async function resetEmails(userId?: string | null): Promise<number> {
  const addressee =
    userId === undefined
      ? undefined
      : userId === null
        ? sql`${outbox.params}->'userId' = 'null'::jsonb`
        : sql`${outbox.params}->>'userId' = ${userId}`
  const [row] = await ctx.app.deps.database.db
    .select({ n: count() })
    .from(outbox)
    .where(and(eq(outbox.template, 'password_reset'), addressee))
  return row?.n ?? 0
}

/** Asks for a reset of the user's address and answers the mailed token. */
async function resetToken(user: TestUser): Promise<string> {
  expect((await requestReset(user.email)).statusCode).toBe(200)
  return mailedToken(ctx.app, user.id, 'password_reset')
}

describe('POST /api/auth/password/reset/', () => {
  it('answers an unknown address exactly like a known one, and mails nobody', async () => {
    const user = await makeUser(ctx.app)
    const known = await requestReset(user.email.toUpperCase())
    const unknown = await requestReset(`${uniqueName('nobody')}@example.com`)
    expect(unknown.statusCode).toBe(200)
    expect(known.statusCode).toBe(200)
    expect(unknown.json()).toEqual(SAME_FOR_EVERYONE)
    expect(known.json()).toEqual(SAME_FOR_EVERYONE)
    expect(await resetEmails(user.id)).toBe(1)
  })

  it('does the same database write for an unknown or deactivated address as for a known one', async () => {
    // Answering sooner when there is nothing to write would tell a caller which addresses have accounts
    // (bench/reset-timing.ts measures it): every request writes one outbox row, addressed to nobody when
    // no active account uses the address, which the email job then drops without sending anything.
    const user = await makeUser(ctx.app)
    const deactivated = await makeUser(ctx.app)
    const admin = await makeAdmin(ctx.app)
    const gone = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${deactivated.id}/`,
      headers: admin.auth,
    })
    expect(gone.statusCode).toBe(200)
    const all = await resetEmails()
    const toNobody = await resetEmails(null)
    await requestReset(user.email)
    expect(await resetEmails()).toBe(all + 1)
    await requestReset(`${uniqueName('nobody')}@example.com`)
    await requestReset(deactivated.email)
    expect(await resetEmails()).toBe(all + 3)
    expect(await resetEmails(null)).toBe(toNobody + 2)
    expect(await resetEmails(user.id)).toBe(1)
    expect(await resetEmails(deactivated.id)).toBe(0)
  })

  it('stores the token by hash only, valid for 1 hour', async () => {
    const user = await makeUser(ctx.app)
    const token = await resetToken(user)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/)
    const [stored] = await ctx.app.deps.database.db
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, user.id), eq(accountTokens.purpose, 'password_reset')))
    expect(stored?.tokenHash).toBe(sha256Hex(token))
    expect((stored?.expiresAt.getTime() ?? 0) - (stored?.createdAt.getTime() ?? 0)).toBe(HOUR)
  })

  it('mails an address at most 3 times an hour, still answering the same', async () => {
    const user = await makeUser(ctx.app)
    for (let i = 1; i <= 4; i++) {
      const response = await requestReset(user.email)
      expect(response.statusCode, `request ${i}`).toBe(200)
      expect(response.json()).toEqual(SAME_FOR_EVERYONE)
    }
    expect(await resetEmails(user.id)).toBe(3)
    clock.advance(HOUR)
    await requestReset(user.email)
    expect(await resetEmails(user.id)).toBe(4)
  })
})

describe('POST /api/auth/password/reset/confirm/', () => {
  it('sets the password once; then the token is dead', async () => {
    const user = await makeUser(ctx.app)
    const token = await resetToken(user)
    const first = await confirm(token)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ data: null, message: 'Password reset' })
    expect((await login(user, user.password)).statusCode).toBe(401)
    expect((await login(user, NEW_PASSWORD)).statusCode).toBe(200)

    const again = await confirm(token, 'yet-another-Stable-lantern-8')
    expect(again.statusCode).toBe(400)
    expect(again.json()).toEqual(TOKEN_INVALID)
    expect((await login(user, NEW_PASSWORD)).statusCode).toBe(200)
  })

  it('ends every refresh token and cookie session, and verifies the address', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const session = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/session/login/',
      payload: { username: user.username, password: user.password },
    })
    expect(session.statusCode).toBe(200)
    const sessionid = session.cookies.find((cookie) => cookie.name === 'sessionid')?.value ?? ''

    expect((await confirm(await resetToken(user))).statusCode).toBe(200)
    const refreshed = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh/',
      payload: { refresh: user.refresh },
    })
    expect(refreshed.statusCode).toBe(401)
    const bySession = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/profile/',
      cookies: { sessionid },
    })
    expect(bySession.statusCode).toBe(401)

    const fresh = await login(user, NEW_PASSWORD)
    expect(fresh.json().data.user.email_verified).toBe(true)
  })

  it('refuses a weak password with 400 and leaves the token usable', async () => {
    const user = await makeUser(ctx.app)
    const token = await resetToken(user)
    const weak = await confirm(token, '12345678')
    expect(weak.statusCode).toBe(400)
    expect(weak.json().code).toBe('validation_error')
    expect(weak.json().errors.new_password.length).toBeGreaterThan(0)
    expect((await confirm(token, user.username)).statusCode).toBe(400)

    expect((await confirm(token)).statusCode).toBe(200)
    expect((await login(user, NEW_PASSWORD)).statusCode).toBe(200)
  })

  it('refuses a token after 1 hour, and one replaced by a newer request', async () => {
    const user = await makeUser(ctx.app)
    const first = await resetToken(user)
    const second = await resetToken(user)
    expect((await confirm(first)).json()).toEqual(TOKEN_INVALID)
    clock.advance(HOUR)
    const expired = await confirm(second)
    expect(expired.statusCode).toBe(400)
    expect(expired.json()).toEqual(TOKEN_INVALID)
    expect((await login(user, user.password)).statusCode).toBe(200)
  })

  it('is refused for an address changed after the token was mailed', async () => {
    const user = await makeUser(ctx.app)
    const token = await resetToken(user)
    await changeEmail(ctx.app, user)
    expect((await confirm(token)).json()).toEqual(TOKEN_INVALID)
  })

  it('is refused once the password was changed after the token was mailed', async () => {
    const user = await makeUser(ctx.app)
    const token = await resetToken(user)
    const changed = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/password/change/',
      headers: user.auth,
      payload: { old_password: user.password, new_password: 'changed-Before-reset-3' },
    })
    expect(changed.statusCode).toBe(200)
    expect((await confirm(token)).json()).toEqual(TOKEN_INVALID)
    expect((await login(user, 'changed-Before-reset-3')).statusCode).toBe(200)
  })

  it('lifts a lockout', async () => {
    const user = await makeUser(ctx.app)
    for (let i = 0; i < 5; i++) await login(user, 'wrong-Password-41')
    expect((await login(user, user.password)).statusCode).toBe(423)
    expect((await confirm(await resetToken(user))).statusCode).toBe(200)
    expect((await login(user, NEW_PASSWORD)).statusCode).toBe(200)
  })
})

describe('reset endpoints under THROTTLE_AUTH', () => {
  const throttledCtx = useTestApp({ config: { THROTTLE_AUTH: '2/minute' } })

  it('answers 429 past the per-IP rate, on reset and confirm alike', async () => {
    const email = `${uniqueName('nobody')}@example.com`
    const reset = () =>
      throttledCtx.app.inject({ method: 'POST', url: '/api/auth/password/reset/', payload: { email } })
    expect((await reset()).statusCode).toBe(200)
    expect((await reset()).statusCode).toBe(200)
    const refused = await reset()
    expect(refused.statusCode).toBe(429)
    expect(refused.json().code).toBe('throttled')
    expect(refused.headers['retry-after']).toBeDefined()
    const confirmRefused = await throttledCtx.app.inject({
      method: 'POST',
      url: '/api/auth/password/reset/confirm/',
      payload: { token: 'whatever', new_password: NEW_PASSWORD },
    })
    expect(confirmRefused.statusCode).toBe(429)
  })
})
