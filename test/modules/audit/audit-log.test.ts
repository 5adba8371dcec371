// GET /api/audit-log/ and the audit rows behind it: their shape, what a change records, that a refused
// change records nothing, the filters, both paginations, and who sees which business's entries.
// Time moves only through the ManualClock; access tokens live long enough for the jumps below.
import { randomBytes } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import type { MembershipRole } from '../../../src/platform/tenancy.js'
import { invitationToken, makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { acceptInvitation, inviteAs } from '../../helpers/tenants.js'

const clock = new ManualClock(new Date('2026-03-01T09:00:00Z'))
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '365d' }, deps: { clock } })
const db = () => ctx.app.deps.database.db

type Entry = {
  id: string
  actor: { id: string; username: string } | null
  action: 'create' | 'update' | 'delete' | 'status_change'
  entity: string
  entity_id: string
  changes: Record<string, [unknown, unknown]>
  request_id: string | null
  at: string
}
type Business = { id: string; name: string; slug: string }

const call = (options: InjectOptions) => ctx.app.inject(options)
const newTag = () => `t${randomBytes(4).toString('hex')}`
/** Every change gets an instant of its own unless a test wants ties. */
const tick = () => clock.advance(1000)

async function createBusiness(owner: TestUser, name = `Biz ${newTag()}`): Promise<Business> {
  tick()
  const response = await call({
    method: 'POST',
    url: '/api/businesses/',
    headers: owner.auth,
    payload: { name },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}

/** `member` joins by invitation: the invitation and the accept each at an instant of their own. */
async function addMember(owner: TestUser, businessId: string, member: TestUser, role: MembershipRole) {
  tick()
  const invitation = await inviteAs(ctx.app, owner, businessId, member.email, role)
  tick()
  const response = await acceptInvitation(ctx.app, member, await invitationToken(ctx.app, invitation.id))
  expect(response.statusCode, response.body).toBe(201)
}

async function patchBusiness(who: TestUser, id: string, payload: Record<string, unknown>, headers = {}) {
  return call({
    method: 'PATCH',
    url: `/api/businesses/${id}/`,
    headers: { ...who.auth, ...headers },
    payload,
  })
}

/** One page of the audit log as `who` (in `businessId` when given). */
async function auditPage(who: TestUser, query = '', businessId?: string) {
  const response = await call({
    url: `/api/audit-log/${query ? `?${query}` : ''}`,
    headers: { ...who.auth, ...(businessId && { 'x-business-id': businessId }) },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as { data: Entry[]; meta: { pagination: Record<string, unknown> } }
}

/** Every entry matching `query`, walking `next` links. */
async function auditAll(who: TestUser, query = '', businessId?: string): Promise<Entry[]> {
  const entries: Entry[] = []
  let path: string | null = `/api/audit-log/?page_size=100${query ? `&${query}` : ''}`
  while (path) {
    const response = await call({
      url: path,
      headers: { ...who.auth, ...(businessId && { 'x-business-id': businessId }) },
    })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    entries.push(...body.data)
    const next: string | null = body.meta.pagination.next
    path = next ? `${new URL(next).pathname}${new URL(next).search}` : null
  }
  return entries
}

let admin: TestUser
beforeAll(async () => {
  admin = await makeAdmin(ctx.app)
})

describe('entries', () => {
  let owner: TestUser
  let business: Business
  beforeAll(async () => {
    owner = await makeUser(ctx.app)
    business = await createBusiness(owner)
  })

  it('have the shape of API.md; a create records [null, new] for every field', async () => {
    const { data } = await auditPage(owner, `entity=business&entity_id=${business.id}`)
    expect(data).toHaveLength(1)
    const [entry] = data
    expect(Object.keys(entry ?? {}).sort()).toEqual([
      'action',
      'actor',
      'at',
      'changes',
      'entity',
      'entity_id',
      'id',
      'request_id',
    ])
    expect(entry).toMatchObject({
      actor: { id: owner.id, username: owner.username },
      action: 'create',
      entity: 'business',
      entity_id: business.id,
      request_id: expect.any(String),
      at: clock.now().toISOString(),
    })
    expect(Object.keys(entry?.actor ?? {}).sort()).toEqual(['id', 'username'])
    expect(entry?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const changes = entry?.changes ?? {}
    expect(changes.name).toEqual([null, business.name])
    expect(changes.slug).toEqual([null, business.slug])
    expect(changes.timezone).toEqual([null, 'UTC'])
    for (const [field, pair] of Object.entries(changes)) {
      expect(pair, field).toHaveLength(2)
      expect(pair[0], field).toBeNull()
    }
  })

  it('carry the request id of the request that made them', async () => {
    const requestId = `rename-${newTag()}`
    tick()
    const response = await patchBusiness(
      owner,
      business.id,
      { name: 'Renamed once' },
      { 'x-request-id': requestId },
    )
    expect(response.statusCode).toBe(200)
    const { data } = await auditPage(owner, `entity_id=${business.id}`)
    expect(data[0]).toMatchObject({ action: 'update', request_id: requestId })
  })

  it('an update records only the changed fields, as [old, new]', async () => {
    const before = (await call({ url: `/api/businesses/${business.id}/`, headers: owner.auth })).json().data
    tick()
    const response = await patchBusiness(owner, business.id, {
      name: before.name, // unchanged
      timezone: 'Europe/Paris',
      settings: { color: 'teal' },
    })
    expect(response.statusCode, response.body).toBe(200)
    const [latest] = (await auditPage(owner, `entity=business&entity_id=${business.id}`)).data
    expect(latest).toMatchObject({ action: 'update', actor: { id: owner.id, username: owner.username } })
    expect(latest?.changes).toEqual({ timezone: ['UTC', 'Europe/Paris'], settings: [{}, { color: 'teal' }] })
  })

  it('a membership change records the role as [old, new]; a removal records {}', async () => {
    const member = await makeUser(ctx.app)
    await addMember(owner, business.id, member, 'agent')
    tick()
    const patched = await call({
      method: 'PATCH',
      url: `/api/businesses/${business.id}/members/${member.id}/`,
      headers: owner.auth,
      payload: { role: 'manager' },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    tick()
    const removed = await call({
      method: 'DELETE',
      url: `/api/businesses/${business.id}/members/${member.id}/`,
      headers: owner.auth,
    })
    expect(removed.statusCode, removed.body).toBe(200)
    const [deleted, updated, created] = (await auditPage(owner, 'entity=membership&page_size=3')).data
    expect(created).toMatchObject({
      action: 'create',
      changes: { user_id: [null, member.id], role: [null, 'agent'] },
    })
    expect(updated).toMatchObject({ action: 'update', changes: { role: ['agent', 'manager'] } })
    expect(deleted).toMatchObject({ action: 'delete', changes: {} })
    expect(new Set([created?.entity_id, updated?.entity_id, deleted?.entity_id]).size).toBe(1)
  })

  it('a delete records {}', async () => {
    const doomed = await createBusiness(owner)
    tick()
    const response = await call({
      method: 'DELETE',
      url: `/api/businesses/${doomed.id}/`,
      headers: owner.auth,
    })
    expect(response.statusCode).toBe(200)
    // The business is gone, so its entries are read by a platform admin.
    const entries = await auditAll(admin, `entity=business&entity_id=${doomed.id}`)
    expect(entries.map((entry) => entry.action)).toEqual(['delete', 'create'])
    expect(entries[0]?.changes).toEqual({})
    expect(entries[0]?.actor?.id).toBe(owner.id)
  })

  it('an entry of a user counts as a platform entry: actor is the user themself at registration', async () => {
    const user = await makeUser(ctx.app)
    const entries = await auditAll(admin, `entity=user&entity_id=${user.id}`)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ action: 'create', actor: { id: user.id, username: user.username } })
    expect(JSON.stringify(entries[0]?.changes)).not.toMatch(/argon2|password/i)
  })
})

describe('a refused change writes no audit row', () => {
  let owner: TestUser
  let first: Business
  let second: Business
  beforeAll(async () => {
    owner = await makeUser(ctx.app)
    first = await createBusiness(owner)
    second = await createBusiness(owner)
  })
  const rowsOf = (entityId: string) => db().select().from(auditLog).where(eq(auditLog.entityId, entityId))

  it('PATCH to a slug another business holds: 400, and no update row', async () => {
    const before = await rowsOf(first.id)
    tick()
    const response = await patchBusiness(owner, first.id, { name: 'Clash', slug: second.slug })
    expect(response.statusCode, response.body).toBe(400)
    expect(response.json().errors.slug).toBeDefined()
    expect(await rowsOf(first.id)).toEqual(before)
    expect(before.map((row) => row.action)).toEqual(['create'])
    // Nor did the name change go through.
    const detail = (await call({ url: `/api/businesses/${first.id}/`, headers: owner.auth })).json().data
    expect(detail.name).toBe(first.name)
    const { data } = await auditPage(owner, `entity_id=${first.id}`, first.id)
    expect(data.filter((entry) => entry.action === 'update')).toEqual([])
  })

  it('an invalid timezone: 400, and no update row', async () => {
    const before = await rowsOf(first.id)
    const response = await patchBusiness(owner, first.id, { timezone: 'Mars/Olympus' })
    expect(response.statusCode).toBe(400)
    expect(await rowsOf(first.id)).toEqual(before)
  })

  it('demoting or removing the last owner: 409 last_owner, and no membership row', async () => {
    const memberRows = () =>
      db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.businessId, first.id), eq(auditLog.entity, 'membership')))
    const before = await memberRows()
    const demote = await call({
      method: 'PATCH',
      url: `/api/businesses/${first.id}/members/${owner.id}/`,
      headers: owner.auth,
      payload: { role: 'admin' },
    })
    expect(demote.statusCode).toBe(409)
    expect(demote.json().code).toBe('last_owner')
    const remove = await call({
      method: 'DELETE',
      url: `/api/businesses/${first.id}/members/${owner.id}/`,
      headers: owner.auth,
    })
    expect(remove.statusCode).toBe(409)
    expect(remove.json().code).toBe('last_owner')
    expect(await memberRows()).toEqual(before)
  })
})

describe('filters', () => {
  let owner: TestUser
  let helper: TestUser
  let business: Business
  // Renames at these instants (and the creation well before them).
  const instants = {
    e1: '2026-04-01T23:30:00.000Z',
    e2: '2026-04-02T00:00:00.000Z',
    e3: '2026-04-02T23:59:59.999Z',
    e4: '2026-04-03T00:00:00.000Z',
  }
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    clock.set(new Date('2026-03-20T12:00:00Z'))
    owner = await makeUser(ctx.app)
    helper = await makeUser(ctx.app)
    business = await createBusiness(owner)
    await addMember(owner, business.id, helper, 'admin')
    for (const [name, at] of Object.entries(instants)) {
      clock.set(new Date(at))
      // e2 and e4 by the business admin, e1 and e3 by the owner.
      const who = name === 'e2' || name === 'e4' ? helper : owner
      const response = await patchBusiness(who, business.id, { name: `Renamed ${name}` })
      expect(response.statusCode, response.body).toBe(200)
    }
    clock.set(new Date('2026-04-10T12:00:00Z'))
    const entries = await auditAll(owner, `entity=business&entity_id=${business.id}`)
    for (const entry of entries) ids[entry.at] = entry.id
    ids.create = entries.at(-1)?.id ?? ''
  })

  /** Which of create/e1..e4 the query returns, oldest first. */
  async function which(query: string): Promise<string[]> {
    const entries = await auditAll(owner, `entity=business&entity_id=${business.id}&${query}`)
    const names = Object.fromEntries(Object.entries(instants).map(([name, at]) => [ids[at], name]))
    names[ids.create ?? ''] = 'create'
    return entries.map((entry) => names[entry.id] ?? entry.id).reverse()
  }

  it('entity and entity_id', async () => {
    // The owner's membership, the helper's invitation and the membership its accept created.
    const member = await auditAll(owner, 'entity=membership')
    expect(member.length).toBe(3)
    expect(member.every((entry) => entry.entity === 'membership')).toBe(true)
    expect(await which('')).toEqual(['create', 'e1', 'e2', 'e3', 'e4'])
    expect(await auditAll(owner, 'entity=session')).toEqual([])
    expect(await auditAll(owner, `entity_id=${newTag()}`)).toEqual([])
  })

  it('actor', async () => {
    expect(await which(`actor=${helper.id}`)).toEqual(['e2', 'e4'])
    expect(await which(`actor=${owner.id}`)).toEqual(['create', 'e1', 'e3'])
    const bad = await call({ url: '/api/audit-log/?actor=someone', headers: owner.auth })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors.actor).toBeDefined()
  })

  it('date_from and date_to as dates: whole days, both included (UTC)', async () => {
    expect(await which('date_from=2026-04-02')).toEqual(['e2', 'e3', 'e4'])
    expect(await which('date_to=2026-04-02')).toEqual(['create', 'e1', 'e2', 'e3'])
    expect(await which('date_from=2026-04-02&date_to=2026-04-02')).toEqual(['e2', 'e3'])
    expect(await which('date_from=2026-04-01&date_to=2026-04-01')).toEqual(['e1'])
    expect(await which('date_from=2026-04-04')).toEqual([])
  })

  it('date_from and date_to as datetimes with an offset: [from, to)', async () => {
    const q = (from: string, to?: string) =>
      `date_from=${encodeURIComponent(from)}${to ? `&date_to=${encodeURIComponent(to)}` : ''}`
    expect(await which(q('2026-04-02T00:00:00Z'))).toEqual(['e2', 'e3', 'e4'])
    expect(await which(q('2026-04-02T01:00:00+01:00'))).toEqual(['e2', 'e3', 'e4'])
    expect(await which(q('2026-04-01T19:30-04:00', '2026-04-02T00:00:00Z'))).toEqual(['e1'])
    expect(await which(q('2026-04-02T00:00:00.001Z', '2026-04-03T00:00:00.000Z'))).toEqual(['e3'])
    expect(await which(q('2026-04-02T12:00:00+00:00', '2026-04-03T00:00:00.001Z'))).toEqual(['e3', 'e4'])
  })

  it('a bad date or a datetime without offset: 400 naming the field', async () => {
    for (const [field, value] of [
      ['date_from', 'yesterday'],
      ['date_from', '2026-04-02T10:00:00'],
      ['date_to', '2026-13-01'],
      ['date_to', '2026-02-30'],
      ['date_from', '2026-04-31T10:00:00Z'],
      ['date_from', '2026-4-2'],
      ['date_to', '2026-04-02T25:00:00Z'],
    ] as const) {
      const response = await call({
        url: `/api/audit-log/?${field}=${encodeURIComponent(value)}`,
        headers: owner.auth,
      })
      expect(response.statusCode, `${field}=${value}`).toBe(400)
      expect(response.json().code).toBe('validation_error')
      expect(Object.keys(response.json().errors), `${field}=${value}`).toEqual([field])
    }
  })
})

