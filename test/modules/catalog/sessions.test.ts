// Sessions, the catalog: creation, who sees which session, who may change it, the list's filters and
// orderings, page-number and keyset pagination (also while rows are inserted), and the capped count.
// HTTP through inject; rows checked with SQL where the API hides them.
import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { sessions } from '../../../src/modules/catalog/tables.js'
import { countRows, EXACT_COUNT_LIMIT } from '../../../src/platform/db/count.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { businessOf, makeSession, type SessionOut } from '../../helpers/factories.js'
import { makeTenants, type Tenants } from '../../helpers/tenants.js'

const ctx = useTestApp()
const db = () => ctx.app.deps.database.db
const call = (options: InjectOptions) => ctx.app.inject(options)

/** A lowercase tag found nowhere else in this file, so one test's rows never match another's search. */
const newTag = () => `t${randomBytes(4).toString('hex')}`

type Pagination = {
  page: number | null
  page_size: number
  total: number | null
  total_is_estimate: boolean
  total_pages: number | null
  next: string | null
  previous: string | null
  next_cursor: string | null
}

const base = { title: 'Session', duration: 60, price: '25', max_participants: 10 }

async function list(query: string, user?: TestUser | null, headers: Record<string, string> = {}) {
  const response = await call({ url: `/api/sessions/?${query}`, headers: { ...user?.auth, ...headers } })
  expect(response.statusCode, response.body).toBe(200)
  const body = response.json() as { data: SessionOut[]; meta: { pagination: Pagination } }
  return { rows: body.data, pagination: body.meta.pagination }
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id)

describe('create', () => {
  it('answers 201 for a creator, with business and creator embedded, a 2-place price, status active', async () => {
    const creator = await makeUser(ctx.app, { role: 'creator' })
    const business = await businessOf(ctx.app, creator)
    const whole = await makeSession(ctx.app, creator, { title: 'Yoga', price: '25' })
    expect(whole.business).toEqual(business)
    expect(whole.creator).toMatchObject({ id: creator.id, username: creator.username })
    expect(Object.keys(whole.creator).sort()).toEqual(['avatar', 'first_name', 'id', 'last_name', 'username'])
    expect(whole.price).toBe('25.00')
    expect(whole.status).toBe('active')
    expect(whole).toMatchObject({ title: 'Yoga', duration: 60, max_participants: 10, description: '' })
    const half = await makeSession(ctx.app, creator, { price: 12.5 })
    expect(half.price).toBe('12.50')
    const inactive = await makeSession(ctx.app, creator, { status: 'inactive' })
    expect(inactive.status).toBe('inactive')
    const detail = await call({ url: `/api/sessions/${whole.id}/` })
    expect(detail.statusCode).toBe(200)
    expect(detail.json().data).toEqual(whole)
  })

  it('refuses a plain user with no business (403) and an anonymous caller (401)', async () => {
    const user = await makeUser(ctx.app)
    const refused = await call({ method: 'POST', url: '/api/sessions/', headers: user.auth, payload: base })
    expect(refused.statusCode).toBe(403)
    const anonymous = await call({ method: 'POST', url: '/api/sessions/', payload: base })
    expect(anonymous.statusCode).toBe(401)
    // Even with an invalid body: authentication comes first.
    const anonymousBad = await call({ method: 'POST', url: '/api/sessions/', payload: { duration: 1 } })
    expect(anonymousBad.statusCode).toBe(401)
  })

  it('validates duration, price and max_participants (400 naming each field)', async () => {
    const creator = await makeUser(ctx.app, { role: 'creator' })
    for (const [payload, fields] of [
      [{ duration: 4 }, ['duration']],
      [{ duration: 1441 }, ['duration']],
      [{ price: -1 }, ['price']],
      [{ price: '-1' }, ['price']],
      [{ max_participants: 0 }, ['max_participants']],
      [{ duration: 4, price: -1, max_participants: 0 }, ['duration', 'max_participants', 'price']],
    ] as const) {
      const response = await call({
        method: 'POST',
        url: '/api/sessions/',
        headers: creator.auth,
        payload: { ...base, ...payload },
      })
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().code).toBe('validation_error')
      expect(Object.keys(response.json().errors).sort(), JSON.stringify(payload)).toEqual(fields)
    }
    // The bounds themselves are allowed.
    expect((await makeSession(ctx.app, creator, { duration: 5, price: 0, max_participants: 1 })).price).toBe(
      '0.00',
    )
    expect((await makeSession(ctx.app, creator, { duration: 1440, max_participants: 10_000 })).duration).toBe(
      1440,
    )
  })
})

