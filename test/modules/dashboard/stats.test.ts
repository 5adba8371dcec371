// GET /api/dashboard/stats/ numbers, against a hand-computed fixture written straight into the tables
// (exact instants and statuses). The clock stands on Wednesday 2026-03-18 12:00 UTC; business A keeps
// UTC, so its week is [Mon 2026-03-16, Mon 2026-03-23). Each row's comment says where it counts.
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { bookings } from '../../../src/modules/bookings/tables.js'
import { businesses } from '../../../src/modules/businesses/tables.js'
import { sessions } from '../../../src/modules/catalog/tables.js'
import { reservations } from '../../../src/modules/reservations/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { createBusinessAs, makeTenants, type Tenants } from '../../helpers/tenants.js'

const NOW = new Date('2026-03-18T12:00:00Z')
const clock = new ManualClock(NOW)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const db = () => ctx.app.deps.database.db

type Status = 'pending' | 'confirmed' | 'cancelled' | 'completed'

let t: Tenants
/** Ten customers, c1..c10 below. */
type Ten = [
  TestUser,
  TestUser,
  TestUser,
  TestUser,
  TestUser,
  TestUser,
  TestUser,
  TestUser,
  TestUser,
  TestUser,
]
const ids: Record<string, string> = {}

async function business(owner: TestUser, currency: string, id?: string) {
  const businessId = id ?? (await createBusinessAs(ctx.app, owner))
  await db().update(businesses).set({ timezone: 'UTC', currency }).where(eq(businesses.id, businessId))
  return businessId
}

async function session(businessId: string, creator: TestUser, title: string, max: number, isDeleted = false) {
  const [row] = await db()
    .insert(sessions)
    .values({
      businessId,
      creatorId: creator.id,
      title,
      duration: 60,
      price: '10.00',
      maxParticipants: max,
      isDeleted,
    })
    .returning({ id: sessions.id })
  if (!row) throw new Error('no session')
  ids[title] = row.id
  return row.id
}

type BookingRow = [
  session: string,
  at: string,
  customer: TestUser,
  status: Status,
  amount: string,
  deleted?: boolean,
]
async function book(businessId: string, rows: BookingRow[]) {
  await db()
    .insert(bookings)
    .values(
      rows.map(([sessionId, at, customer, status, amount, isDeleted = false]) => ({
        businessId,
        sessionId,
        userId: customer.id,
        bookingDate: new Date(at),
        status,
        amount,
        isDeleted,
      })),
    )
}

type ReservationRow = [at: string, customer: TestUser, status: Status, deleted?: boolean]
async function reserve(businessId: string, rows: ReservationRow[]) {
  await db()
    .insert(reservations)
    .values(
      rows.map(([at, customer, status, isDeleted = false]) => ({
        businessId,
        customerId: customer.id,
        startTime: new Date(at),
        endTime: new Date(new Date(at).getTime() + 30 * 60_000),
        status,
        isDeleted,
      })),
    )
}

