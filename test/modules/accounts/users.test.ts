import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { login, makeAdmin, makeUser, type TestUser, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const ctx = useTestApp()

type UserOut = { id: string; username: string; email: string; role: string; is_active: boolean } & Record<
  string,
  unknown
>

const USER_KEYS = [
  'avatar',
  'date_joined',
  'email',
  'email_verified',
  'first_name',
  'id',
  'is_active',
  'is_staff',
  'last_name',
  'phone',
  'role',
  'two_factor_enabled',
  'username',
]
const SECRET_KEYS = ['password', 'totp_secret', 'recovery_codes']

/** Fails on any object key naming a secret, and on anything that looks like an Argon2 hash. */
function expectNoSecrets(response: LightMyRequestResponse) {
  expect(response.body).not.toContain('$argon2')
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk)
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        expect(SECRET_KEYS, `key "${key}" in ${response.body}`).not.toContain(key)
        walk(inner)
      }
    }
  }
  walk(response.json())
}

/** Every /api/users/ call goes through here: its body is checked for secrets. */
async function call(options: InjectOptions) {
  const response = await ctx.app.inject(options)
  expectNoSecrets(response)
  return response
}

const list = (query: string, who: TestUser) => call({ url: `/api/users/${query}`, headers: who.auth })

/** `next` links are absolute; inject wants the path and query. */
function pathOf(link: string): string {
  const url = new URL(link)
  return `${url.pathname}${url.search}`
}

/** A string found nowhere else in this file's users, for `?search=` to select a group of them. */
const newTag = () => `zq${randomBytes(4).toString('hex')}`

async function makeTagged(tag: string, count: number): Promise<TestUser[]> {
  const made: TestUser[] = []
  for (let i = 0; i < count; i += 1) made.push(await makeUser(ctx.app, { username: `${tag}_${i}` }))
  return made
}

const ids = (rows: UserOut[]) => rows.map((user) => user.id)

let admin: TestUser
beforeAll(async () => {
  admin = await makeAdmin(ctx.app)
})