describe('visibility', () => {
  let t: Tenants
  let tag: string
  let active: SessionOut
  let inactive: SessionOut
  let otherActive: SessionOut
  let otherInactive: SessionOut

  beforeAll(async () => {
    t = await makeTenants(ctx.app)
    tag = newTag()
    active = await makeSession(ctx.app, t.A.owner, { title: `${tag} A active` })
    inactive = await makeSession(ctx.app, t.A.manager, { title: `${tag} A inactive`, status: 'inactive' })
    otherActive = await makeSession(ctx.app, t.B.owner, { title: `${tag} B active` })
    otherInactive = await makeSession(ctx.app, t.B.owner, { title: `${tag} B inactive`, status: 'inactive' })
  })

  it('shows anonymous callers only active sessions of active businesses', async () => {
    const { rows } = await list(`search=${tag}`)
    expect(ids(rows).sort()).toEqual([active.id, otherActive.id].sort())
    // Staff of A without the header see the public list too.
    const staff = await list(`search=${tag}`, t.A.owner)
    expect(ids(staff.rows).sort()).toEqual([active.id, otherActive.id].sort())
  })

  it('answers 404 for an inactive session to anonymous callers and outsiders, 200 to its staff', async () => {
    const url = `/api/sessions/${inactive.id}/`
    expect((await call({ url })).statusCode).toBe(404)
    expect((await call({ url, headers: t.outsider.auth })).statusCode).toBe(404)
    expect((await call({ url, headers: t.B.owner.auth })).statusCode).toBe(404)
    for (const role of ['owner', 'admin', 'manager', 'agent'] as const)
      expect((await call({ url, headers: t.A[role].auth })).statusCode, role).toBe(200)
    expect((await call({ url, headers: t.platformAdmin.auth })).statusCode).toBe(200)
    // Another business's active session is public.
    expect(
      (await call({ url: `/api/sessions/${otherActive.id}/`, headers: t.A.agent.auth })).statusCode,
    ).toBe(200)
    expect(
      (await call({ url: `/api/sessions/${otherInactive.id}/`, headers: t.A.owner.auth })).statusCode,
    ).toBe(404)
  })

  it("adds the inactive sessions of the caller's business with X-Business-ID", async () => {
    for (const role of ['owner', 'agent'] as const) {
      const { rows } = await list(`search=${tag}`, t.A[role], { 'x-business-id': t.A.id })
      expect(ids(rows).sort(), role).toEqual([active.id, inactive.id, otherActive.id].sort())
    }
  })

  it('ignores a foreign or malformed X-Business-ID on the public list', async () => {
    for (const header of [t.B.id, 'not-a-uuid']) {
      const { rows } = await list(`search=${tag}`, t.A.owner, { 'x-business-id': header })
      expect(ids(rows).sort(), header).toEqual([active.id, otherActive.id].sort())
    }
    const anonymous = await list(`search=${tag}`, null, { 'x-business-id': t.A.id })
    expect(ids(anonymous.rows).sort()).toEqual([active.id, otherActive.id].sort())
  })

  it('shows the same rows on numbered pages (their ids chosen first) as on one page, for anyone', async () => {
    const own = newTag()
    const closed = await makeUser(ctx.app, { role: 'creator' })
    const closedBusiness = await businessOf(ctx.app, closed)
    await makeSession(ctx.app, closed, { title: `${own} closed business` })
    await call({
      method: 'PATCH',
      url: `/api/businesses/${closedBusiness.id}/`,
      headers: closed.auth,
      payload: { is_active: false },
    })
    for (const [who, status] of [
      [t.A.owner, 'active'],
      [t.A.manager, 'inactive'],
      [t.B.owner, 'active'],
      [t.B.owner, 'inactive'],
      [t.A.owner, 'active'],
    ] as const)
      await makeSession(ctx.app, who, { title: `${own} ${status}`, status })
    const viewers = [
      [null, {}, 3],
      [t.A.agent, { 'x-business-id': t.A.id }, 4],
      [closed, { 'x-business-id': closedBusiness.id }, 4],
    ] as const
    for (const [user, headers, expected] of viewers) {
      const whole = ids((await list(`search=${own}&page_size=100`, user, headers)).rows)
      expect(whole).toHaveLength(expected)
      const paged: string[] = []
      for (let page = 1; page <= expected + 1; page += 1)
        paged.push(...ids((await list(`search=${own}&page_size=1&page=${page}`, user, headers)).rows))
      expect(paged, user?.username ?? 'anonymous').toEqual(whole)
    }
    const { slug } = await businessOf(ctx.app, t.A.owner)
    const bySlug = (page: number) => list(`search=${own}&business=${slug}&page_size=1&page=${page}`)
    expect([...ids((await bySlug(1)).rows), ...ids((await bySlug(2)).rows)]).toHaveLength(2)
    expect((await bySlug(3)).rows).toEqual([])
  })

  it('drops the sessions of a deactivated business from the public list', async () => {
    const creator = await makeUser(ctx.app, { role: 'creator' })
    const business = await businessOf(ctx.app, creator)
    const own = newTag()
    const session = await makeSession(ctx.app, creator, { title: `${own} soon hidden` })
    expect(ids((await list(`search=${own}`)).rows)).toEqual([session.id])
    const patched = await call({
      method: 'PATCH',
      url: `/api/businesses/${business.id}/`,
      headers: creator.auth,
      payload: { is_active: false },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect((await list(`search=${own}`)).rows).toEqual([])
    expect((await call({ url: `/api/sessions/${session.id}/` })).statusCode).toBe(404)
    // Its staff still see it.
    expect((await call({ url: `/api/sessions/${session.id}/`, headers: creator.auth })).statusCode).toBe(200)
    const staff = await list(`search=${own}`, creator, { 'x-business-id': business.id })
    expect(ids(staff.rows)).toEqual([session.id])
  })
})

describe('change rules', () => {
  let t: Tenants

  beforeAll(async () => {
    t = await makeTenants(ctx.app)
  })

  const change = (user: TestUser | null, method: 'PATCH' | 'PUT' | 'DELETE', id: string) =>
    call({
      method,
      url: `/api/sessions/${id}/`,
      headers: { ...user?.auth },
      ...(method === 'PATCH' && { payload: { title: 'Changed' } }),
      ...(method === 'PUT' && { payload: { ...base, title: 'Replaced', price: 30 } }),
    })

  it('lets the creator and the owner, admin and manager of its business change and delete it', async () => {
    // The manager creates each session, so the admin and owner change one they did not create.
    for (const role of ['manager', 'admin', 'owner'] as const) {
      const session = await makeSession(ctx.app, t.A.manager)
      const actor = t.A[role]
      const patched = await change(actor, 'PATCH', session.id)
      expect(patched.statusCode, `${role} ${patched.body}`).toBe(200)
      expect(patched.json().data.title).toBe('Changed')
      expect(patched.json().message).toBeDefined()
      const put = await change(actor, 'PUT', session.id)
      expect(put.statusCode, role).toBe(200)
      expect(put.json().data).toMatchObject({ title: 'Replaced', price: '30.00' })
      const deleted = await change(actor, 'DELETE', session.id)
      expect(deleted.statusCode, role).toBe(200)
      expect(deleted.json()).toMatchObject({ data: null, message: 'Deleted' })
    }
    // A creator changing their own session.
    const ownCreator = await makeUser(ctx.app, { role: 'creator' })
    const own = await makeSession(ctx.app, ownCreator)
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const)
      expect((await change(ownCreator, method, own.id)).statusCode, method).toBe(200)
  })

  it('refuses an agent (403), another business on an active session (403) and an inactive one (404)', async () => {
    const activeSession = await makeSession(ctx.app, t.A.owner)
    const inactiveSession = await makeSession(ctx.app, t.A.owner, { status: 'inactive' })
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      expect((await change(t.A.agent, method, activeSession.id)).statusCode, method).toBe(403)
      expect((await change(t.A.agent, method, inactiveSession.id)).statusCode, method).toBe(403)
      expect((await change(t.B.owner, method, activeSession.id)).statusCode, method).toBe(403)
      expect((await change(t.B.owner, method, inactiveSession.id)).statusCode, method).toBe(404)
      expect((await change(t.outsider, method, activeSession.id)).statusCode, method).toBe(403)
      expect((await change(null, method, activeSession.id)).statusCode, method).toBe(401)
    }
    // Nothing changed.
    const detail = await call({ url: `/api/sessions/${activeSession.id}/` })
    expect(detail.json().data.title).toBe(base.title)
  })

  it('deletes softly: 404 afterwards, gone from lists, the row kept with is_deleted, audited', async () => {
    const tag = newTag()
    const session = await makeSession(ctx.app, t.A.owner, { title: `${tag} doomed` })
    expect((await change(t.A.owner, 'PATCH', session.id)).statusCode).toBe(200)
    // The PATCH renamed it; put the tag back for the list check.
    const renamed = await call({
      method: 'PATCH',
      url: `/api/sessions/${session.id}/`,
      headers: t.A.owner.auth,
      payload: { title: `${tag} doomed` },
    })
    expect(renamed.statusCode).toBe(200)
    expect(ids((await list(`search=${tag}`)).rows)).toEqual([session.id])
    expect((await change(t.A.owner, 'DELETE', session.id)).statusCode).toBe(200)
    expect((await call({ url: `/api/sessions/${session.id}/` })).statusCode).toBe(404)
    expect((await call({ url: `/api/sessions/${session.id}/`, headers: t.A.owner.auth })).statusCode).toBe(
      404,
    )
    expect((await change(t.A.owner, 'DELETE', session.id)).statusCode).toBe(404)
    expect((await change(t.A.owner, 'PATCH', session.id)).statusCode).toBe(404)
    expect((await list(`search=${tag}`)).rows).toEqual([])
    expect((await list(`search=${tag}`, t.A.owner, { 'x-business-id': t.A.id })).rows).toEqual([])
    const [row] = await db().select().from(sessions).where(eq(sessions.id, session.id))
    expect(row).toMatchObject({ isDeleted: true, deletedBy: t.A.owner.id })
    expect(row?.deletedAt).toBeInstanceOf(Date)

    const audit = await call({
      url: `/api/audit-log/?entity=session&entity_id=${session.id}&page_size=100`,
      headers: t.A.owner.auth,
    })
    expect(audit.statusCode, audit.body).toBe(200)
    const entries = audit.json().data as {
      action: string
      entity: string
      changes: Record<string, unknown>
    }[]
    expect(entries.every((entry) => entry.entity === 'session')).toBe(true)
    expect(entries.map((entry) => entry.action).sort()).toEqual(['create', 'delete', 'update', 'update'])
    const created = entries.find((entry) => entry.action === 'create')
    expect(created?.changes.title).toEqual([null, `${tag} doomed`])
    expect(created?.changes.price).toEqual([null, '25.00'])
    expect(entries.find((entry) => entry.action === 'delete')?.changes).toEqual({})
  })
})