async function stats(user: TestUser, query = '', headers: Record<string, string> = {}) {
  const response = await ctx.app.inject({
    url: `/api/dashboard/stats/${query}`,
    headers: { ...user.auth, ...headers },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

const counts = (
  total: number,
  [pending, confirmed, cancelled, completed]: number[],
  today: number,
  next: number,
) => ({
  total,
  by_status: { pending, confirmed, cancelled, completed },
  today,
  next_7_days: next,
})
const occupied = (title: string, booked: number, capacity: number, rate: number) => ({
  session_id: ids[title],
  title,
  booked,
  capacity,
  rate,
})
const top = (title: string, count: number) => ({ session_id: ids[title], title, bookings: count })

// Slots of A's week: T1 is its first instant, T6 its last second, T3 later today, T4 earlier today.
const T1 = '2026-03-16T00:00:00Z'
const T2 = '2026-03-17T10:00:00Z'
const T3 = '2026-03-18T15:00:00Z'
const T4 = '2026-03-18T09:00:00Z'
const T5 = '2026-03-20T18:00:00Z'
const T6 = '2026-03-22T23:59:59Z'

let C: string
let D: string

beforeAll(async () => {
  t = await makeTenants(ctx.app)
  const customers = await Promise.all(Array.from({ length: 10 }, () => makeUser(ctx.app)))
  const [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10] = customers as Ten
  const A = await business(t.A.owner, 'EUR', t.A.id)
  const B = await business(t.B.owner, 'USD', t.B.id)
  const other = await makeUser(ctx.app)
  C = await business(other, 'EUR')
  D = await business(other, 'EUR')

  const yoga = await session(A, t.A.owner, 'Yoga', 4)
  const boxing = await session(A, t.A.owner, 'Boxing', 2)
  const ceramics = await session(A, t.A.owner, 'Ceramics', 10)
  const spin = await session(A, t.A.owner, 'Spin', 3)
  const barre = await session(A, t.A.owner, 'Barre', 3)
  const aerial = await session(A, t.A.owner, 'Aerial', 3)
  const gone = await session(A, t.A.owner, 'Gone', 5, true)
  await book(A, [
    [yoga, T1, c1, 'confirmed', '20.00'], // b1: week, revenue, from inclusive
    [yoga, T1, c2, 'completed', '20.00'], // b2: week, revenue
    [yoga, T2, c3, 'pending', '20.00'], // b3: week
    [yoga, T2, c4, 'cancelled', '20.00'], // b4: week, no seat
    [boxing, T3, c1, 'confirmed', '15.50'], // b5: week, revenue, today, next 7 days
    [boxing, T3, c5, 'pending', '15.50'], // b6: week, today, next 7 days
    [boxing, T4, c2, 'confirmed', '15.50'], // b7: week, revenue, today (before now)
    [ceramics, T6, c6, 'completed', '40.25'], // b8: week (last second), revenue
    [gone, T5, c3, 'confirmed', '10.00'], // b9: deleted session: counts, revenue, next 7 days; not listed
    [spin, T5, c4, 'pending', '12.00'], // b10: week, next 7 days
    [spin, T5, c5, 'pending', '12.00'], // b11: week, next 7 days
    [barre, T5, c6, 'confirmed', '18.00'], // b12: week, revenue, next 7 days
    [aerial, T5, c1, 'confirmed', '30.00'], // b13: week, revenue, next 7 days
    [aerial, T2, c2, 'cancelled', '30.00'], // b14: week; its slot holds no seat
    [ceramics, T2, c6, 'confirmed', '99.00', true], // b15: soft-deleted: nowhere
    [yoga, '2026-03-15T23:59:59Z', c1, 'confirmed', '20.00'], // b16: the second before the week; month
    [yoga, '2026-03-23T00:00:00Z', c2, 'pending', '20.00'], // b17: the week's end (excluded); next 7 days
    [ceramics, '2026-03-25T11:59:00Z', c3, 'confirmed', '40.25'], // b18: next 7 days; month
    [ceramics, '2026-03-25T12:00:00Z', c3, 'pending', '40.25'], // b19: now + 7 days exactly: not next 7 days
    [boxing, '2026-02-28T23:59:59Z', c5, 'cancelled', '15.50'], // b20: before the month; year
    [ceramics, '2026-01-10T10:00:00Z', c6, 'confirmed', '40.25', true], // b21: soft-deleted
    [yoga, '2026-04-01T00:00:00Z', c1, 'pending', '20.00'], // b22: the month's end (excluded); year
    [yoga, '2027-01-01T00:00:00Z', c10, 'pending', '20.00'], // b23: the year's end (excluded)
    [yoga, '2025-12-31T23:59:59Z', c10, 'completed', '20.00'], // b24: before the year
  ])
  await reserve(A, [
    ['2026-03-17T09:00:00Z', c1, 'confirmed'], // r1: week
    ['2026-03-18T14:00:00Z', c2, 'pending'], // r2: week, today, next 7 days
    ['2026-03-19T10:00:00Z', c7, 'cancelled'], // r3: week (c7's only rows are reservations)
    ['2026-03-18T08:00:00Z', c4, 'completed'], // r4: week; today but completed
    ['2026-03-19T12:00:00Z', c5, 'confirmed', true], // r5: soft-deleted
    ['2026-03-23T00:00:00Z', c7, 'pending'], // r6: the week's end (excluded); next 7 days
    ['2026-03-01T10:00:00Z', c4, 'confirmed'], // r7: before the week; month
    ['2026-03-16T00:00:00Z', c3, 'confirmed'], // r8: the week's first instant
    ['2026-03-15T23:30:00Z', c8, 'pending'], // r9: just before the week; month
    ['2026-03-18T12:00:00Z', c1, 'confirmed'], // r10: exactly now: today and next 7 days
    ['2027-01-01T00:00:00Z', c10, 'pending'], // r11: the year's end (excluded)
  ])

  const pilates = await session(B, t.B.owner, 'Pilates', 5)
  await book(B, [
    [pilates, '2026-03-19T10:00:00Z', c1, 'confirmed', '100.00'],
    [pilates, '2026-03-19T10:00:00Z', c3, 'pending', '100.00'],
    [pilates, '2026-02-10T10:00:00Z', c2, 'confirmed', '100.00'], // c2's first booking anywhere
  ])
  await reserve(B, [['2026-03-19T09:00:00Z', c1, 'confirmed']])

  const kiln = await session(C, other, 'Kiln', 1)
  await book(C, [[kiln, '2026-03-17T10:00:00Z', c8, 'completed', '7.00']])

  const closed = await session(D, other, 'Closed', 5)
  await book(D, [
    [closed, '2026-03-17T10:00:00Z', c9, 'confirmed', '1000.00'],
    [closed, '2026-02-01T10:00:00Z', c6, 'confirmed', '1000.00'],
  ])
  await reserve(D, [['2026-03-18T13:00:00Z', c9, 'confirmed']])
  const deleted = await ctx.app.inject({
    method: 'DELETE',
    url: `/api/businesses/${D}/`,
    headers: other.auth,
  })
  expect(deleted.statusCode, deleted.body).toBe(200)
})

// A's week, computed by hand from the comments above.
const A_WEEK = {
  period: 'week',
  from: '2026-03-16T00:00:00.000Z',
  to: '2026-03-23T00:00:00.000Z',
  bookings: counts(14, [4, 6, 2, 2], 3, 9),
  reservations: counts(6, [1, 3, 1, 1], 2, 3),
  revenue: { amount: '169.25', currency: 'EUR' },
  new_customers: 4, // c2 (earlier only in B), c3, c6 (earlier only deleted), c7 (reservations only)
}

describe('a business week', () => {
  it('counts, sums and ranks every number of the fixture', async () => {
    const data = await stats(t.A.manager, '?period=week')
    expect(data).toMatchObject({ ...A_WEEK, business: { id: t.A.id, name: expect.any(String) } })
    // Rate = seat-holding bookings / (max_participants × distinct slots holding a seat).
    expect(data.occupancy).toEqual([
      occupied('Boxing', 3, 4, 0.75),
      occupied('Spin', 2, 3, 0.6667),
      occupied('Yoga', 3, 8, 0.375),
      occupied('Aerial', 1, 3, 0.3333),
      occupied('Barre', 1, 3, 0.3333),
      occupied('Ceramics', 1, 10, 0.1),
    ])
    // Ties by title; five at most, so Ceramics (one booking, like Aerial and Barre) is left out.
    expect(data.top_sessions).toEqual([
      top('Boxing', 3),
      top('Yoga', 3),
      top('Spin', 2),
      top('Aerial', 1),
      top('Barre', 1),
    ])
  })

  it('is the default period', async () => {
    expect(await stats(t.A.owner)).toEqual(await stats(t.A.owner, '?period=week'))
  })

  it('answers the same numbers to managers and above and to a platform admin asking for A', async () => {
    const expected = await stats(t.A.owner)
    for (const role of ['admin', 'manager'] as const) expect(await stats(t.A[role])).toEqual(expected)
    expect(await stats(t.platformAdmin, `?business=${t.A.id}`)).toEqual(expected)
    expect(await stats(t.platformAdmin, '', { 'x-business-id': t.A.id })).toEqual(expected)
  })
})

describe('the other periods of business A', () => {
  it('day: today only; today and next 7 days do not depend on the period', async () => {
    const data = await stats(t.A.manager, '?period=day')
    expect(data).toMatchObject({
      period: 'day',
      from: '2026-03-18T00:00:00.000Z',
      to: '2026-03-19T00:00:00.000Z',
      bookings: counts(3, [1, 2, 0, 0], 3, 9),
      reservations: counts(3, [1, 1, 0, 1], 2, 3),
      revenue: { amount: '31.00', currency: 'EUR' },
      new_customers: 0, // c1, c2, c4 and c5 all came before today
      occupancy: [occupied('Boxing', 3, 4, 0.75)],
      top_sessions: [top('Boxing', 3)],
    })
  })

  it('month: the rows around the week join, the ones outside March stay out', async () => {
    const data = await stats(t.A.manager, '?period=month')
    expect(data).toMatchObject({
      period: 'month',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      bookings: counts(18, [6, 8, 2, 2], 3, 9),
      reservations: counts(9, [3, 4, 1, 1], 2, 3),
      revenue: { amount: '229.50', currency: 'EUR' },
      new_customers: 7, // all but c5 (a booking on 2026-02-28)
    })
    expect(data.occupancy).toEqual([
      occupied('Boxing', 3, 4, 0.75),
      occupied('Spin', 2, 3, 0.6667),
      occupied('Aerial', 1, 3, 0.3333),
      occupied('Barre', 1, 3, 0.3333),
      occupied('Yoga', 5, 16, 0.3125),
      occupied('Ceramics', 3, 30, 0.1),
    ])
    expect(data.top_sessions).toEqual([
      top('Yoga', 5),
      top('Boxing', 3),
      top('Ceramics', 3),
      top('Spin', 2),
      top('Aerial', 1),
    ])
  })

  it('year: 2026 only', async () => {
    const data = await stats(t.A.manager, '?period=year')
    expect(data).toMatchObject({
      period: 'year',
      from: '2026-01-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      bookings: counts(20, [7, 8, 3, 2], 3, 9),
      reservations: counts(9, [3, 4, 1, 1], 2, 3),
      revenue: { amount: '229.50', currency: 'EUR' },
      new_customers: 8, // c1..c8; c10's rows are all outside 2026
    })
  })
})

describe('tenancy', () => {
  it("never shows B's staff A's numbers, nor A's staff B's", async () => {
    const data = await stats(t.B.manager)
    expect(data).toMatchObject({
      business: { id: t.B.id },
      bookings: counts(2, [1, 1, 0, 0], 0, 2),
      reservations: counts(1, [0, 1, 0, 0], 0, 1),
      revenue: { amount: '100.00', currency: 'USD' },
      new_customers: 2, // c1 and c3 are new to B, whatever they did at A
      occupancy: [occupied('Pilates', 2, 5, 0.4)],
      top_sessions: [top('Pilates', 2)],
    })
    const forA = await ctx.app.inject({
      url: `/api/dashboard/stats/?business=${t.A.id}`,
      headers: t.B.owner.auth,
    })
    expect(forA.statusCode).toBe(404)
    const viaHeader = await ctx.app.inject({
      url: '/api/dashboard/stats/',
      headers: { ...t.A.owner.auth, 'x-business-id': t.B.id },
    })
    expect(viaHeader.statusCode).toBe(404)
  })

  it("gives a platform admin every live business's numbers, revenue in the default currency only", async () => {
    const data = await stats(t.platformAdmin)
    expect(data).toMatchObject({
      period: 'week',
      from: '2026-03-16T00:00:00.000Z',
      to: '2026-03-23T00:00:00.000Z',
      business: null,
      // A + B + C; the deleted business D's rows count nowhere.
      bookings: counts(17, [5, 7, 2, 3], 3, 11),
      reservations: counts(7, [1, 4, 1, 1], 2, 4),
      // A's 169.25 EUR + C's 7.00 EUR; B's USD left out.
      revenue: { amount: '176.25', currency: 'EUR' },
      // New to the platform: c3, c6 (earlier only at the deleted D) and c7; c2 booked B in February.
      new_customers: 3,
    })
    expect(data.occupancy).toEqual([
      occupied('Kiln', 1, 1, 1),
      occupied('Boxing', 3, 4, 0.75),
      occupied('Spin', 2, 3, 0.6667),
      occupied('Pilates', 2, 5, 0.4),
      occupied('Yoga', 3, 8, 0.375),
      occupied('Aerial', 1, 3, 0.3333),
      occupied('Barre', 1, 3, 0.3333),
      occupied('Ceramics', 1, 10, 0.1),
    ])
    expect(data.top_sessions).toEqual([
      top('Boxing', 3),
      top('Yoga', 3),
      top('Pilates', 2),
      top('Spin', 2),
      top('Aerial', 1),
    ])
  })

  it('reports the default currency platform-wide when it changes', async () => {
    const patch = (currency: string) =>
      ctx.app.inject({
        method: 'PATCH',
        url: '/api/settings/',
        headers: t.platformAdmin.auth,
        payload: { default_currency: currency },
      })
    expect((await patch('USD')).statusCode).toBe(200)
    try {
      expect((await stats(t.platformAdmin)).revenue).toEqual({ amount: '100.00', currency: 'USD' })
      expect((await stats(t.A.owner)).revenue).toEqual({ amount: '169.25', currency: 'EUR' })
    } finally {
      expect((await patch('EUR')).statusCode).toBe(200)
    }
  })

  it('answers 404 to a platform admin for a deleted business', async () => {
    const response = await ctx.app.inject({
      url: `/api/dashboard/stats/?business=${D}`,
      headers: t.platformAdmin.auth,
    })
    expect(response.statusCode).toBe(404)
    expect((await stats(t.platformAdmin, `?business=${C}`)).revenue).toEqual({
      amount: '7.00',
      currency: 'EUR',
    })
  })
})

describe('zero', () => {
  it('answers zeros, empty lists and "0.00" for a business with nothing in the period', async () => {
    const owner = await makeUser(ctx.app)
    const empty = await createBusinessAs(ctx.app, owner)
    const data = await stats(owner)
    expect(data).toMatchObject({
      business: { id: empty },
      bookings: counts(0, [0, 0, 0, 0], 0, 0),
      reservations: counts(0, [0, 0, 0, 0], 0, 0),
      revenue: { amount: '0.00', currency: 'EUR' },
      occupancy: [],
      new_customers: 0,
      top_sessions: [],
    })
  })
})