describe('GET /api/users/', () => {
  it('needs a login (401) and a platform admin (403)', async () => {
    const anonymous = await call({ url: '/api/users/' })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().code).toBe('not_authenticated')

    const plain = await makeUser(ctx.app)
    const refused = await list('', plain)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('permission_denied')
  })

  it('answers an admin with users in the list envelope', async () => {
    const someone = await makeUser(ctx.app)
    const response = await list('', admin)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(Object.keys(body).sort()).toEqual(['data', 'meta'])
    expect(Object.keys(body.meta.pagination).sort()).toEqual(
      [
        'next',
        'next_cursor',
        'page',
        'page_size',
        'previous',
        'total',
        'total_is_estimate',
        'total_pages',
      ].sort(),
    )
    expect(body.meta.pagination).toMatchObject({
      page: 1,
      page_size: 20,
      previous: null,
      total_is_estimate: false,
    })
    expect(body.meta.pagination.total).toBeGreaterThanOrEqual(2)
    expect(body.meta.pagination.total_pages).toBe(Math.max(1, Math.ceil(body.meta.pagination.total / 20)))
    for (const user of body.data) expect(Object.keys(user).sort()).toEqual(USER_KEYS)
    expect(ids(body.data)).toEqual(expect.arrayContaining([admin.id, someone.id]))
    // Default ordering: newest first.
    expect(ids(body.data).indexOf(someone.id)).toBeLessThan(ids(body.data).indexOf(admin.id))
  })

  it('searches username, email, first and last name case-insensitively', async () => {
    const tag = newTag()
    const byUsername = await makeUser(ctx.app, { username: `${tag}Name` })
    const byEmail = await makeUser(ctx.app, { email: `${uniqueName('mail')}@${tag}.example.com` })
    const byFirst = await makeUser(ctx.app)
    const byLast = await makeUser(ctx.app)
    const unrelated = await makeUser(ctx.app)
    for (const [user, field] of [
      [byFirst, 'first_name'],
      [byLast, 'last_name'],
    ] as const) {
      const patched = await call({
        method: 'PATCH',
        url: `/api/users/${user.id}/`,
        headers: user.auth,
        payload: { [field]: `Mc${tag.toUpperCase()}ly` },
      })
      expect(patched.statusCode).toBe(200)
    }

    for (const term of [tag, tag.toUpperCase(), tag.slice(1, 6)]) {
      const response = await list(`?search=${term}`, admin)
      expect(response.statusCode).toBe(200)
      expect(ids(response.json().data).sort(), term).toEqual(
        [byUsername.id, byEmail.id, byFirst.id, byLast.id].sort(),
      )
      expect(response.json().meta.pagination.total).toBe(4)
    }
    expect(ids((await list(`?search=${tag}`, admin)).json().data)).not.toContain(unrelated.id)

    // LIKE wildcards are searched for literally.
    for (const term of [`${tag}%25`, `${tag.slice(0, 3)}_${tag.slice(4)}`]) {
      const response = await list(`?search=${term}`, admin)
      expect(response.json().data, term).toEqual([])
    }
  })

  it('filters by role', async () => {
    const tag = newTag()
    const creator = await makeUser(ctx.app, { username: `${tag}_creator`, role: 'creator' })
    const plain = await makeUser(ctx.app, { username: `${tag}_user` })

    const creators = (await list('?role=creator&page_size=100', admin)).json()
    expect(creators.data.every((user: UserOut) => user.role === 'creator')).toBe(true)
    expect(ids(creators.data)).toContain(creator.id)
    expect(ids(creators.data)).not.toContain(plain.id)

    const tagged = (await list(`?role=creator&search=${tag}`, admin)).json()
    expect(ids(tagged.data)).toEqual([creator.id])
    expect(tagged.meta.pagination.total).toBe(1)

    const admins = (await list('?role=admin&page_size=100', admin)).json()
    expect(ids(admins.data)).toContain(admin.id)

    expect((await list('?role=owner', admin)).statusCode).toBe(400)
  })

  it('filters by is_active', async () => {
    const tag = newTag()
    const [active, inactive] = await makeTagged(tag, 2)
    const patched = await call({
      method: 'PATCH',
      url: `/api/users/${inactive?.id}/`,
      headers: admin.auth,
      payload: { is_active: false },
    })
    expect(patched.statusCode).toBe(200)

    const off = (await list('?is_active=false&page_size=100', admin)).json()
    expect(off.data.every((user: UserOut) => user.is_active === false)).toBe(true)
    expect(ids(off.data)).toContain(inactive?.id)
    expect(ids(off.data)).not.toContain(active?.id)

    const on = (await list(`?is_active=true&search=${tag}`, admin)).json()
    expect(ids(on.data)).toEqual([active?.id])
    const both = (await list(`?search=${tag}`, admin)).json()
    expect(both.meta.pagination.total).toBe(2)
  })

  it('orders by username, ascending and descending, ignoring case', async () => {
    const tag = newTag()
    const b = await makeUser(ctx.app, { username: `${tag}_b` })
    const a = await makeUser(ctx.app, { username: `${tag}_A` })
    const c = await makeUser(ctx.app, { username: `${tag}_c` })

    const ascending = (await list(`?search=${tag}&ordering=username`, admin)).json()
    expect(ids(ascending.data)).toEqual([a.id, b.id, c.id])
    const descending = (await list(`?search=${tag}&ordering=-username`, admin)).json()
    expect(ids(descending.data)).toEqual([c.id, b.id, a.id])

    const bogus = await list('?ordering=bogus', admin)
    expect(bogus.statusCode).toBe(400)
    expect(['validation_error', 'bad_request']).toContain(bogus.json().code)
  })

  it('pages with page_size, totals and next/previous links', async () => {
    const tag = newTag()
    const made = await makeTagged(tag, 5)
    const expected = made.map((user) => user.id)

    const seen: string[] = []
    let path: string | null = `/api/users/?search=${tag}&ordering=username&page_size=2`
    for (let page = 1; path; page += 1) {
      const response = await call({ url: path, headers: admin.auth })
      expect(response.statusCode).toBe(200)
      const { data, meta } = response.json()
      expect(meta.pagination).toMatchObject({ page, page_size: 2, total: 5, total_pages: 3 })
      expect(data).toHaveLength(page < 3 ? 2 : 1)
      if (page === 1) expect(meta.pagination.previous).toBeNull()
      else
        expect(new URL(meta.pagination.previous).searchParams.get('page')).toBe(
          page === 2 ? null : String(page - 1),
        )
      if (page < 3) {
        const next = new URL(meta.pagination.next)
        expect(next.pathname).toBe('/api/users/')
        expect(Object.fromEntries(next.searchParams)).toEqual({
          search: tag,
          ordering: 'username',
          page_size: '2',
          page: String(page + 1),
        })
      } else {
        expect(meta.pagination.next).toBeNull()
        expect(meta.pagination.next_cursor).toBeNull()
      }
      seen.push(...ids(data))
      path = meta.pagination.next ? pathOf(meta.pagination.next) : null
    }
    expect(seen).toEqual(expected)

    const beyond = (await list(`?search=${tag}&page_size=2&page=4`, admin)).json()
    expect(beyond.data).toEqual([])
  })

  it('walks every ordering with cursors without skipping or repeating a row', async () => {
    const tag = newTag()
    const made = await makeTagged(tag, 7)
    // Some users logged in (last_login set), the rest never did (they sort first).
    for (const user of made.slice(0, 3)) await login(ctx.app, user)

    const orderings = ['username', 'email', 'date_joined', 'last_login']
    for (const ordering of [...orderings, ...orderings.map((field) => `-${field}`), null]) {
      const base = `/api/users/?search=${tag}&page_size=2${ordering ? `&ordering=${ordering}` : ''}`

      const byPage: string[] = []
      let totalPages = 1
      for (let page = 1; page <= totalPages; page += 1) {
        const { data, meta } = (await call({ url: `${base}&page=${page}`, headers: admin.auth })).json()
        totalPages = meta.pagination.total_pages
        byPage.push(...ids(data))
      }

      const byCursor: string[] = []
      let response = await call({ url: base, headers: admin.auth })
      for (let step = 0; step < 10; step += 1) {
        expect(response.statusCode, `${ordering}`).toBe(200)
        const { data, meta } = response.json()
        byCursor.push(...ids(data))
        expect(meta.pagination.total).toBe(7)
        const cursor = meta.pagination.next_cursor
        if (!cursor) break
        if (step > 0) {
          expect(meta.pagination.page).toBeNull()
          expect(new URL(meta.pagination.next).searchParams.get('cursor')).toBe(cursor)
        }
        response = await call({ url: `${base}&cursor=${cursor}`, headers: admin.auth })
      }

      expect(byPage, `${ordering}`).toHaveLength(7)
      expect(new Set(byPage).size, `${ordering}`).toBe(7)
      expect(byCursor, `${ordering}`).toEqual(byPage)
    }
  })

  it('walks cursors over users who joined in the same microsecond-precise instant', async () => {
    // Rows written with the column's default (now(): microseconds, one value per transaction), as a
    // seed or a bulk import would.
    const tag = newTag()
    await ctx.app.deps.database.db.insert(users).values(
      [0, 1, 2, 3, 4].map((i) => ({
        username: `${tag}_${i}`,
        email: `${tag}_${i}@example.com`,
        password: 'not-a-hash',
        lastLogin: i < 3 ? sql`now()` : null,
      })),
    )
    for (const ordering of ['date_joined', '-date_joined', 'last_login', '-last_login']) {
      const base = `/api/users/?search=${tag}&page_size=2&ordering=${ordering}`
      const seen: string[] = []
      let response = await call({ url: base, headers: admin.auth })
      for (let step = 0; step < 10; step += 1) {
        const { data, meta } = response.json()
        seen.push(...ids(data))
        if (!meta.pagination.next_cursor) break
        response = await call({ url: `${base}&cursor=${meta.pagination.next_cursor}`, headers: admin.auth })
      }
      expect(seen, ordering).toHaveLength(5)
      expect(new Set(seen).size, ordering).toBe(5)
    }
  })

  it('refuses page and cursor together, and a forged cursor', async () => {
    const first = (await list('?page_size=1', admin)).json()
    const cursor = first.meta.pagination.next_cursor
    expect(cursor).toEqual(expect.any(String))
    const both = await list(`?page=1&cursor=${cursor}`, admin)
    expect(both.statusCode).toBe(400)
    expect(both.json().code).toBe('bad_request')

    const forged = await list('?cursor=not-a-cursor', admin)
    expect(forged.statusCode).toBe(400)
    expect(forged.json()).toMatchObject({ code: 'validation_error', errors: { cursor: ['Invalid cursor.'] } })
  })
})