describe('filters and ordering', () => {
  let creator: TestUser
  let other: TestUser
  let business: { id: string; slug: string }
  let tag: string
  let all: SessionOut[]

  beforeAll(async () => {
    creator = await makeUser(ctx.app, { role: 'creator' })
    other = await makeUser(ctx.app, { role: 'creator' })
    business = await businessOf(ctx.app, creator)
    tag = newTag()
    const specs = [
      { title: `${tag} alpha`, description: 'Morning YOGA', price: '10', duration: 30 },
      { title: `${tag} bravo`, description: '100% fun', price: '20.50', duration: 45 },
      { title: `${tag} charlie`, description: 'snake_case', price: '20.50', duration: 60 },
      {
        title: `${tag} delta`,
        description: 'plain',
        price: '99.99',
        duration: 90,
        status: 'inactive' as const,
      },
      { title: `${tag} echo`, description: 'Snakecase', price: '0', duration: 5 },
      { title: `${tag} foxtrot`, description: 'nothing 100 here', price: '1000', duration: 1440 },
    ]
    all = []
    for (const spec of specs) all.push(await makeSession(ctx.app, creator, spec))
    all.push(
      await makeSession(ctx.app, other, {
        title: `${tag} golf`,
        description: 'yoga too',
        price: '15',
        duration: 30,
      }),
    )
  })

  /** The tagged rows the caller sees for `query` (staff of the creator's business, so inactive ones too). */
  const titles = async (query: string) => {
    const { rows } = await list(`search=${tag}&page_size=100&${query}`, creator, {
      'x-business-id': business.id,
    })
    return rows.map((row) => row.title.slice(tag.length + 1))
  }

  it('searches title and description, case-insensitively, taking % and _ literally', async () => {
    const search = async (word: string) => {
      const { rows } = await list(`search=${encodeURIComponent(word)}&page_size=100`, creator, {
        'x-business-id': business.id,
      })
      return rows
        .filter((row) => row.title.startsWith(tag))
        .map((row) => row.title.slice(tag.length + 1))
        .sort()
    }
    expect(await search('yoga')).toEqual(['alpha', 'golf'])
    expect(await search('ALPHA')).toEqual(['alpha'])
    expect(await search(`${tag.toUpperCase()} BRA`)).toEqual(['bravo'])
    expect(await search('100%')).toEqual(['bravo'])
    expect(await search('%')).toEqual(['bravo'])
    expect(await search('snake_case')).toEqual(['charlie'])
    expect(await search('e_c')).toEqual(['charlie'])
    // Without escaping, `_` would match any character ("Snakecase" has "kec").
    expect(await search('k_c')).toEqual([])
    // The search term alone, anonymous: the inactive delta is hidden.
    const anonymous = await list(`search=${tag}&page_size=100`)
    expect(anonymous.rows.map((row) => row.title.slice(tag.length + 1)).sort()).toEqual(
      ['alpha', 'bravo', 'charlie', 'echo', 'foxtrot', 'golf'].sort(),
    )
  })

  it('filters by status, creator and business (slug or id)', async () => {
    expect((await titles('status=inactive')).sort()).toEqual(['delta'])
    expect((await titles('status=active')).sort()).toEqual([
      'alpha',
      'bravo',
      'charlie',
      'echo',
      'foxtrot',
      'golf',
    ])
    expect((await titles(`creator=${other.id}`)).sort()).toEqual(['golf'])
    expect((await titles(`creator=${creator.id}`)).sort()).toEqual([
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
      'foxtrot',
    ])
    const mine = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']
    expect((await titles(`business=${business.slug}`)).sort()).toEqual(mine)
    expect((await titles(`business=${business.id}`)).sort()).toEqual(mine)
    const otherBusiness = await businessOf(ctx.app, other)
    expect((await titles(`business=${otherBusiness.slug}`)).sort()).toEqual(['golf'])
    expect(await titles('business=no-such-business')).toEqual([])
    const badCreator = await call({ url: '/api/sessions/?creator=nope' })
    expect(badCreator.statusCode).toBe(400)
  })

  it('filters by price and duration ranges, bounds included', async () => {
    expect((await titles('min_price=20.5')).sort()).toEqual(['bravo', 'charlie', 'delta', 'foxtrot'])
    expect((await titles('max_price=15')).sort()).toEqual(['alpha', 'echo', 'golf'])
    expect((await titles('min_price=15&max_price=20.50')).sort()).toEqual(['bravo', 'charlie', 'golf'])
    expect((await titles('max_price=0')).sort()).toEqual(['echo'])
    expect((await titles('min_duration=60')).sort()).toEqual(['charlie', 'delta', 'foxtrot'])
    expect((await titles('max_duration=30')).sort()).toEqual(['alpha', 'echo', 'golf'])
    expect((await titles('min_duration=31&max_duration=90')).sort()).toEqual(['bravo', 'charlie', 'delta'])
    expect((await call({ url: '/api/sessions/?min_price=-1' })).statusCode).toBe(400)
    expect((await call({ url: '/api/sessions/?min_price=abc' })).statusCode).toBe(400)
  })

  it('orders by every ordering, ascending and descending, with ties broken by id', async () => {
    const key = {
      created_at: (row: SessionOut) => row.created_at,
      price: (row: SessionOut) => Number(row.price),
      duration: (row: SessionOut) => row.duration,
      title: (row: SessionOut) => row.title,
    }
    for (const [field, of] of Object.entries(key)) {
      for (const descending of [false, true]) {
        const ordering = `${descending ? '-' : ''}${field}`
        const { rows } = await list(`search=${tag}&page_size=100&ordering=${ordering}`, creator, {
          'x-business-id': business.id,
        })
        expect(rows).toHaveLength(all.length)
        const sign = descending ? -1 : 1
        const expected = [...rows].sort((a, b) => {
          const [x, y] = [of(a), of(b)]
          if (x !== y) return (x < y ? -1 : 1) * sign
          return (a.id < b.id ? -1 : 1) * sign
        })
        expect(ids(rows), ordering).toEqual(ids(expected))
      }
    }
    // The default is newest first.
    const byDefault = await list(`search=${tag}&page_size=100`, creator, { 'x-business-id': business.id })
    const newest = await list(`search=${tag}&page_size=100&ordering=-created_at`, creator, {
      'x-business-id': business.id,
    })
    expect(ids(byDefault.rows)).toEqual(ids(newest.rows))
  })

  it('refuses an unknown ordering (400)', async () => {
    for (const ordering of ['id', '-is_deleted', 'price,title', '--price']) {
      const response = await call({ url: `/api/sessions/?ordering=${encodeURIComponent(ordering)}` })
      expect(response.statusCode, ordering).toBe(400)
      expect(response.json().code).toBe('validation_error')
    }
  })
})

