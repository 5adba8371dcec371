// Authority comes from the current database state, never from what an earlier token remembers: a
// removed member keeps no creator rights, a deactivated or demoted platform admin loses their powers
// at once (with the token they already hold, on either auth scheme and in every process), and refused
// credentials are throttled like anonymous requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { buildApp } from '../../../src/app.js'
import { ManualClock } from '../../../src/platform/clock.js'
import type { DatabaseHandle } from '../../../src/platform/db/index.js'
import type { Redis } from '../../../src/platform/redis.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { openTestDatabase, openTestRedis, testConfig, useTestApp } from '../../helpers/app.js'
import { book, makeSession } from '../../helpers/factories.js'
import { eventually } from '../../helpers/jobs.js'
import { addMemberAs, makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const ctx = useTestApp()

const FUTURE = '2099-03-01T09:00:00Z'

const removeMember = (business: TenantBusiness, userId: string) =>
  ctx.app.inject({
    method: 'DELETE',
    url: `/api/businesses/${business.id}/members/${userId}/`,
    headers: business.owner.auth,
  })

const changeMemberRole = (business: TenantBusiness, userId: string, role: string) =>
  ctx.app.inject({
    method: 'PATCH',
    url: `/api/businesses/${business.id}/members/${userId}/`,
    headers: business.owner.auth,
    payload: { role },
  })

describe('creator rights need a current membership', () => {
  let business: TenantBusiness
  let customer: TestUser
  beforeAll(async () => {
    ;[business, customer] = await Promise.all([makeBusiness(ctx.app), makeUser(ctx.app)])
  })

  it('a manager removed from the business can no longer change, delete or manage the sessions they made', async () => {
    const sessionId = (
      await makeSession(ctx.app, business.manager, { price: '20.00' }, { business: business.id })
    ).id
    const bookingId = (await book(ctx.app, customer, sessionId, FUTURE)).id
    expect((await removeMember(business, business.manager.id)).statusCode).toBe(200)
    const manager = business.manager.auth

    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/sessions/${sessionId}/`,
      headers: manager,
      payload: { price: '0.00' },
    })
    expect(patch.statusCode, patch.body).toBe(403)
    const remove = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/sessions/${sessionId}/`,
      headers: manager,
    })
    expect(remove.statusCode).toBe(403)

    const created = await ctx.app.inject({ url: '/api/bookings/creator_bookings/', headers: manager })
    expect(created.statusCode, created.body).toBe(403)
    for (const action of ['confirm', 'cancel']) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/bookings/${bookingId}/${action}/`,
        headers: manager,
      })
      expect(response.statusCode, `${action}: ${response.body}`).toBe(404)
    }
    const detail = await ctx.app.inject({ url: `/api/bookings/${bookingId}/`, headers: manager })
    expect(detail.statusCode).toBe(404)

    const session = await ctx.app.inject({ url: `/api/sessions/${sessionId}/` })
    expect(session.json().data.price).toBe('20.00')
  })

  it('a manager demoted to agent keeps an agent’s powers only', async () => {
    const manager = await makeUser(ctx.app)
    await addMemberAs(ctx.app, business.owner, business.id, manager, 'manager')
    const sessionId = (await makeSession(ctx.app, manager, {}, { business: business.id })).id
    const bookingId = (await book(ctx.app, customer, sessionId, FUTURE)).id
    expect((await changeMemberRole(business, manager.id, 'agent')).statusCode).toBe(200)

    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/sessions/${sessionId}/`,
      headers: manager.auth,
      payload: { price: '0.00' },
    })
    expect(patch.statusCode).toBe(403)
    const created = await ctx.app.inject({ url: '/api/bookings/creator_bookings/', headers: manager.auth })
    expect(created.statusCode).toBe(200)
    expect(created.json().data).toEqual([])
    // Agents confirm the business's bookings: as an agent, not as the session's creator.
    const confirm = await ctx.app.inject({
      method: 'POST',
      url: `/api/bookings/${bookingId}/confirm/`,
      headers: manager.auth,
    })
    expect(confirm.statusCode).toBe(200)
  })
})

