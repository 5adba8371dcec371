import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../../src/platform/db/index.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeSession } from '../../helpers/factories.js'

const ctx = useTestApp()
let owner: TestUser

const session = (title: string, price: string | number = '10') => ({
  title,
  duration: 45,
  price,
  max_participants: 4,
})

/** A session of `user`'s business: its id. */
const createOne = async (user: TestUser, title: string) =>
  (await makeSession(ctx.app, user, session(title))).id

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

  it('names every failing item in one answer: shape errors and unknown, foreign or doubled ids', async () => {
    const stranger = await makeUser(ctx.app, { role: 'creator' })
    const [theirs, mine] = [await createOne(stranger, 'Theirs'), await createOne(owner, 'Mine')]
    const before = await liveCount()
    const response = await bulk(owner, {
      create: [
        session('Fine'),
        { ...session('No title'), title: undefined },
        { ...session('Bad'), price: -1 },
      ],
      update: [
        { id: '00000000-0000-4000-8000-000000000000', title: 'Unknown' },
        { id: theirs, title: 'Foreign' },
        { id: 'not-a-uuid' },
        { id: mine, max_participants: 0 },
      ],
      delete: [theirs, mine, 7],
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('validation_error')
    const { errors } = response.json()
    expect(errors).toEqual({
      'create[1].title': ['This field is required.'],
      'create[2].price': ['Enter an amount from 0 to 99999999.99 with at most 2 decimal places.'],
      'update[0].id': ['No such session in this business.'],
      'update[1].id': ['No such session in this business.'],
      'update[2].id': ['Must be a valid UUID.'],
      'update[3].max_participants': ['Must be >= 1.'],
      'delete[0]': ['No such session in this business.'],
      'delete[1]': ['This session is also updated in the same request.'],
      'delete[2]': ['Must be a valid UUID.'],
    })
    expect(await liveCount()).toBe(before)
    expect((await ctx.app.inject({ url: `/api/sessions/${mine}/` })).json().data.max_participants).toBe(4)
  })

  it('coerces and strips a valid body as the other session routes do', async () => {
    const response = await bulk(owner, {
      create: [{ ...session('Coerced'), duration: '30', max_participants: '6', business: 'ignored' }],
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.created[0]).toMatchObject({
      title: 'Coerced',
      duration: 30,
      max_participants: 6,
    })
  })

  it('names unknown ids also when the lists around them are malformed', async () => {
    const response = await bulk(owner, {
      create: {},
      update: [{ id: '00000000-0000-4000-8000-000000000000' }],
      delete: {},
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual({
      create: ['Must be array.'],
      'update[0].id': ['No such session in this business.'],
      delete: ['Must be array.'],
    })
  })

  it('documents the real item schemas in the OpenAPI document', async () => {
    const document = (await ctx.app.inject({ url: '/api/schema/' })).json()
    const body = document.paths['/api/sessions/bulk/'].post.requestBody.content['application/json'].schema
    expect(body.properties.create.items.required).toEqual(['title', 'duration', 'price', 'max_participants'])
    expect(body.properties.update.items.required).toEqual(['id'])
    expect(body.properties.update.items.properties.max_participants).toMatchObject({ minimum: 1 })
    expect(body.properties.delete.items).toMatchObject({ type: 'string', format: 'uuid' })
  })

  it('is for people who may add sessions to a business', async () => {
    const customer = await makeUser(ctx.app)
    expect((await bulk(customer, { create: [session('x')] })).statusCode).toBe(403)
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/sessions/bulk/', payload: {} })).statusCode,
    ).toBe(401)
  })
})
