// Periods follow the business's calendar: a New York business's week and day end at local midnight
// (04:00 UTC in March), a London day is 23 hours on the spring-forward Sunday; platform-wide is UTC.
import { eq } from 'drizzle-orm'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../../src/modules/bookings/tables.js'
import { businesses } from '../../../src/modules/businesses/tables.js'
import { sessions } from '../../../src/modules/catalog/tables.js'
import { reservations } from '../../../src/modules/reservations/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { createBusinessAs } from '../../helpers/tenants.js'

const NOW = new Date('2026-03-18T12:00:00Z') // Wednesday, 08:00 in New York (EDT, UTC-4)
const clock = new ManualClock(NOW)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const db = () => ctx.app.deps.database.db

type Status = 'pending' | 'confirmed' | 'cancelled' | 'completed'

let newYorker: TestUser
let londoner: TestUser
let admin: TestUser

async function businessIn(owner: TestUser, timezone: string) {
  const id = await createBusinessAs(ctx.app, owner)
  await db().update(businesses).set({ timezone }).where(eq(businesses.id, id))
  const [session] = await db()
    .insert(sessions)
    .values({
      businessId: id,
      creatorId: owner.id,
      title: 'Night class',
      duration: 60,
      price: '10.00',
      maxParticipants: 20,
    })
    .returning({ id: sessions.id })
  if (!session) throw new Error('no session')
  return { id, session: session.id }
}

async function book(business: { id: string; session: string }, customer: TestUser, rows: [string, Status][]) {
  await db()
    .insert(bookings)
    .values(
      rows.map(([at, status]) => ({
        businessId: business.id,
        sessionId: business.session,
        userId: customer.id,
        bookingDate: new Date(at),
        status,
        amount: '10.00',
      })),
    )
}

async function stats(user: TestUser, query = '') {
  const response = await ctx.app.inject({ url: `/api/dashboard/stats/${query}`, headers: user.auth })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

beforeAll(async () => {
  ;[newYorker, londoner, admin] = await Promise.all([
    makeUser(ctx.app),
    makeUser(ctx.app),
    makeAdmin(ctx.app),
  ])
  // `early` comes only in the hours that are the week before in New York but this week in UTC.
  const [early, customer] = await Promise.all([makeUser(ctx.app), makeUser(ctx.app)])
  const newYork = await businessIn(newYorker, 'America/New_York')
  await book(newYork, early, [
    ['2026-03-16T03:30:00Z', 'completed'], // Sunday 15th 23:30 local: the week before; Monday in UTC
  ])
  await book(newYork, customer, [
    ['2026-03-23T03:30:00Z', 'confirmed'], // Sunday 23:30 local, the week's last day; Monday in UTC
    ['2026-03-16T04:00:00Z', 'pending'], // Monday 00:00 local: the week's first instant
    ['2026-03-23T04:00:00Z', 'pending'], // next Monday 00:00 local: the week's end, excluded
    ['2026-03-19T02:00:00Z', 'pending'], // Wednesday 22:00 local: today, though Thursday in UTC
    ['2026-03-18T03:00:00Z', 'pending'], // Tuesday 23:00 local: not today, though Wednesday in UTC
  ])
  await db()
    .insert(reservations)
    .values(
      [
        ['2026-03-23T03:00:00Z', customer],
        ['2026-03-16T03:00:00Z', early],
      ].map(([at, who]) => ({
        businessId: newYork.id,
        customerId: (who as TestUser).id,
        startTime: new Date(at as string),
        endTime: new Date(new Date(at as string).getTime() + 30 * 60_000),
        status: 'confirmed' as const,
      })),
    )
  const london = await businessIn(londoner, 'Europe/London')
  await book(london, customer, [
    ['2026-03-29T00:30:00Z', 'pending'], // 00:30 GMT on the spring-forward Sunday
    ['2026-03-29T22:30:00Z', 'confirmed'], // 23:30 BST, the same Sunday
    ['2026-03-29T23:30:00Z', 'confirmed'], // 00:30 BST on Monday the 30th
  ])
})

afterEach(() => clock.set(NOW))

describe('a business in America/New_York', () => {
  it("counts a booking at 23:30 local on the week's last day in that week", async () => {
    const data = await stats(newYorker)
    expect(data).toMatchObject({
      period: 'week',
      from: '2026-03-16T04:00:00.000Z',
      to: '2026-03-23T04:00:00.000Z',
      bookings: {
        total: 4,
        by_status: { pending: 3, confirmed: 1, cancelled: 0, completed: 0 },
        today: 1,
        next_7_days: 3,
      },
      reservations: { total: 1, by_status: { confirmed: 1 } },
      revenue: { amount: '10.00' },
      new_customers: 1, // not `early`, whose rows are all before the local week
    })
  })

  it('takes its local day, month and year, DST change included', async () => {
    expect(await stats(newYorker, '?period=day')).toMatchObject({
      from: '2026-03-18T04:00:00.000Z',
      to: '2026-03-19T04:00:00.000Z',
      bookings: { total: 1, by_status: { pending: 1 } },
    })
    // The month starts in EST (UTC-5) and ends in EDT (UTC-4).
    expect(await stats(newYorker, '?period=month')).toMatchObject({
      from: '2026-03-01T05:00:00.000Z',
      to: '2026-04-01T04:00:00.000Z',
      bookings: { total: 6 },
    })
    expect(await stats(newYorker, '?period=year')).toMatchObject({
      from: '2026-01-01T05:00:00.000Z',
      to: '2027-01-01T05:00:00.000Z',
    })
  })

  it('is counted in UTC weeks platform-wide', async () => {
    expect(await stats(admin)).toMatchObject({
      business: null,
      from: '2026-03-16T00:00:00.000Z',
      to: '2026-03-23T00:00:00.000Z',
      bookings: {
        total: 4,
        by_status: { pending: 3, confirmed: 0, cancelled: 0, completed: 1 },
        // The UTC day of the 18th holds the booking of Tuesday 23:00 in New York.
        today: 1,
      },
      reservations: { total: 1 },
      new_customers: 2,
    })
  })
})

describe('a business in Europe/London', () => {
  it('has a 23-hour day on the spring-forward Sunday', async () => {
    clock.set(new Date('2026-03-29T12:00:00Z'))
    expect(await stats(londoner, '?period=day')).toMatchObject({
      from: '2026-03-29T00:00:00.000Z',
      to: '2026-03-29T23:00:00.000Z',
      bookings: { total: 2, by_status: { pending: 1, confirmed: 1 }, today: 2 },
    })
  })
})