describe('/api/users/{id}/', () => {
  it('lets a user read and change themself, but not see anyone else', async () => {
    const user = await makeUser(ctx.app)
    const other = await makeUser(ctx.app)

    const own = await call({ url: `/api/users/${user.id}/`, headers: user.auth })
    expect(own.statusCode).toBe(200)
    expect(own.json().data).toMatchObject({ id: user.id, username: user.username, role: 'user' })
    expect(Object.keys(own.json().data).sort()).toEqual(USER_KEYS)

    const patched = await call({
      method: 'PATCH',
      url: `/api/users/${user.id}/`,
      headers: user.auth,
      payload: { first_name: 'Grace' },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      data: { id: user.id, first_name: 'Grace' },
      message: 'User updated',
    })

    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const response = await call({
        method,
        url: `/api/users/${other.id}/`,
        headers: user.auth,
        ...(method === 'PATCH' ? { payload: { first_name: 'Mallory' } } : {}),
      })
      expect(response.statusCode, method).toBe(404)
      expect(response.json().code).toBe('not_found')
    }
    const untouched = (await call({ url: `/api/users/${other.id}/`, headers: admin.auth })).json().data
    expect(untouched).toMatchObject({ first_name: '', is_active: true })

    expect((await call({ url: `/api/users/${other.id}/` })).statusCode).toBe(401)
  })

  it("ignores role, is_staff and is_active in a plain user's PATCH", async () => {
    const user = await makeUser(ctx.app)
    const response = await call({
      method: 'PATCH',
      url: `/api/users/${user.id}/`,
      headers: user.auth,
      payload: { role: 'admin', is_staff: true, is_active: false, last_name: 'Hopper' },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toMatchObject({
      last_name: 'Hopper',
      role: 'user',
      is_staff: false,
      is_active: true,
    })
    const stored = (await call({ url: `/api/users/${user.id}/`, headers: admin.auth })).json().data
    expect(stored).toMatchObject({ role: 'user', is_staff: false, is_active: true })
    // Still a plain user: the list stays closed, even with a fresh token.
    const again = await login(ctx.app, user)
    expect((await list('', again)).statusCode).toBe(403)
  })

  it("lets an admin change another user's role and deactivate them", async () => {
    const user = await makeUser(ctx.app)
    const promoted = await call({
      method: 'PATCH',
      url: `/api/users/${user.id}/`,
      headers: admin.auth,
      payload: { role: 'creator', is_staff: true },
    })
    expect(promoted.statusCode).toBe(200)
    expect(promoted.json().data).toMatchObject({ id: user.id, role: 'creator', is_staff: true })

    const deactivated = await call({
      method: 'PATCH',
      url: `/api/users/${user.id}/`,
      headers: admin.auth,
      payload: { is_active: false },
    })
    expect(deactivated.statusCode).toBe(200)
    expect(deactivated.json().data).toMatchObject({ role: 'creator', is_active: false })

    const refresh = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh/',
      payload: { refresh: user.refresh },
    })
    expect(refresh.statusCode).toBe(401)
    expect(refresh.json().code).toBe('token_invalid')
    await expect(login(ctx.app, user)).rejects.toThrow(/401/)

    const missing = await call({
      url: '/api/users/00000000-0000-4000-8000-000000000000/',
      headers: admin.auth,
    })
    expect(missing.statusCode).toBe(404)
  })

  it('deactivates on DELETE: the admin still sees the user, their tokens and login are dead', async () => {
    const user = await makeUser(ctx.app)
    const deleted = await call({ method: 'DELETE', url: `/api/users/${user.id}/`, headers: user.auth })
    expect(deleted.statusCode).toBe(200)
    expect(deleted.json()).toEqual({ data: null, message: 'Deleted' })

    const seen = await call({ url: `/api/users/${user.id}/`, headers: admin.auth })
    expect(seen.statusCode).toBe(200)
    expect(seen.json().data).toMatchObject({ id: user.id, is_active: false })
    const listed = (await list(`?search=${user.username}`, admin)).json()
    expect(listed.data).toEqual([expect.objectContaining({ id: user.id, is_active: false })])

    const refresh = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh/',
      payload: { refresh: user.refresh },
    })
    expect(refresh.statusCode).toBe(401)
    expect(refresh.json().code).toBe('token_invalid')

    const loggedIn = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login/',
      payload: { username: user.username, password: user.password },
    })
    expect(loggedIn.statusCode).toBe(401)
  })

  it('lets an admin DELETE another user', async () => {
    const user = await makeUser(ctx.app)
    const deleted = await call({ method: 'DELETE', url: `/api/users/${user.id}/`, headers: admin.auth })
    expect(deleted.statusCode).toBe(200)
    expect(deleted.json()).toEqual({ data: null, message: 'Deleted' })
    const seen = (await call({ url: `/api/users/${user.id}/`, headers: admin.auth })).json().data
    expect(seen.is_active).toBe(false)
  })
})
