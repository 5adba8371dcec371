import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../../src/platform/db/index.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'

const ctx = useTestApp()
let owner: TestUser

const session = (title: string, price: string | number = '10') => ({
  title,
  duration: 45,
  price,
  max_participants: 4,
})

async function createOne(user: TestUser, title: string): Promise<string> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/sessions/',
    headers: user.auth,
    payload: session(title),
  })
  return response.json().data.id
}

async function liveCount(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    ctx.app.deps.database.db,
    sql`select count(*)::int as n from sessions where not is_deleted`,
  )
  return row?.n ?? 0
}

const bulk = (user: TestUser, payload: object) =>
  ctx.app.inject({ method: 'POST', url: '/api/sessions/bulk/', headers: user.auth, payload })

beforeAll(async () => {
  owner = await makeUser(ctx.app, { role: 'creator' })
})

describe('POST /api/sessions/bulk/', () => {
  it('creates, updates and deletes in one go, answering 200', async () => {
    const [keep, drop] = [await createOne(owner, 'Keep'), await createOne(owner, 'Drop')]
    const response = await bulk(owner, {
      create: [session('New A'), session('New B', 12.5)],
      update: [{ id: keep, price: '99.90' }],
      delete: [drop],
    })
    expect(response.statusCode).toBe(200)
    const { data, message } = response.json()
    expect(message).toBeTruthy()
    expect(data.created.map((row: { title: string }) => row.title)).toEqual(['New A', 'New B'])
    expect(data.created[1].price).toBe('12.50')
    expect(data.updated).toEqual([expect.objectContaining({ id: keep, price: '99.90' })])
    expect(data.deleted).toEqual([drop])
    expect((await ctx.app.inject({ url: `/api/sessions/${drop}/` })).statusCode).toBe(404)
  })

  it('applies nothing when one item fails, and keys the errors by item', async () => {
    const existing = await createOne(owner, 'Untouched')
    const before = await liveCount()
    const response = await bulk(owner, {
      create: [session('Fine'), session('Also fine'), { ...session('Bad'), price: -1 }],
      update: [{ id: existing, title: 'Changed' }],
    })
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().errors)).toEqual(['create[2].price'])
    expect(await liveCount()).toBe(before)
    expect((await ctx.app.inject({ url: `/api/sessions/${existing}/` })).json().data.title).toBe('Untouched')
  })

  it('refuses sessions of another business as missing, and rolls back the creates', async () => {
    const stranger = await makeUser(ctx.app, { role: 'creator' })
    const theirs = await createOne(stranger, 'Not yours')
    const before = await liveCount()
    const response = await bulk(owner, {
      create: [session('Would be created')],
      update: [{ id: theirs, title: 'Hijacked' }],
      delete: ['00000000-0000-4000-8000-000000000000', theirs],
    })
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().errors).sort()).toEqual(['delete[0]', 'delete[1]', 'update[0].id'])
    expect(await liveCount()).toBe(before)
    expect((await ctx.app.inject({ url: `/api/sessions/${theirs}/` })).json().data.title).toBe('Not yours')
  })

  it('is for people who may add sessions to a business', async () => {
    const customer = await makeUser(ctx.app)
    expect((await bulk(customer, { create: [session('x')] })).statusCode).toBe(403)
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/sessions/bulk/', payload: {} })).statusCode,
    ).toBe(401)
  })
})
