// A session's capacity never drops below the seats already taken in one of its future slots (API.md,
// "max_participants below seats already taken"): PATCH, PUT and bulk updates that would are 409
// `conflict` naming `max_participants`, and change nothing. Past slots and cancelled bookings do not
// count. The race against concurrent bookings is test/modules/bookings/capacity-race.test.ts.
import { beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { book, makeSession } from '../../helpers/factories.js'

const START = new Date('2026-03-01T09:00:00Z')
const clock = new ManualClock(START)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })

let owner: TestUser
const customers: TestUser[] = []

const fields = { title: 'Climbing', duration: 60, price: '15.00' }

/** A session of the owner's business with `capacity` seats: its id. */
const sessionOf = async (capacity: number) =>
  (await makeSession(ctx.app, owner, { ...fields, max_participants: capacity })).id

/** `count` customers book the slot; answers the booking ids. */
async function fill(session: string, date: string, count: number): Promise<string[]> {
  const ids = []
  for (const customer of customers.slice(0, count))
    ids.push((await book(ctx.app, customer, session, date)).id)
  return ids
}

const change = (method: 'PATCH' | 'PUT', session: string, capacity: number) =>
  ctx.app.inject({
    method,
    url: `/api/sessions/${session}/`,
    headers: owner.auth,
    payload: method === 'PUT' ? { ...fields, max_participants: capacity } : { max_participants: capacity },
  })

const capacityOf = async (session: string) =>
  (await ctx.app.inject({ url: `/api/sessions/${session}/` })).json().data.max_participants

let hour = 0
/** A distinct slot, days ahead of the clock's start. */
const nextSlot = () => new Date(START.getTime() + 7 * 86_400_000 + ++hour * 3_600_000).toISOString()

beforeAll(async () => {
  owner = await makeUser(ctx.app, { role: 'creator' })
  customers.push(...(await Promise.all(Array.from({ length: 4 }, () => makeUser(ctx.app)))))
})

describe('lowering max_participants below the seats taken', () => {
  it('is 409 conflict naming max_participants, by PATCH or PUT, and changes nothing', async () => {
    const session = await sessionOf(4)
    await fill(session, nextSlot(), 1)
    await fill(session, nextSlot(), 3)
    for (const method of ['PATCH', 'PUT'] as const) {
      const response = await change(method, session, 2)
      expect(response.statusCode, method).toBe(409)
      expect(response.json()).toMatchObject({
        code: 'conflict',
        errors: { max_participants: [expect.stringContaining('3')] },
      })
    }
    expect(await capacityOf(session)).toBe(4)
    expect((await change('PATCH', session, 3)).statusCode).toBe(200)
    expect((await change('PUT', session, 10)).statusCode).toBe(200)
    expect(await capacityOf(session)).toBe(10)
  })

  it('leaves the other fields of a refused PATCH unapplied too', async () => {
    const session = await sessionOf(3)
    await fill(session, nextSlot(), 2)
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/sessions/${session}/`,
      headers: owner.auth,
      payload: { title: 'Renamed', max_participants: 1 },
    })
    expect(response.statusCode).toBe(409)
    expect((await ctx.app.inject({ url: `/api/sessions/${session}/` })).json().data.title).toBe('Climbing')
  })

  it('does not count cancelled bookings', async () => {
    const session = await sessionOf(3)
    const [first] = await fill(session, nextSlot(), 2)
    const cancelled = await ctx.app.inject({
      method: 'POST',
      url: `/api/bookings/${first}/cancel/`,
      headers: customers[0]?.auth,
    })
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expect((await change('PATCH', session, 1)).statusCode).toBe(200)
  })

  it('does not count slots that have begun', async () => {
    const session = await sessionOf(3)
    const slot = nextSlot()
    await fill(session, slot, 3)
    expect((await change('PATCH', session, 2)).statusCode).toBe(409)
    clock.set(new Date(slot))
    try {
      expect((await change('PATCH', session, 2)).statusCode).toBe(200)
    } finally {
      clock.set(START)
    }
  })

  it('refuses a bulk update the same way, naming each failing item, and applies nothing', async () => {
    const [full, roomy] = [await sessionOf(3), await sessionOf(3)]
    await fill(full, nextSlot(), 3)
    await fill(roomy, nextSlot(), 1)
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/sessions/bulk/',
      headers: owner.auth,
      payload: {
        create: [{ ...fields, max_participants: 2 }],
        update: [
          { id: roomy, max_participants: 1 },
          { id: full, max_participants: 2 },
          { id: roomy, title: 'Only a title' },
        ],
      },
    })
    expect(response.statusCode).toBe(409)
    expect(response.json().code).toBe('conflict')
    expect(Object.keys(response.json().errors)).toEqual(['update[1].max_participants'])
    expect(await capacityOf(full)).toBe(3)
    expect(await capacityOf(roomy)).toBe(3)
  })
})
