// Who gets which dashboard: anonymous 401; a user with no business 403; managers and above their
// business, by context or `?business=`, and an agent 403 (revenue is not an agent's to see); another
// business 404; platform admins the whole platform or any one business. Also the query's validation.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs, makeTenants, type Tenants } from '../../helpers/tenants.js'

const ctx = useTestApp()
let t: Tenants

beforeAll(async () => {
  t = await makeTenants(ctx.app)
})

const get = (user: TestUser | null, query = '', headers: Record<string, string> = {}) =>
  ctx.app.inject({ url: `/api/dashboard/stats/${query}`, headers: { ...user?.auth, ...headers } })

async function businessOf(user: TestUser, query = '', headers: Record<string, string> = {}) {
  const response = await get(user, query, headers)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.business as { id: string; name: string } | null
}

describe('GET /api/dashboard/stats/ access', () => {
  it('answers 401 to an anonymous caller, with or without a business', async () => {
    expect((await get(null)).statusCode).toBe(401)
    expect((await get(null, `?business=${t.A.id}`)).statusCode).toBe(401)
  })

  it('answers 403 to a user who belongs to no business', async () => {
    const response = await get(t.outsider)
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('permission_denied')
  })

  it('answers 404 to a caller asking for a business they are not a member of', async () => {
    expect((await get(t.outsider, `?business=${t.A.id}`)).statusCode).toBe(404)
    expect((await get(t.B.agent, `?business=${t.A.id}`)).statusCode).toBe(404)
    expect((await get(t.A.owner, `?business=${t.B.id}`)).statusCode).toBe(404)
    expect((await get(t.A.owner, '', { 'x-business-id': t.B.id })).statusCode).toBe(404)
    expect((await get(t.A.owner, `?business=${randomUUID()}`)).statusCode).toBe(404)
  })

  it("gives managers and above their own business's dashboard", async () => {
    for (const role of ['owner', 'admin', 'manager'] as const) {
      expect(await businessOf(t.A[role])).toEqual({ id: t.A.id, name: expect.any(String) })
      expect((await businessOf(t.A[role], `?business=${t.A.id}`))?.id).toBe(t.A.id)
      expect((await businessOf(t.B[role]))?.id).toBe(t.B.id)
    }
  })

  it('answers 403 permission_denied to an agent, by context, header or query', async () => {
    for (const response of [
      await get(t.A.agent),
      await get(t.A.agent, '', { 'x-business-id': t.A.id }),
      await get(t.A.agent, `?business=${t.A.id}`),
    ]) {
      expect(response.statusCode).toBe(403)
      expect(response.json().code).toBe('permission_denied')
    }
  })

  it('gives a platform admin the platform without a business, and any business by query or header', async () => {
    expect(await businessOf(t.platformAdmin)).toBeNull()
    expect((await businessOf(t.platformAdmin, `?business=${t.B.id}`))?.id).toBe(t.B.id)
    expect((await businessOf(t.platformAdmin, '', { 'x-business-id': t.A.id }))?.id).toBe(t.A.id)
    expect((await get(t.platformAdmin, `?business=${randomUUID()}`)).statusCode).toBe(404)
  })

  it('asks a member of several businesses to choose one, by header or query', async () => {
    const both = await makeUser(ctx.app)
    await addMemberAs(ctx.app, t.A.owner, t.A.id, both, 'agent')
    await addMemberAs(ctx.app, t.B.owner, t.B.id, both, 'manager')
    const unchosen = await get(both)
    expect(unchosen.statusCode).toBe(400)
    expect(unchosen.json().code).toBe('business_required')
    expect((await businessOf(both, '', { 'x-business-id': t.B.id }))?.id).toBe(t.B.id)
    expect((await businessOf(both, `?business=${t.B.id}`))?.id).toBe(t.B.id)
    // In A they are an agent.
    expect((await get(both, `?business=${t.A.id}`)).statusCode).toBe(403)
  })

  it('refuses an unknown period or a business that is not a UUID with 400', async () => {
    const period = await get(t.A.owner, '?period=decade')
    expect(period.statusCode).toBe(400)
    expect(period.json().errors).toHaveProperty('period')
    const business = await get(t.A.owner, '?business=nope')
    expect(business.statusCode).toBe(400)
    expect(business.json().errors).toHaveProperty('business')
  })

  it('answers without the trailing slash too, and names each period it was asked for', async () => {
    for (const period of ['day', 'week', 'month', 'year']) {
      const response = await ctx.app.inject({
        url: `/api/dashboard/stats?period=${period}`,
        headers: t.A.manager.auth,
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json().data.period).toBe(period)
    }
  })
})
