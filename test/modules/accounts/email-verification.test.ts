// Email verification through HTTP (API.md, "Authentication" and "Settled details"): the welcome email
// written with the account, single-use tokens stored by hash, expiry, a changed address, resend.
// Time moves only through the injected ManualClock.
import { and, count, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { accountTokens, users } from '../../../src/modules/accounts/tables.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { randomToken, sha256Hex } from '../../../src/platform/crypto.js'
import {
  mailedToken,
  makeUser,
  STRONG_PASSWORD,
  smtpDown,
  type TestUser,
  uniqueName,
} from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const HOUR = 60 * 60_000
const TOKEN_INVALID = { code: 'token_invalid', message: 'This link is invalid or has expired.' }

const clock = new ManualClock(new Date('2031-03-01T09:00:00Z'))
const ctx = useTestApp({ deps: { clock, mailTransport: smtpDown } })
const db = () => ctx.app.deps.database.db

const verify = (token: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/email/verify/', payload: { token } })
const resend = (user: TestUser) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/email/resend/', headers: user.auth })

async function isVerified(user: TestUser): Promise<boolean> {
  const response = await ctx.app.inject({ method: 'GET', url: '/api/auth/profile/', headers: user.auth })
  return response.json().data.email_verified
}

async function emailsTo(userId: string, template: string): Promise<number> {
  const [row] = await db()
    .select({ n: count() })
    .from(outbox)
    .where(and(eq(outbox.template, template), sql`${outbox.params}->>'userId' = ${userId}`))
  return row?.n ?? 0
}

async function totals() {
  const [emails] = await db().select({ n: count() }).from(outbox)
  const [tokens] = await db().select({ n: count() }).from(accountTokens)
  return { emails: emails?.n, tokens: tokens?.n }
}

describe('registration', () => {
  it('writes exactly one welcome email, its token sealed in the row and only hashed in the table', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    expect(await emailsTo(user.id, 'welcome')).toBe(1)
    expect(await emailsTo(user.id, 'verify_email')).toBe(0)
    expect(await isVerified(user)).toBe(false)

    const token = await mailedToken(ctx.app, user.id, 'welcome')
    expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/)
    const [row] = await db().select().from(outbox).where(sql`${outbox.params}->>'userId' = ${user.id}`)
    expect(JSON.stringify(row?.params)).not.toContain(token)

    const stored = await db().select().from(accountTokens).where(eq(accountTokens.userId, user.id))
    expect(stored).toHaveLength(1)
    expect(stored[0]?.tokenHash).toBe(sha256Hex(token))
    expect(stored[0]?.tokenHash).not.toBe(token)
    expect(stored[0]?.purpose).toBe('verify_email')
    expect(stored[0]?.email).toBe(user.email)
    expect(stored[0]?.usedAt).toBeNull()
  })

  it('leaves no email and no token when it fails', async () => {
    const taken = await makeUser(ctx.app, { verified: false })
    const before = await totals()
    const duplicate = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username: uniqueName(), email: taken.email.toUpperCase(), password: STRONG_PASSWORD },
    })
    expect(duplicate.statusCode).toBe(400)
    expect(duplicate.json().errors.email).toBeDefined()
    expect(await totals()).toEqual(before)

    // A failure after the email was written (the creator's business refused by the database) takes
    // the email and the token with it: they share the user's transaction.
    await db().execute(sql`alter table businesses add constraint doomed check (slug not like 'doomed%')`)
    const username = uniqueName('doomed')
    const failed = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username, email: `${username}@example.com`, password: STRONG_PASSWORD, role: 'creator' },
    })
    await db().execute(sql`alter table businesses drop constraint doomed`)
    expect(failed.statusCode).toBe(500)
    expect(await db().select().from(users).where(eq(users.username, username))).toHaveLength(0)
    expect(await totals()).toEqual(before)
  })
})