describe('pagination', () => {
  const COUNT = 25
  let creator: TestUser
  let business: { id: string; slug: string }

  beforeAll(async () => {
    creator = await makeUser(ctx.app, { role: 'creator' })
    business = await businessOf(ctx.app, creator)
    const words = ['apple', 'banana', 'cherry', 'date', 'elder']
    for (let i = 0; i < COUNT; i += 1) {
      await makeSession(ctx.app, creator, {
        // Many ties on every column: 5 titles, 3 prices, 4 durations.
        title: words[i % words.length],
        price: ['10', '20', '10.00'][i % 3],
        duration: [30, 60, 30, 90][i % 4],
      })
    }
  })

  const scope = () => `business=${business.id}`

  /** Every row of the list through `next_cursor`, page by page. */
  async function walkCursor(query: string, between?: (page: number) => Promise<void>) {
    const seen: string[] = []
    let { rows, pagination } = await list(`${query}&page_size=4`)
    let pages = 1
    seen.push(...ids(rows))
    while (pagination.next_cursor) {
      await between?.(pages)
      // The first page is page-numbered (its `next` is page=2); cursor pages link by cursor.
      if (pages > 1) expect(pagination.next).toContain(`cursor=${pagination.next_cursor}`)
      ;({ rows, pagination } = await list(`${query}&page_size=4&cursor=${pagination.next_cursor}`))
      expect(pagination.page).toBeNull()
      // The first page gave the total; cursor pages do not count again.
      expect(pagination.total).toBeNull()
      pages += 1
      if (pages > 50) throw new Error('the cursor walk does not end')
      seen.push(...ids(rows))
    }
    expect(pagination.next).toBeNull()
    return seen
  }

  /** Every row of the list through `?page=`. */
  async function walkPages(query: string) {
    const seen: string[] = []
    for (let page = 1; ; page += 1) {
      const { rows, pagination } = await list(`${query}&page_size=4&page=${page}`)
      seen.push(...ids(rows))
      if (!pagination.next) return seen
    }
  }

  it('reports totals, total_pages and page links', async () => {
    const first = await list(`${scope()}&page_size=4&page=1`)
    expect(first.rows).toHaveLength(4)
    expect(first.pagination).toMatchObject({
      page: 1,
      page_size: 4,
      total: COUNT,
      total_is_estimate: false,
      total_pages: 7,
      previous: null,
    })
    expect(first.pagination.next).toMatch(/page=2/)
    const second = await list(`${scope()}&page_size=4&page=2`)
    expect(second.pagination.previous).not.toBeNull()
    expect(second.pagination.previous).not.toMatch(/page=/)
    expect(second.pagination.next).toMatch(/page=3/)
    const last = await list(`${scope()}&page_size=4&page=7`)
    expect(last.rows).toHaveLength(1)
    expect(last.pagination).toMatchObject({
      page: 7,
      total: COUNT,
      total_pages: 7,
      next: null,
      next_cursor: null,
    })
    expect(last.pagination.previous).toMatch(/page=6/)
    const beyond = await list(`${scope()}&page_size=4&page=8`)
    expect(beyond.rows).toEqual([])
    // Filters narrow the total.
    const tens = await list(`${scope()}&page_size=4&max_price=10`)
    expect(tens.pagination.total).toBe(17)
    expect(tens.pagination.total_pages).toBe(5)
    const none = await list(`${scope()}&page_size=4&min_price=1000`)
    expect(none.pagination).toMatchObject({ total: 0, total_pages: 1, next: null, next_cursor: null })
    // The first page (no page, no cursor) carries a next_cursor.
    const start = await list(`${scope()}&page_size=4`)
    expect(start.pagination.next_cursor).toEqual(expect.any(String))
  })

  it('walks every row exactly once through next_cursor, as the page numbers do, in every ordering', async () => {
    for (const ordering of [
      '-created_at',
      'created_at',
      'price',
      '-price',
      'duration',
      '-duration',
      'title',
      '-title',
    ]) {
      const query = `${scope()}&ordering=${ordering}`
      const byCursor = await walkCursor(query)
      expect(byCursor, ordering).toHaveLength(COUNT)
      expect(new Set(byCursor).size, ordering).toBe(COUNT)
      expect(byCursor, ordering).toEqual(await walkPages(query))
    }
  })

  it('skips and repeats none of the original rows when sessions are inserted between pages', async () => {
    for (const ordering of ['-created_at', 'price']) {
      const query = `${scope()}&ordering=${ordering}`
      const before = await walkPages(query)
      const added: string[] = []
      const seen = await walkCursor(query, async (page) => {
        if (page > 3) return
        for (const price of ['10', '15'])
          added.push((await makeSession(ctx.app, creator, { title: 'apple', price })).id)
      })
      const original = seen.filter((id) => !added.includes(id))
      expect(original, ordering).toEqual(before)
      expect(new Set(seen).size, ordering).toBe(seen.length)
      // Clean up, so the next ordering starts from the same rows.
      for (const id of added) {
        const response = await call({ method: 'DELETE', url: `/api/sessions/${id}/`, headers: creator.auth })
        expect(response.statusCode).toBe(200)
      }
    }
  })

  it('refuses cursor with page (400 bad_request) and a forged cursor (400)', async () => {
    const { pagination } = await list(`${scope()}&page_size=4`)
    const both = await call({ url: `/api/sessions/?page=2&cursor=${pagination.next_cursor}` })
    expect(both.statusCode).toBe(400)
    expect(both.json().code).toBe('bad_request')
    const forged = [
      'garbage',
      Buffer.from('[2,"x","y"]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1,{"a":1},"y"]').toString('base64url'),
    ]
    for (const cursor of forged) {
      const response = await call({ url: `/api/sessions/?${scope()}&cursor=${cursor}` })
      expect(response.statusCode, `${cursor} ${response.body}`).toBe(400)
    }
  })

  it('refuses a well-formed cursor whose values do not fit the ordering (400, not 500)', async () => {
    for (const [ordering, position] of [
      ['price', ['not-a-number', '00000000-0000-0000-0000-000000000000']],
      ['-created_at', ['yesterday-ish', '00000000-0000-0000-0000-000000000000']],
      ['title', ['x', 'not-a-uuid']],
      ['duration', ['1.5', '00000000-0000-0000-0000-000000000000']],
    ] as const) {
      const cursor = Buffer.from(JSON.stringify([1, ...position])).toString('base64url')
      const response = await call({ url: `/api/sessions/?${scope()}&ordering=${ordering}&cursor=${cursor}` })
      expect(response.statusCode, `${ordering} ${response.body}`).toBe(400)
    }
  })
})