describe('pagination', () => {
  let owner: TestUser
  let business: Business
  beforeAll(async () => {
    owner = await makeUser(ctx.app)
    business = await createBusiness(owner)
    // 24 renames; runs of three share one instant, so the order's tie-break on id matters.
    for (let i = 0; i < 24; i += 1) {
      if (i % 3 === 0) tick()
      const response = await patchBusiness(owner, business.id, { name: `Name ${i}` })
      expect(response.statusCode).toBe(200)
    }
  })

  it('pages by number: newest first, with total and links', async () => {
    const first = await auditPage(owner, 'page_size=10')
    expect(first.data).toHaveLength(10)
    expect(first.meta.pagination).toMatchObject({
      page: 1,
      page_size: 10,
      total: 26,
      total_pages: 3,
      previous: null,
    })
    const times = first.data.map((entry) => entry.at)
    expect([...times].sort().reverse()).toEqual(times)
    // The last three renames share the newest instant.
    expect(
      first.data
        .slice(0, 3)
        .map((entry) => entry.changes.name?.[1])
        .sort(),
    ).toEqual(['Name 21', 'Name 22', 'Name 23'])
    const last = await auditPage(owner, 'page_size=10&page=3')
    // 24 renames, the business's creation and its owner's membership.
    expect(last.data).toHaveLength(6)
    expect(last.data.at(-1)?.action).toBe('create')
    expect(last.meta.pagination.next).toBeNull()
    expect(last.meta.pagination.next_cursor).toBeNull()
  })

  it('a walk with next_cursor gives the page walk’s rows: none repeated, none missed', async () => {
    for (const size of [1, 4, 7, 25, 30]) {
      const byPage: string[] = []
      for (let page = 1; ; page += 1) {
        const { data, meta } = await auditPage(owner, `page_size=${size}&page=${page}`)
        byPage.push(...data.map((entry) => entry.id))
        if (!meta.pagination.next) break
      }
      const byCursor: string[] = []
      let cursor: string | null = null
      let steps = 0
      do {
        const query: string = `page_size=${size}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
        const { data, meta } = await auditPage(owner, query)
        byCursor.push(...data.map((entry) => entry.id))
        cursor = meta.pagination.next_cursor as string | null
        steps += 1
        expect(steps).toBeLessThan(100)
      } while (cursor)
      expect(byCursor, `page_size=${size}`).toEqual(byPage)
      expect(new Set(byCursor).size).toBe(byCursor.length)
      expect(byCursor).toHaveLength(26)
    }
  })

  it('a cursor keeps the filters; cursor with page is 400', async () => {
    const first = await auditPage(owner, `page_size=5&entity=business&entity_id=${business.id}`)
    const cursor = encodeURIComponent(String(first.meta.pagination.next_cursor))
    const second = await auditPage(
      owner,
      `page_size=5&entity=business&entity_id=${business.id}&cursor=${cursor}`,
    )
    expect(second.data).toHaveLength(5)
    expect(second.data.every((entry) => entry.entity_id === business.id)).toBe(true)
    const mixed = await call({ url: `/api/audit-log/?page=2&cursor=${cursor}`, headers: owner.auth })
    expect(mixed.statusCode).toBe(400)
    expect(mixed.json().code).toBe('bad_request')
    const garbage = await call({ url: '/api/audit-log/?cursor=nonsense', headers: owner.auth })
    expect(garbage.statusCode).toBe(400)
  })
})

describe('who sees what', () => {
  let ownerA: TestUser
  let ownerB: TestUser
  let businessA: Business
  let businessB: Business
  const staff: Record<string, TestUser> = {}
  beforeAll(async () => {
    ownerA = await makeUser(ctx.app)
    ownerB = await makeUser(ctx.app)
    businessA = await createBusiness(ownerA)
    businessB = await createBusiness(ownerB)
    for (const role of ['admin', 'manager', 'agent'] as const) {
      staff[role] = await makeUser(ctx.app)
      await addMember(ownerA, businessA.id, staff[role] as TestUser, role)
    }
    tick()
    await patchBusiness(ownerB, businessB.id, { name: 'B renamed' })
  })

  it('owner and admin read; manager and agent get 403; anonymous 401; a plain user 403', async () => {
    expect((await auditPage(ownerA)).data.length).toBeGreaterThan(0)
    expect((await auditPage(staff.admin as TestUser)).data.length).toBeGreaterThan(0)
    for (const role of ['manager', 'agent']) {
      const response = await call({ url: '/api/audit-log/', headers: (staff[role] as TestUser).auth })
      expect(response.statusCode, role).toBe(403)
      expect(response.json().code).toBe('permission_denied')
    }
    expect((await call({ url: '/api/audit-log/' })).statusCode).toBe(401)
    const plain = await makeUser(ctx.app)
    expect((await call({ url: '/api/audit-log/', headers: plain.auth })).statusCode).toBe(403)
  })

  it('the owner of A never sees entries of B', async () => {
    const seen = await auditAll(ownerA)
    const ofB = await db()
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.businessId, businessB.id))
    expect(ofB.length).toBeGreaterThan(1)
    const seenIds = new Set(seen.map((entry) => entry.id))
    for (const row of ofB) expect(seenIds.has(row.id)).toBe(false)
    // Exactly A's entries: nothing of B, nothing platform-wide (users, settings).
    const ofA = await db()
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.businessId, businessA.id))
    expect([...seenIds].sort()).toEqual(ofA.map((row) => row.id).sort())
    // Asking for B's rows by filter finds nothing; asking in B is 404.
    expect(await auditAll(ownerA, `entity_id=${businessB.id}`)).toEqual([])
    const inB = await call({
      url: '/api/audit-log/',
      headers: { ...ownerA.auth, 'x-business-id': businessB.id },
    })
    expect(inB.statusCode).toBe(404)
  })

  it('a platform admin without X-Business-ID sees the entries of every business (and platform ones)', async () => {
    const seen = await auditAll(admin)
    const everything = await db().select({ id: auditLog.id }).from(auditLog)
    expect(seen.map((entry) => entry.id).sort()).toEqual(everything.map((row) => row.id).sort())
    expect(seen).toContainEqual(expect.objectContaining({ entity: 'business', entity_id: businessA.id }))
    expect(seen).toContainEqual(expect.objectContaining({ entity: 'business', entity_id: businessB.id }))
    expect(seen).toContainEqual(expect.objectContaining({ entity: 'user', entity_id: ownerA.id }))
    // With X-Business-ID, only that business.
    const inB = await auditAll(admin, '', businessB.id)
    const ofB = await db()
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.businessId, businessB.id))
    expect(inB.map((entry) => entry.id).sort()).toEqual(ofB.map((row) => row.id).sort())
  })
})