describe('POST /api/auth/email/verify/', () => {
  it('verifies the address once; the token is then dead', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const token = await mailedToken(ctx.app, user.id, 'welcome')
    const first = await verify(token)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ data: null, message: 'Email address verified' })
    expect(await isVerified(user)).toBe(true)

    const again = await verify(token)
    expect(again.statusCode).toBe(400)
    expect(again.json()).toEqual(TOKEN_INVALID)
  })

  it('lets only one of two concurrent requests use a token', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const token = await mailedToken(ctx.app, user.id, 'welcome')
    const answers = await Promise.all([verify(token), verify(token), verify(token)])
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 400, 400])
  })

  it('refuses a token after 72 hours', async () => {
    const late = await makeUser(ctx.app, { verified: false })
    const onTime = await makeUser(ctx.app, { verified: false })
    const lateToken = await mailedToken(ctx.app, late.id, 'welcome')
    const onTimeToken = await mailedToken(ctx.app, onTime.id, 'welcome')
    clock.advance(72 * HOUR - 1000)
    expect((await verify(onTimeToken)).statusCode).toBe(200)
    clock.advance(1000)
    const expired = await verify(lateToken)
    expect(expired.statusCode).toBe(400)
    expect(expired.json()).toEqual(TOKEN_INVALID)
  })

  it('answers a token that was never issued like a dead one', async () => {
    for (const token of [randomToken(32), 'not-a-token']) {
      const response = await verify(token)
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual(TOKEN_INVALID)
    }
    // The stored hash is no token either.
    const user = await makeUser(ctx.app, { verified: false })
    const [stored] = await db().select().from(accountTokens).where(eq(accountTokens.userId, user.id))
    expect((await verify(stored?.tokenHash ?? '')).json()).toEqual(TOKEN_INVALID)
  })

  it('kills the old token when the address changes, and mails one to the new address', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const oldToken = await mailedToken(ctx.app, user.id, 'welcome')
    const email = `${uniqueName('moved')}@example.com`
    const changed = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { email, password: user.password },
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.json().data).toMatchObject({ email, email_verified: false })
    expect(await emailsTo(user.id, 'verify_email')).toBe(1)

    expect((await verify(oldToken)).json()).toEqual(TOKEN_INVALID)
    const newToken = await mailedToken(ctx.app, user.id, 'verify_email')
    const [stored] = await db().select().from(accountTokens).where(eq(accountTokens.userId, user.id))
    expect(stored?.email).toBe(email)
    expect((await verify(newToken)).statusCode).toBe(200)
    expect(await isVerified(user)).toBe(true)
  })

  it('mails nothing when the profile changes but the address does not', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { first_name: 'Ada', email: user.email.toUpperCase() },
    })
    expect(response.statusCode).toBe(200)
    expect(await emailsTo(user.id, 'verify_email')).toBe(0)
    expect((await verify(await mailedToken(ctx.app, user.id, 'welcome'))).statusCode).toBe(200)
  })
})

describe('POST /api/auth/email/resend/', () => {
  it('mails a new token that replaces the old one, up to 3 an hour, then answers 429', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const welcomeToken = await mailedToken(ctx.app, user.id, 'welcome')
    for (let i = 1; i <= 3; i++) {
      const response = await resend(user)
      expect(response.statusCode, `resend ${i}`).toBe(200)
      expect(response.json()).toEqual({ data: null, message: 'Verification email sent' })
    }
    expect(await emailsTo(user.id, 'verify_email')).toBe(3)
    const refused = await resend(user)
    expect(refused.statusCode).toBe(429)
    expect(refused.json().code).toBe('throttled')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(await emailsTo(user.id, 'verify_email')).toBe(3)

    expect((await verify(welcomeToken)).json()).toEqual(TOKEN_INVALID)
    expect((await verify(await mailedToken(ctx.app, user.id, 'verify_email'))).statusCode).toBe(200)
  })

  it('mails nothing to an address that is verified already', async () => {
    const user = await makeUser(ctx.app)
    const response = await resend(user)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ data: null, message: 'Your email address is already verified.' })
    expect(await emailsTo(user.id, 'verify_email')).toBe(0)
  })

  it('needs a caller', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/email/resend/' })
    expect(response.statusCode).toBe(401)
  })
})