describe('countRows', () => {
  it('counts exactly up to EXACT_COUNT_LIMIT', async () => {
    expect(await countRows(db(), sql`from generate_series(1, 3) as g where true`)).toEqual({
      count: 3,
      isEstimate: false,
    })
    expect(
      await countRows(
        db(),
        sql`from generate_series(1, ${sql.raw(String(EXACT_COUNT_LIMIT))}) as g where g > 0`,
      ),
    ).toEqual({ count: EXACT_COUNT_LIMIT, isEstimate: false })
    const [live] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(sessions)
      .where(sql`not ${sessions.isDeleted}`)
    expect(await countRows(db(), sql`from ${sessions} where not ${sessions.isDeleted}`)).toEqual({
      count: live?.n,
      isEstimate: false,
    })
  })

  it("answers the planner's estimate above the limit, never less than the capped count", async () => {
    // A set-returning function crosses the threshold without a table of 10,000 rows; the planner
    // knows generate_series' row count from its constant arguments.
    const rows = EXACT_COUNT_LIMIT * 3
    const result = await countRows(db(), sql`from generate_series(1, ${sql.raw(String(rows))}) as g`)
    expect(result.isEstimate).toBe(true)
    expect(result.count).toBeGreaterThan(EXACT_COUNT_LIMIT)
    expect(result.count).toBe(rows)
  })

  it('never counts past the cap when the estimate is too low', async () => {
    // The planner guesses 0.5% for an equality on an expression: 25 of these 5,000 rows, not 2,500.
    const result = await countRows(db(), sql`from generate_series(1, 5000) as g where g % 2 = 0`)
    expect(result).toEqual({ count: EXACT_COUNT_LIMIT + 1, isEstimate: true })
  })
})
