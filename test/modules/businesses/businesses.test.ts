// Businesses: the creator's own business, creation defaults and slugs, lists, soft delete, members, and
// the X-Business-ID tenancy rules. HTTP through inject; rows checked with SQL where the API hides them.
import { randomBytes } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { businesses, memberships } from '../../../src/modules/businesses/tables.js'
import { makeAdmin, makeUser, STRONG_PASSWORD, type TestUser, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs } from '../../helpers/tenants.js'

const ctx = useTestApp()
const db = () => ctx.app.deps.database.db

type BusinessOut = {
  id: string
  name: string
  slug: string
  timezone: string
  currency: string
  is_active: boolean
  settings: Record<string, unknown>
  created_at: string
  updated_at: string
}

const call = (options: InjectOptions) => ctx.app.inject(options)

/** A lowercase tag found nowhere else in this file, so names and slugs of one test never collide. */
const newTag = () => `t${randomBytes(4).toString('hex')}`

async function createBusiness(owner: TestUser, payload: Record<string, unknown>): Promise<BusinessOut> {
  const response = await call({ method: 'POST', url: '/api/businesses/', headers: owner.auth, payload })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}

/** Every business `who` can list, walking all pages. */
async function listedIds(who: TestUser): Promise<string[]> {
  const ids: string[] = []
  for (let page = 1; ; page += 1) {
    const response = await call({ url: `/api/businesses/?page=${page}&page_size=100`, headers: who.auth })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    ids.push(...body.data.map((business: BusinessOut) => business.id))
    if (!body.meta.pagination.next) return ids
  }
}

const liveMemberships = (userId: string) =>
  db()
    .select({ businessId: memberships.businessId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.isDeleted, false)))

let admin: TestUser
beforeAll(async () => {
  admin = await makeAdmin(ctx.app)
})

describe('a creator gets a business of their own', () => {
  it('at registration: exactly one business, owned by them, audited with the request id', async () => {
    const username = uniqueName('creator')
    const requestId = `register-${newTag()}`
    const response = await call({
      method: 'POST',
      url: '/api/auth/register/',
      headers: { 'x-request-id': requestId },
      payload: { username, email: `${username}@example.com`, password: STRONG_PASSWORD, role: 'creator' },
    })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.headers['x-request-id']).toBe(requestId)
    const userId: string = response.json().data.user.id

    const owned = await liveMemberships(userId)
    expect(owned).toHaveLength(1)
    expect(owned[0]?.role).toBe('owner')
    const businessId = owned[0]?.businessId ?? ''
    const [business] = await db().select().from(businesses).where(eq(businesses.id, businessId))
    expect(business).toMatchObject({ isDeleted: false, createdBy: userId })

    // The business shows in the creator's own list.
    const auth = { authorization: `Bearer ${response.json().data.tokens.access}` }
    const list = await call({ url: '/api/businesses/', headers: auth })
    expect(list.json().data.map((row: BusinessOut) => row.id)).toEqual([businessId])

    // One audit row each for the user, the business and the membership, from the same request.
    const rows = await db().select().from(auditLog).where(eq(auditLog.requestId, requestId))
    expect(rows.map((row) => row.entity).sort()).toEqual(['business', 'membership', 'user'])
    for (const row of rows) {
      expect(row.action).toBe('create')
      expect(row.actorId).toBe(userId)
    }
    const byEntity = Object.fromEntries(rows.map((row) => [row.entity, row]))
    expect(byEntity.user?.entityId).toBe(userId)
    expect(byEntity.user?.businessId).toBeNull()
    expect(byEntity.business?.entityId).toBe(businessId)
    expect(byEntity.business?.businessId).toBe(businessId)
    expect(byEntity.membership?.businessId).toBe(businessId)
    expect(byEntity.membership?.changes).toEqual({ user_id: [null, userId], role: [null, 'owner'] })
  })

  it('a plain user registers without one', async () => {
    const user = await makeUser(ctx.app, { role: 'user' })
    expect(await liveMemberships(user.id)).toEqual([])
    const list = await call({ url: '/api/businesses/', headers: user.auth })
    expect(list.statusCode).toBe(200)
    expect(list.json().data).toEqual([])
    expect(list.json().meta.pagination.total).toBe(0)
  })

  it('an admin switching a user to creator gives them one, in the same request (and only once)', async () => {
    const user = await makeUser(ctx.app, { role: 'user' })
    const requestId = `promote-${newTag()}`
    const promote = (role: string, id = requestId) =>
      call({
        method: 'PATCH',
        url: `/api/users/${user.id}/`,
        headers: { ...admin.auth, 'x-request-id': id },
        payload: { role },
      })
    const response = await promote('creator')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.role).toBe('creator')

    const owned = await liveMemberships(user.id)
    expect(owned).toHaveLength(1)
    expect(owned[0]?.role).toBe('owner')
    const rows = await db().select().from(auditLog).where(eq(auditLog.requestId, requestId))
    expect(rows.map((row) => `${row.action}:${row.entity}`).sort()).toEqual([
      'create:business',
      'create:membership',
      'update:user',
    ])
    for (const row of rows) expect(row.actorId).toBe(admin.id)

    // Back to user and creator again: they still own their business, so no second one appears.
    expect((await promote('user', `demote-${newTag()}`)).statusCode).toBe(200)
    expect((await promote('creator', `again-${newTag()}`)).statusCode).toBe(200)
    expect(await liveMemberships(user.id)).toEqual(owned)
  })
})

