// Usernames and email addresses never stand for each other (API.md, "Settled details", "usernames"): a
// username may not contain `@`, and at login a name with `@` matches emails only, one without
// usernames only, on both login endpoints.
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { users } from '../../../src/modules/accounts/tables.js'
import { databaseError } from '../../../src/platform/db/errors.js'
import { makeAdmin, makeUser, STRONG_PASSWORD, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const SQUATTER_PASSWORD = 'squatter-Owns-this-name-5'
const LOGIN_URLS = ['/api/auth/login/', '/api/auth/session/login/']

type LoginPayload = { email?: string; username?: string; password: string }
const logIn = (app: App, url: string, payload: LoginPayload) => app.inject({ method: 'POST', url, payload })

/** The user a login answers, or its status when it is refused. */
async function loggedInAs(app: App, url: string, payload: LoginPayload): Promise<string | number> {
  const response = await logIn(app, url, payload)
  return response.statusCode === 200 ? response.json().data.user.id : response.statusCode
}

describe('usernames may not contain @', () => {
  const ctx = useTestApp()

  it('refuses a username that is someone else’s address, and the owner logs in by it as before', async () => {
    const alice = await makeUser(ctx.app)
    const squat = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register/',
      payload: {
        username: alice.email,
        email: `${uniqueName('squatter')}@example.com`,
        password: SQUATTER_PASSWORD,
      },
    })
    expect(squat.statusCode).toBe(400)
    expect(squat.json().code).toBe('validation_error')
    expect(Object.keys(squat.json().errors)).toEqual(['username'])

    for (const url of LOGIN_URLS) {
      expect(await loggedInAs(ctx.app, url, { email: alice.email, password: alice.password })).toBe(alice.id)
      expect(await loggedInAs(ctx.app, url, { email: alice.email, password: SQUATTER_PASSWORD })).toBe(401)
    }
  })

  it('refuses any @ in a username at registration, wherever it stands', async () => {
    for (const username of ['@', `${uniqueName()}@`, `@${uniqueName()}`, `${uniqueName()}@example`]) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/register/',
        payload: { username, email: `${uniqueName()}@example.com`, password: STRONG_PASSWORD },
      })
      expect(response.statusCode, username).toBe(400)
      expect(Object.keys(response.json().errors), username).toEqual(['username'])
    }
  })

  it('keeps the username through the profile and the admin PATCH, which do not change it', async () => {
    const user = await makeUser(ctx.app)
    const other = await makeUser(ctx.app)
    const admin = await makeAdmin(ctx.app)
    const profile = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/auth/profile/',
      headers: user.auth,
      payload: { username: other.email, first_name: 'Ada' },
    })
    expect(profile.statusCode).toBe(200)
    expect(profile.json().data).toMatchObject({ username: user.username, first_name: 'Ada' })
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}/`,
      headers: admin.auth,
      payload: { username: other.email, last_name: 'Lovelace' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json().data).toMatchObject({ username: user.username, last_name: 'Lovelace' })
    expect(
      await loggedInAs(ctx.app, LOGIN_URLS[0] as string, { email: other.email, password: other.password }),
    ).toBe(other.id)
  })

  it('is guaranteed by the database too', async () => {
    const { db } = ctx.app.deps.database
    const username = `${uniqueName()}@example.com`
    const refused = await db
      .insert(users)
      .values({ username, email: `${uniqueName()}@example.com`, password: 'x' })
      .then(
        () => undefined,
        (error: unknown) => databaseError(error),
      )
    expect(refused).toMatchObject({ code: '23514', constraint: 'users_username_no_at' })
    expect(await db.select().from(users).where(eq(users.username, username))).toEqual([])
  })
})

describe('login names on a database that predates the username check', () => {
  const ctx = useTestApp()

  /** A row written before `@` was refused in usernames, straight into the table. */
  async function legacyUser(app: App, values: { username: string; email: string }) {
    const { db } = app.deps.database
    await db.execute(sql`alter table users drop constraint if exists users_username_no_at`)
    const password = await app.deps.passwordHasher.hash(SQUATTER_PASSWORD)
    const [row] = await db
      .insert(users)
      .values({ ...values, password })
      .returning({ id: users.id })
    if (!row) throw new Error('insert returned no row')
    return row.id
  }

  it('matches a name with @ against emails only, in either field, on both logins', async () => {
    const alice = await makeUser(ctx.app)
    const squatter = await legacyUser(ctx.app, {
      username: alice.email.toUpperCase(),
      email: `${uniqueName('squatter')}@example.com`,
    })
    for (const url of LOGIN_URLS) {
      for (const field of ['email', 'username'] as const) {
        const own = { [field]: alice.email, password: alice.password }
        expect(await loggedInAs(ctx.app, url, own), `${url} ${field}`).toBe(alice.id)
        const squatting = { [field]: alice.email, password: SQUATTER_PASSWORD }
        expect(await loggedInAs(ctx.app, url, squatting), `${url} ${field}`).toBe(401)
      }
    }
    // The squatter still logs in, by their own address.
    const [row] = await ctx.app.deps.database.db.select().from(users).where(eq(users.id, squatter))
    expect(
      await loggedInAs(ctx.app, LOGIN_URLS[0] as string, { email: row?.email, password: SQUATTER_PASSWORD }),
    ).toBe(squatter)
  })

  it('matches a name without @ against usernames only', async () => {
    const bob = await makeUser(ctx.app)
    await legacyUser(ctx.app, { username: uniqueName('legacy'), email: bob.username })
    for (const url of LOGIN_URLS) {
      for (const field of ['email', 'username'] as const) {
        const own = { [field]: bob.username, password: bob.password }
        expect(await loggedInAs(ctx.app, url, own), `${url} ${field}`).toBe(bob.id)
        const other = { [field]: bob.username, password: SQUATTER_PASSWORD }
        expect(await loggedInAs(ctx.app, url, other), `${url} ${field}`).toBe(401)
      }
    }
  })
})
