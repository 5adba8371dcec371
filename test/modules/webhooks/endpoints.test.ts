// Webhook endpoints through the API (API.md, "Webhooks"): owners, admins and platform admins manage a
// business's endpoints, its managers and agents get 403, anyone else 404; the secret shows in the
// create and rotate answers only and is kept sealed; every invalid field is named.
import { eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { secretBox } from '../../../src/modules/webhooks/signature.js'
import { webhookEndpoints } from '../../../src/modules/webhooks/tables.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'
import { makeWebhook } from '../../helpers/webhooks.js'

const ctx = useTestApp()
const call = (user: TestUser | null, options: InjectOptions) =>
  ctx.app.inject({ ...options, headers: { ...user?.auth, ...options.headers } })

let A: TenantBusiness
let B: TenantBusiness
let outsider: TestUser
let platformAdmin: TestUser

const webhooks = (businessId: string) => `/api/businesses/${businessId}/webhooks/`
const valid = { url: 'https://hooks.example.com/tessera', events: ['booking.created'] }

beforeAll(async () => {
  ;[A, B, outsider, platformAdmin] = await Promise.all([
    makeBusiness(ctx.app),
    makeBusiness(ctx.app),
    makeUser(ctx.app),
    makeAdmin(ctx.app),
  ])
})

describe('creating an endpoint', () => {
  it('answers 201 with the secret, which no later answer shows; the row keeps it sealed', async () => {
    const created = await call(A.owner, {
      method: 'POST',
      url: webhooks(A.id),
      payload: {
        ...valid,
        events: ['booking.created', 'session.deleted', 'booking.created'],
        description: 'CRM',
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    const body = created.json()
    expect(body.message).toBe('Webhook created')
    expect(body.data).toMatchObject({
      url: 'https://hooks.example.com/tessera',
      events: ['booking.created', 'session.deleted'],
      is_active: true,
      description: 'CRM',
      failing_since: null,
    })
    expect(body.data.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)

    const one = await call(A.owner, { url: `${webhooks(A.id)}${body.data.id}/` })
    expect(one.statusCode).toBe(200)
    expect(one.json().data).not.toHaveProperty('secret')
    expect(one.json().data).toEqual({ ...body.data, secret: undefined })
    const list = await call(A.owner, { url: webhooks(A.id) })
    expect(list.json().data.map((hook: { id: string }) => hook.id)).toContain(body.data.id)
    expect(list.json().data.every((hook: object) => !('secret' in hook))).toBe(true)
    expect(list.json().meta.pagination).toMatchObject({ page: 1, page_size: 20 })

    const [row] = await ctx.app.deps.database.db
      .select({ sealed: webhookEndpoints.secretSealed })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, body.data.id))
    expect(row?.sealed).not.toContain(body.data.secret.slice('whsec_'.length))
    expect(secretBox(ctx.app.config.secretKey).open(row?.sealed ?? '')).toBe(body.data.secret)
  })

  it('names every invalid field at once', async () => {
    const missing = await call(A.owner, { method: 'POST', url: webhooks(A.id), payload: {} })
    expect(missing.statusCode).toBe(400)
    expect(Object.keys(missing.json().errors).sort()).toEqual(['events', 'url'])

    const wrong = await call(A.owner, {
      method: 'POST',
      url: webhooks(A.id),
      payload: { url: 'http://hooks.example.com/', events: ['booking.created', 'booking.deleted'] },
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json()).toMatchObject({
      code: 'validation_error',
      errors: { url: ['Use an https URL.'], events: [expect.stringContaining('Unknown: booking.deleted.')] },
    })

    const empty = await call(A.owner, {
      method: 'POST',
      url: webhooks(A.id),
      payload: { url: 'https://10.0.0.7/hook', events: [] },
    })
    expect(empty.json().errors).toEqual({
      url: ['Use a public address, not a private one.'],
      events: ['Choose at least one event.'],
    })
  })
})

describe('who manages endpoints', () => {
  let hookOfA: string

  beforeAll(async () => {
    hookOfA = (await makeWebhook(ctx.app, A.owner, A.id, valid)).id
  })

  it('owners, admins and platform admins list, create, read and change them', async () => {
    for (const user of [A.owner, A.admin, platformAdmin]) {
      expect((await call(user, { url: webhooks(A.id) })).statusCode).toBe(200)
      expect((await call(user, { url: `${webhooks(A.id)}${hookOfA}/` })).statusCode).toBe(200)
      const created = await call(user, { method: 'POST', url: webhooks(A.id), payload: valid })
      expect(created.statusCode, created.body).toBe(201)
      const patched = await call(user, {
        method: 'PATCH',
        url: `${webhooks(A.id)}${created.json().data.id}/`,
        payload: { description: 'changed' },
      })
      expect(patched.json().data.description).toBe('changed')
    }
  })

  it('managers and agents of the business get 403', async () => {
    for (const user of [A.manager, A.agent]) {
      expect((await call(user, { url: webhooks(A.id) })).statusCode).toBe(403)
      expect((await call(user, { method: 'POST', url: webhooks(A.id), payload: valid })).statusCode).toBe(403)
      expect((await call(user, { url: `${webhooks(A.id)}${hookOfA}/deliveries/` })).statusCode).toBe(403)
      const rotate = await call(user, { method: 'POST', url: `${webhooks(A.id)}${hookOfA}/rotate_secret/` })
      expect(rotate.statusCode).toBe(403)
    }
  })

  it('anyone without a standing in the business gets 404, and anonymous callers 401', async () => {
    for (const user of [outsider, B.owner]) {
      expect((await call(user, { url: webhooks(A.id) })).statusCode).toBe(404)
      expect((await call(user, { url: `${webhooks(A.id)}${hookOfA}/` })).statusCode).toBe(404)
      const deleted = await call(user, { method: 'DELETE', url: `${webhooks(A.id)}${hookOfA}/` })
      expect(deleted.statusCode).toBe(404)
    }
    expect((await call(null, { url: webhooks(A.id) })).statusCode).toBe(401)
  })

  it("another business's endpoint is 404 under the caller's own business", async () => {
    for (const path of ['', 'deliveries/', 'rotate_secret/']) {
      const response = await call(B.owner, {
        method: path === 'rotate_secret/' ? 'POST' : 'GET',
        url: `${webhooks(B.id)}${hookOfA}/${path}`,
      })
      expect(response.statusCode, path).toBe(404)
    }
  })
})

describe('changing an endpoint', () => {
  it('changes its fields, checks them like a create, and rotates its secret', async () => {
    const hook = await makeWebhook(ctx.app, A.admin, A.id, valid)
    const url = `${webhooks(A.id)}${hook.id}/`
    const patched = await call(A.admin, {
      method: 'PATCH',
      url,
      payload: { url: 'https://other.example.com/in', events: ['session.created'], is_active: false },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json()).toMatchObject({
      message: 'Webhook updated',
      data: { url: 'https://other.example.com/in', events: ['session.created'], is_active: false },
    })
    const refused = await call(A.admin, { method: 'PATCH', url, payload: { url: 'nope', events: [] } })
    expect(Object.keys(refused.json().errors).sort()).toEqual(['events', 'url'])

    const rotated = await call(A.admin, { method: 'POST', url: `${url}rotate_secret/` })
    expect(rotated.statusCode).toBe(200)
    expect(rotated.json().data.secret).toMatch(/^whsec_/)
    expect(rotated.json().data.secret).not.toBe(hook.secret)
    const [row] = await ctx.app.deps.database.db
      .select({ sealed: webhookEndpoints.secretSealed })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, hook.id))
    expect(secretBox(ctx.app.config.secretKey).open(row?.sealed ?? '')).toBe(rotated.json().data.secret)
  })

  it('deletes it: 200 with null data, then 404 and gone from the list', async () => {
    const hook = await makeWebhook(ctx.app, A.owner, A.id, valid)
    const url = `${webhooks(A.id)}${hook.id}/`
    const deleted = await call(A.owner, { method: 'DELETE', url })
    expect(deleted.statusCode).toBe(200)
    expect(deleted.json()).toEqual({ data: null, message: 'Deleted' })
    expect((await call(A.owner, { url })).statusCode).toBe(404)
    const list = await call(A.owner, { url: `${webhooks(A.id)}?page_size=100` })
    expect(list.json().data.map((item: { id: string }) => item.id)).not.toContain(hook.id)
  })

  it('lists no deliveries for a new endpoint, and redelivers no unknown one', async () => {
    const hook = await makeWebhook(ctx.app, A.owner, A.id, valid)
    const list = await call(A.owner, { url: `${webhooks(A.id)}${hook.id}/deliveries/` })
    expect(list.statusCode).toBe(200)
    expect(list.json().data).toEqual([])
    expect(list.json().meta.pagination).toMatchObject({ total: 0, next: null, next_cursor: null })
    const redeliver = await call(A.owner, {
      method: 'POST',
      url: `${webhooks(A.id)}${hook.id}/deliveries/${crypto.randomUUID()}/redeliver/`,
    })
    expect(redeliver.statusCode).toBe(404)
  })
})