describe('POST /api/businesses/', () => {
  it('needs a login', async () => {
    const response = await call({ method: 'POST', url: '/api/businesses/', payload: { name: 'Nope' } })
    expect(response.statusCode).toBe(401)
  })

  it('makes the caller the owner; answers 201 with the business', async () => {
    const owner = await makeUser(ctx.app)
    const tag = newTag()
    const response = await call({
      method: 'POST',
      url: '/api/businesses/',
      headers: owner.auth,
      payload: { name: `Studio ${tag}` },
    })
    expect(response.statusCode, response.body).toBe(201)
    const { data, message } = response.json()
    expect(message).toBeTruthy()
    expect(Object.keys(data).sort()).toEqual([
      'created_at',
      'currency',
      'id',
      'is_active',
      'my_role',
      'name',
      'opening_hours',
      'settings',
      'slug',
      'timezone',
      'updated_at',
    ])
    expect(data).toMatchObject({
      name: `Studio ${tag}`,
      slug: `studio-${tag}`,
      is_active: true,
      settings: {},
    })
    expect(await liveMemberships(owner.id)).toEqual([{ businessId: data.id, role: 'owner' }])
  })

  it('generates a unique slug from the name: two businesses named alike get different slugs', async () => {
    const owner = await makeUser(ctx.app)
    const tag = newTag()
    const first = await createBusiness(owner, { name: `Café Zürich ${tag}` })
    const second = await createBusiness(owner, { name: `café  zürich ${tag}!` })
    const third = await createBusiness(owner, { name: `CAFE ZURICH ${tag}` })
    expect(first.slug).toBe(`cafe-zurich-${tag}`)
    expect(second.slug).toBe(`cafe-zurich-${tag}-2`)
    expect(third.slug).toBe(`cafe-zurich-${tag}-3`)
    // A given slug is used as is.
    const given = await createBusiness(owner, { name: 'Whatever', slug: `own-${tag}` })
    expect(given.slug).toBe(`own-${tag}`)
    // ... and a taken one is refused.
    const taken = await call({
      method: 'POST',
      url: '/api/businesses/',
      headers: owner.auth,
      payload: { name: 'Other', slug: `own-${tag}` },
    })
    expect(taken.statusCode).toBe(400)
    expect(taken.json().code).toBe('validation_error')
    expect(taken.json().errors.slug).toBeDefined()
  })

  it('takes timezone and currency from the platform settings when absent', async () => {
    const settings = (await call({ url: '/api/settings/', headers: admin.auth })).json().data
    const owner = await makeUser(ctx.app)
    const business = await createBusiness(owner, { name: `Defaults ${newTag()}` })
    expect(business.timezone).toBe(settings.timezone)
    expect(business.currency).toBe(settings.default_currency)
    const given = await createBusiness(owner, {
      name: `Given ${newTag()}`,
      timezone: 'America/New_York',
      currency: 'USD',
    })
    expect(given).toMatchObject({ timezone: 'America/New_York', currency: 'USD' })
  })

  it('refuses an invalid timezone (400 errors.timezone) and a bad currency (400 errors.currency)', async () => {
    const owner = await makeUser(ctx.app)
    const post = (payload: Record<string, unknown>) =>
      call({ method: 'POST', url: '/api/businesses/', headers: owner.auth, payload })

    const zone = await post({ name: 'Mars base', timezone: 'Mars/Olympus' })
    expect(zone.statusCode).toBe(400)
    expect(zone.json().code).toBe('validation_error')
    expect(Object.keys(zone.json().errors)).toEqual(['timezone'])

    for (const currency of ['ZZZ', 'eur', 'EURO', '']) {
      const bad = await post({ name: 'Money', currency })
      expect(bad.statusCode, currency).toBe(400)
      expect(bad.json().code).toBe('validation_error')
      expect(Object.keys(bad.json().errors), currency).toEqual(['currency'])
    }

    // Every invalid field is reported, not only the first.
    const both = await post({ name: 'Both', timezone: 'Nowhere/Else', currency: 'ZZZ' })
    expect(both.statusCode).toBe(400)
    expect(Object.keys(both.json().errors).sort()).toEqual(['currency', 'timezone'])

    // Nothing was created.
    expect(await liveMemberships(owner.id)).toEqual([])
  })
})

