// Factories for accounts: unique users registered through the API, and logins.
import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { App } from '../../src/app.js'
import { users } from '../../src/modules/accounts/tables.js'

export const STRONG_PASSWORD = 'correct-Horse-battery-9'

export type TestUser = {
  id: string
  username: string
  email: string
  password: string
  access: string
  refresh: string
  /** `{ authorization: 'Bearer …' }` for inject. */
  auth: { authorization: string }
}

let counter = 0
export function uniqueName(prefix = 'user'): string {
  counter += 1
  return `${prefix}${counter}_${randomBytes(3).toString('hex')}`
}

export async function makeUser(
  app: App,
  overrides: { role?: 'user' | 'creator'; password?: string; username?: string; email?: string } = {},
): Promise<TestUser> {
  const username = overrides.username ?? uniqueName()
  const email = overrides.email ?? `${username}@example.com`
  const password = overrides.password ?? STRONG_PASSWORD
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register/',
    payload: { username, email, password, role: overrides.role ?? 'user' },
  })
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`)
  const { user, tokens } = response.json().data
  return {
    id: user.id,
    username,
    email,
    password,
    ...tokens,
    auth: { authorization: `Bearer ${tokens.access}` },
  }
}

/** A platform admin (role admin, staff, superuser), logged in with a fresh token that carries the role. */
export async function makeAdmin(app: App): Promise<TestUser> {
  const user = await makeUser(app)
  await app.deps.database.db
    .update(users)
    .set({ role: 'admin', isStaff: true, isSuperuser: true })
    .where(eq(users.id, user.id))
  return login(app, user)
}

export async function login(
  app: App,
  user: Pick<TestUser, 'username' | 'password'> & Partial<TestUser>,
): Promise<TestUser> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login/',
    payload: { username: user.username, password: user.password },
  })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  const { access, refresh, user: out } = response.json().data
  return {
    id: out.id,
    username: out.username,
    email: out.email,
    password: user.password,
    access,
    refresh,
    auth: { authorization: `Bearer ${access}` },
  }
}