describe('platform admin powers follow the current row', () => {
  const patchUser = (who: TestUser, id: string, payload: object) =>
    ctx.app.inject({ method: 'PATCH', url: `/api/users/${id}/`, headers: who.auth, payload })

  it('a deactivated admin’s earlier token no longer authenticates: no self-restore, no settings', async () => {
    const [admin, other] = await Promise.all([makeAdmin(ctx.app), makeAdmin(ctx.app)])
    // The token is used (and its user cached) before the change.
    expect((await ctx.app.inject({ url: '/api/settings/', headers: admin.auth })).statusCode).toBe(200)
    const deactivate = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${admin.id}/`,
      headers: other.auth,
    })
    expect(deactivate.statusCode).toBe(200)

    const restore = await patchUser(admin, admin.id, { is_active: true })
    expect(restore.statusCode, restore.body).toBe(401)
    expect(restore.json().code).toBe('token_invalid')
    const settings = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/settings/',
      headers: admin.auth,
      payload: { site_name: 'Taken over' },
    })
    expect(settings.statusCode).toBe(401)
    const seen = await ctx.app.inject({ url: `/api/users/${admin.id}/`, headers: other.auth })
    expect(seen.json().data.is_active).toBe(false)
  })

  it('a demoted admin cannot make themself admin again, touch settings, jobs, users or other businesses', async () => {
    const [admin, other, victim] = await Promise.all([
      makeAdmin(ctx.app),
      makeAdmin(ctx.app),
      makeUser(ctx.app),
    ])
    const foreign = await makeBusiness(ctx.app)
    expect((await ctx.app.inject({ url: '/api/users/', headers: admin.auth })).statusCode).toBe(200)
    const demote = await patchUser(other, admin.id, { role: 'user', is_staff: false })
    expect(demote.statusCode, demote.body).toBe(200)

    const promote = await patchUser(admin, admin.id, { role: 'admin', is_staff: true })
    expect(promote.statusCode).toBe(200)
    expect(promote.json().data).toMatchObject({ role: 'user', is_staff: false })
    expect((await patchUser(admin, victim.id, { is_staff: true })).statusCode).toBe(404)
    const denied = [
      { method: 'PATCH' as const, url: '/api/settings/', payload: { site_name: 'Taken over' } },
      { method: 'GET' as const, url: '/api/settings/' },
      { method: 'GET' as const, url: '/api/users/' },
      { method: 'GET' as const, url: '/api/jobs/' },
    ]
    for (const request of denied) {
      const response = await ctx.app.inject({ ...request, headers: admin.auth })
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(403)
    }
    const business = await ctx.app.inject({ url: `/api/businesses/${foreign.id}/`, headers: admin.auth })
    expect(business.statusCode).toBe(404)
    const everything = await ctx.app.inject({ url: '/api/dashboard/stats/', headers: admin.auth })
    expect(everything.statusCode).toBe(403)
  })

  it('a demoted admin’s cookie session loses the powers too', async () => {
    const [admin, other] = await Promise.all([makeAdmin(ctx.app), makeAdmin(ctx.app)])
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/session/login/',
      payload: { username: admin.username, password: admin.password },
    })
    expect(login.statusCode).toBe(200)
    const cookies = Object.fromEntries(login.cookies.map((cookie) => [cookie.name, cookie.value]))
    const asSession = { cookies }
    expect((await ctx.app.inject({ url: '/api/users/', ...asSession })).statusCode).toBe(200)
    expect((await patchUser(other, admin.id, { role: 'user', is_staff: false })).statusCode).toBe(200)
    expect((await ctx.app.inject({ url: '/api/users/', ...asSession })).statusCode).toBe(403)
  })
})

describe('refused credentials are throttled as anonymous', () => {
  const clock = new ManualClock(new Date('2026-06-01T10:00:00Z'))
  const throttled = useTestApp({ config: { THROTTLE_ANON: '2/minute' }, deps: { clock } })

  it('answers 401 for a malformed bearer token until the anonymous rate is used up, then 429', async () => {
    const send = () =>
      throttled.app.inject({ url: '/api/sessions/', headers: { authorization: 'Bearer not.a.token' } })
    expect((await send()).statusCode).toBe(401)
    expect((await send()).statusCode).toBe(401)
    const third = await send()
    expect(third.statusCode).toBe(429)
    expect(third.headers['retry-after']).toBeDefined()
  })
})

// Two web processes share one PostgreSQL and one Redis: a demotion in one reaches the other at once.
describe.runIf(Boolean(process.env.DATABASE_URL && process.env.REDIS_URL))('across processes', () => {
  let database: DatabaseHandle
  let redis: Redis | null
  let first: App
  let second: App
  beforeAll(async () => {
    const config = testConfig()
    database = await openTestDatabase()
    redis = openTestRedis(config)
    first = await buildApp(config, { database, redis })
    second = await buildApp(config, { database, redis })
    await Promise.all([first.ready(), second.ready()])
  })
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()])
    redis?.disconnect()
    await database?.close()
  })

  it('a deactivation in one process refuses the token in the other within a second', async () => {
    const [admin, other] = await Promise.all([makeAdmin(first), makeAdmin(first)])
    expect((await second.inject({ url: '/api/users/', headers: admin.auth })).statusCode).toBe(200)
    expect(
      (await first.inject({ method: 'DELETE', url: `/api/users/${admin.id}/`, headers: other.auth }))
        .statusCode,
    ).toBe(200)
    await eventually(
      'the second process refuses the token',
      async () => (await second.inject({ url: '/api/users/', headers: admin.auth })).statusCode === 401,
      1000,
    )
  })
})