describe('GET /api/businesses/', () => {
  it('lists only the caller’s own memberships; a platform admin sees every business', async () => {
    const owner = await makeUser(ctx.app)
    const other = await makeUser(ctx.app)
    const mine = await createBusiness(owner, { name: `Mine ${newTag()}` })
    const theirs = await createBusiness(other, { name: `Theirs ${newTag()}` })
    const shared = await createBusiness(other, { name: `Shared ${newTag()}` })
    await addMemberAs(ctx.app, other, shared.id, owner, 'agent')

    expect((await listedIds(owner)).sort()).toEqual([mine.id, shared.id].sort())
    expect((await listedIds(other)).sort()).toEqual([theirs.id, shared.id].sort())

    const all = await listedIds(admin)
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id, shared.id]))
    const live = await db()
      .select({ id: businesses.id })
      .from(businesses)
      .where(eq(businesses.isDeleted, false))
    expect(all.sort()).toEqual(live.map((row) => row.id).sort())
  })

  it('filters by a name or slug substring (LIKE characters literal) and by member', async () => {
    const owner = await makeUser(ctx.app)
    const other = await makeUser(ctx.app)
    const tag = newTag()
    const studio = await createBusiness(owner, { name: `Studio ${tag}` })
    const percent = await createBusiness(owner, { name: `100% ${tag}` })
    const shared = await createBusiness(other, { name: `Shared ${tag}` })
    await addMemberAs(ctx.app, other, shared.id, owner, 'agent')
    const ids = async (who: TestUser, query: string) => {
      const response = await call({ url: `/api/businesses/?${query}`, headers: who.auth })
      expect(response.statusCode, response.body).toBe(200)
      return response
        .json()
        .data.map((business: BusinessOut) => business.id)
        .sort()
    }
    expect(await ids(owner, `search=${tag}`)).toEqual([studio.id, percent.id, shared.id].sort())
    expect(await ids(owner, `search=${encodeURIComponent(`% ${tag}`)}`)).toEqual([percent.id])
    expect(await ids(owner, `search=studio-${tag}`)).toEqual([studio.id])
    expect(await ids(admin, `member=${other.id}&search=${tag}`)).toEqual([shared.id])
    // A member filter narrows what the caller may see; it never shows another user's other businesses.
    expect(await ids(other, `member=${owner.id}`)).toEqual([shared.id])
    const bad = await call({ url: '/api/businesses/?member=x', headers: owner.auth })
    expect(bad.statusCode).toBe(400)
    expect(Object.keys(bad.json().errors)).toEqual(['member'])
  })

  it('a member reads the detail; an outsider gets 404, not 403', async () => {
    const owner = await makeUser(ctx.app)
    const agent = await makeUser(ctx.app)
    const outsider = await makeUser(ctx.app)
    const business = await createBusiness(owner, { name: `Detail ${newTag()}` })
    await addMemberAs(ctx.app, owner, business.id, agent, 'agent')
    const detail = (who: TestUser) => call({ url: `/api/businesses/${business.id}/`, headers: who.auth })
    // The same business; my_role is the reader's own.
    expect((await detail(agent)).json().data).toEqual({ ...business, my_role: 'agent' })
    expect((await detail(admin)).statusCode).toBe(200)
    const foreign = await detail(outsider)
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().code).toBe('not_found')
  })
})

describe('DELETE /api/businesses/{id}/ (soft)', () => {
  it('the owner deletes: gone from lists and details, the row stays marked, the slug is free again', async () => {
    const owner = await makeUser(ctx.app)
    const colleague = await makeUser(ctx.app)
    const tag = newTag()
    const keep = await createBusiness(owner, { name: `Keep ${tag}` })
    const doomed = await createBusiness(owner, { name: `Doomed ${tag}` })
    await addMemberAs(ctx.app, owner, doomed.id, colleague, 'admin')

    // An admin of the business may change it but not delete it.
    const refused = await call({
      method: 'DELETE',
      url: `/api/businesses/${doomed.id}/`,
      headers: colleague.auth,
    })
    expect(refused.statusCode).toBe(403)

    const response = await call({
      method: 'DELETE',
      url: `/api/businesses/${doomed.id}/`,
      headers: owner.auth,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ data: null, message: 'Deleted' })

    // Absent from every list.
    expect(await listedIds(owner)).toEqual([keep.id])
    expect(await listedIds(colleague)).toEqual([])
    expect(await listedIds(admin)).not.toContain(doomed.id)

    // 404 on detail, on change, on delete again and on its members, for members and platform admins alike.
    for (const who of [owner, colleague, admin]) {
      const requests: InjectOptions[] = [
        { url: `/api/businesses/${doomed.id}/` },
        { method: 'PATCH', url: `/api/businesses/${doomed.id}/`, payload: { name: 'Back' } },
        { method: 'DELETE', url: `/api/businesses/${doomed.id}/` },
        { url: `/api/businesses/${doomed.id}/members/` },
        {
          method: 'POST',
          url: `/api/businesses/${doomed.id}/members/`,
          payload: { email: `late-${tag}@example.com`, role: 'agent' },
        },
        {
          method: 'POST',
          url: `/api/businesses/${doomed.id}/members/`,
          payload: { user_id: admin.id, role: 'agent', direct: true },
        },
        { method: 'DELETE', url: `/api/businesses/${doomed.id}/members/${colleague.id}/` },
        { url: `/api/businesses/${doomed.id}/invitations/` },
        { url: '/api/audit-log/', headers: { 'x-business-id': doomed.id } },
      ]
      for (const request of requests) {
        const answer = await call({ ...request, headers: { ...who.auth, ...request.headers } })
        expect(answer.statusCode, `${who.username} ${request.method ?? 'GET'} ${request.url}`).toBe(404)
      }
    }

    // The row is still there, marked.
    const [row] = await db().select().from(businesses).where(eq(businesses.id, doomed.id))
    expect(row).toMatchObject({ isDeleted: true, deletedBy: owner.id })
    expect(row?.deletedAt).toBeInstanceOf(Date)

    // Its slug can be used again, by a given slug or a generated one.
    const reused = await createBusiness(owner, { name: 'Reborn', slug: doomed.slug })
    expect(reused.slug).toBe(doomed.slug)
    expect(reused.id).not.toBe(doomed.id)
    await call({ method: 'DELETE', url: `/api/businesses/${reused.id}/`, headers: owner.auth })
    const generated = await createBusiness(owner, { name: `Doomed ${tag}` })
    expect(generated.slug).toBe(doomed.slug)
  })

  it('the owner of two businesses who deletes one acts in the other without X-Business-ID', async () => {
    const owner = await makeUser(ctx.app)
    const first = await createBusiness(owner, { name: `First ${newTag()}` })
    const second = await createBusiness(owner, { name: `Second ${newTag()}` })
    const audit = () => call({ url: '/api/audit-log/?entity=business', headers: owner.auth })
    expect((await audit()).json().code).toBe('business_required')
    await call({ method: 'DELETE', url: `/api/businesses/${second.id}/`, headers: owner.auth })
    const response = await audit()
    expect(response.statusCode, response.body).toBe(200)
    const ids = new Set(response.json().data.map((entry: { entity_id: string }) => entry.entity_id))
    expect([...ids]).toEqual([first.id])
  })
})

describe('X-Business-ID', () => {
  let owner: TestUser
  let first: BusinessOut
  let second: BusinessOut
  let foreign: BusinessOut
  beforeAll(async () => {
    owner = await makeUser(ctx.app)
    first = await createBusiness(owner, { name: `One ${newTag()}` })
    second = await createBusiness(owner, { name: `Two ${newTag()}` })
    foreign = await createBusiness(await makeUser(ctx.app), { name: `Foreign ${newTag()}` })
  })
  const auditLogAs = (who: TestUser, businessId?: string) =>
    call({
      url: '/api/audit-log/',
      headers: { ...who.auth, ...(businessId !== undefined && { 'x-business-id': businessId }) },
    })

  it('a member of several businesses must choose one: 400 business_required', async () => {
    const response = await auditLogAs(owner)
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('business_required')
  })

  it('picks the business to act in', async () => {
    for (const business of [first, second]) {
      const response = await auditLogAs(owner, business.id)
      expect(response.statusCode, response.body).toBe(200)
      const entities = response.json().data.map((entry: { entity: string; entity_id: string }) => entry)
      expect(entities).toContainEqual(expect.objectContaining({ entity: 'business', entity_id: business.id }))
      for (const entry of entities) if (entry.entity === 'business') expect(entry.entity_id).toBe(business.id)
    }
  })

  it('a business the caller is not a member of: 404', async () => {
    const response = await auditLogAs(owner, foreign.id)
    expect(response.statusCode).toBe(404)
    expect(response.json().code).toBe('not_found')
    // One that does not exist at all answers the same.
    expect((await auditLogAs(owner, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
  })

  it('a malformed id: 404', async () => {
    for (const bad of ['not-a-uuid', `${first.id}x`, "1' or '1'='1", ' ']) {
      const response = await auditLogAs(owner, bad)
      expect(response.statusCode, bad).toBe(404)
    }
  })

  it('a platform admin may act in any business', async () => {
    const response = await auditLogAs(admin, foreign.id)
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toContainEqual(
      expect.objectContaining({ entity: 'business', entity_id: foreign.id, action: 'create' }),
    )
  })
})

describe('members', () => {
  it('an invited member shows in the list with their address, after the owner', async () => {
    const owner = await makeUser(ctx.app)
    const member = await makeUser(ctx.app)
    const business = await createBusiness(owner, { name: `Crew ${newTag()}` })
    await addMemberAs(ctx.app, owner, business.id, member, 'manager')
    const list = await call({ url: `/api/businesses/${business.id}/members/`, headers: member.auth })
    expect(list.statusCode).toBe(200)
    const [row] = await db().select().from(users).where(eq(users.id, member.id))
    expect(list.json().data[1]).toEqual({
      user: { id: member.id, username: member.username, email: row?.email, first_name: '', last_name: '' },
      role: 'manager',
      created_at: expect.any(String),
    })
    expect(
      list.json().data.map((item: { user: { id: string }; role: string }) => [item.user.id, item.role]),
    ).toEqual([
      [owner.id, 'owner'],
      [member.id, 'manager'],
    ])
  })
})
