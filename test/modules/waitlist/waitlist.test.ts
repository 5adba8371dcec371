// The waiting list through its endpoints (API.md, "Waiting list"): joining only a full slot, once, by
// the booking rules; the caller's list with places in line; claiming an offered seat before the offer
// runs out; leaving; others' entries answering 404. How seats move between bookings and offers is
// offers.test.ts; random interleavings are properties.test.ts.
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { queryRows } from '../../../src/platform/db/index.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { type BookingOut, book, businessOf, makeSession } from '../../helpers/factories.js'
import {
  cancelBooking,
  claimOffer,
  type EntryOut,
  entriesOf,
  joinWaitlist,
  leaveWaitlist,
  makeCast,
  slotsAhead,
} from '../../helpers/waitlist.js'

const START = new Date('2026-03-01T09:00:00Z')
const clock = new ManualClock(START)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const HOUR = 3_600_000

let creator: TestUser
let holder: TestUser
let first: TestUser
let second: TestUser
let stranger: TestUser

const nextSlot = slotsAhead(clock)

/** A session of one seat and a slot of it that `holder` booked: full. */
async function fullSlot(fields: Record<string, unknown> = {}) {
  const session = (await makeSession(ctx.app, creator, { title: 'Rowing', max_participants: 1, ...fields }))
    .id
  const date = nextSlot()
  const booking = await book(ctx.app, holder, session, date)
  return { session, date, booking }
}

async function joined(user: TestUser, session: string, date: string): Promise<EntryOut> {
  const response = await joinWaitlist(ctx.app, user, session, date)
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}

const refusal = (response: { statusCode: number; json(): { code: string } }) => [
  response.statusCode,
  response.json().code,
]

beforeAll(async () => {
  ;({ creator, holder, first, second, other: stranger } = await makeCast(ctx.app))
})

describe('POST /api/sessions/{id}/waitlist/', () => {
  it('joins the line of a full slot: 201 with the entry, places in the order of joining', async () => {
    const { session, date } = await fullSlot()
    const response = await joinWaitlist(ctx.app, first, session, date)
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().message).toBeTruthy()
    expect(response.json().data).toEqual({
      id: expect.any(String),
      session: { id: session, title: 'Rowing', duration: 60, price: '25.00' },
      booking_date: date,
      status: 'waiting',
      position: 1,
      offer_expires_at: null,
      created_at: clock.now().toISOString(),
      updated_at: clock.now().toISOString(),
    })
    expect((await joined(second, session, date)).position).toBe(2)
  })

  it('refuses a slot with seats left (409 seats_available), also one nobody booked yet', async () => {
    const session = (await makeSession(ctx.app, creator, { max_participants: 2 })).id
    const date = nextSlot()
    expect(refusal(await joinWaitlist(ctx.app, first, session, date))).toEqual([409, 'seats_available'])
    await book(ctx.app, holder, session, date)
    expect(refusal(await joinWaitlist(ctx.app, first, session, date))).toEqual([409, 'seats_available'])
  })

  it('refuses someone in line already (409 already_waiting) and the holder of a seat (already_booked)', async () => {
    const { session, date } = await fullSlot()
    await joined(first, session, date)
    expect(refusal(await joinWaitlist(ctx.app, first, session, date))).toEqual([409, 'already_waiting'])
    expect(refusal(await joinWaitlist(ctx.app, holder, session, date))).toEqual([409, 'already_booked'])
  })

  it('applies the booking rules: the session, its owner, a future instant, a scheduled slot', async () => {
    const { session, date } = await fullSlot()
    const missing = await joinWaitlist(ctx.app, first, '00000000-0000-4000-8000-000000000000', date)
    expect(missing.statusCode).toBe(404)
    expect(refusal(await joinWaitlist(ctx.app, creator, session, date))).toEqual([400, 'bad_request'])
    const past = await joinWaitlist(ctx.app, first, session, new Date(START.getTime() - HOUR).toISOString())
    expect(past.statusCode).toBe(400)
    expect(Object.keys(past.json().errors)).toEqual(['booking_date'])
    const naive = await joinWaitlist(ctx.app, first, session, '2026-04-01T10:00:00')
    expect(naive.statusCode).toBe(400)

    const closed = (await makeSession(ctx.app, creator, { status: 'inactive' })).id
    const inactive = await joinWaitlist(ctx.app, first, closed, date)
    expect(inactive.statusCode).toBe(400)
    expect(Object.keys(inactive.json().errors)).toEqual(['session'])

    const weekly = {
      weekly: [{ weekday: 'mon' as const, times: ['09:00'] }],
      starts_on: '2026-03-02',
      ends_on: null,
      exceptions: [],
    }
    const scheduled = (await makeSession(ctx.app, creator, { max_participants: 1, schedule: weekly })).id
    const unscheduled = await joinWaitlist(ctx.app, first, scheduled, '2026-03-10T09:00:00Z')
    expect(unscheduled.statusCode).toBe(400)
    expect(Object.keys(unscheduled.json().errors)).toEqual(['booking_date'])
    await book(ctx.app, holder, scheduled, '2026-03-09T09:00:00Z')
    expect((await joined(first, scheduled, '2026-03-09T09:00:00Z')).position).toBe(1)
  })

  it('needs a signed-in caller', async () => {
    const { session, date } = await fullSlot()
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/sessions/${session}/waitlist/`,
      payload: { booking_date: date },
    })
    expect(response.statusCode).toBe(401)
  })
})

describe('GET /api/waitlist/', () => {
  it("lists the caller's own entries, newest first, paginated, filtered by status", async () => {
    const user = await makeUser(ctx.app)
    const older = await fullSlot()
    const a = await joined(user, older.session, older.date)
    clock.advance(60_000)
    const newer = await fullSlot()
    const b = await joined(user, newer.session, newer.date)
    await joined(stranger, newer.session, newer.date)

    const page = await ctx.app.inject({ url: '/api/waitlist/?page_size=1', headers: user.auth })
    expect(page.statusCode, page.body).toBe(200)
    expect(page.json().data.map((row: EntryOut) => row.id)).toEqual([b.id])
    expect(page.json().meta.pagination).toMatchObject({
      total: 2,
      total_pages: 2,
      next_cursor: expect.any(String),
    })
    expect((await entriesOf(ctx.app, user)).map((row) => row.id)).toEqual([b.id, a.id])

    await cancelBooking(ctx.app, holder, older.booking.id)
    const offered = await ctx.app.inject({ url: '/api/waitlist/?status=offered', headers: user.auth })
    expect(offered.json().data).toEqual([
      expect.objectContaining({ id: a.id, status: 'offered', position: null }),
    ])
  })
})

describe('claiming and leaving', () => {
  it('claims the offered seat: 201 with the pending booking, as POST /api/bookings/ answers it', async () => {
    const { session, date, booking } = await fullSlot({ price: '30.00' })
    const entry = await joined(first, session, date)
    expect((await cancelBooking(ctx.app, creator, booking.id)).statusCode).toBe(200)
    const response = await claimOffer(ctx.app, first, entry.id)
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().message).toBe('Booking created')
    const claimed = response.json().data as BookingOut
    expect(claimed).toMatchObject({
      session: { id: session, title: 'Rowing', price: '30.00' },
      user: { id: first.id, username: first.username },
      booking_date: date,
      status: 'pending',
      amount: '30.00',
    })
    const detail = await ctx.app.inject({ url: `/api/bookings/${claimed.id}/`, headers: first.auth })
    expect(detail.json().data).toEqual(claimed)
    expect((await entriesOf(ctx.app, first)).find((row) => row.id === entry.id)?.status).toBe('claimed')
    expect(refusal(await claimOffer(ctx.app, first, entry.id))).toEqual([409, 'invalid_transition'])
  })

  it("tells the business's webhooks about the booking a claim makes (booking.created)", async () => {
    const business = await businessOf(ctx.app, creator)
    const endpoint = await ctx.app.inject({
      method: 'POST',
      url: `/api/businesses/${business.id}/webhooks/`,
      headers: creator.auth,
      payload: { url: 'https://hooks.example.com/tessera', events: ['booking.created'] },
    })
    expect(endpoint.statusCode, endpoint.body).toBe(201)
    const { session, date, booking } = await fullSlot()
    const entry = await joined(first, session, date)
    await cancelBooking(ctx.app, creator, booking.id)
    const claimed = (await claimOffer(ctx.app, first, entry.id)).json().data as BookingOut
    const events = await queryRows<{ data: { id: string; status: string } }>(
      ctx.app.deps.database.db,
      sql`select data from webhook_events where type = 'booking.created' and data->>'id' = ${claimed.id}`,
    )
    expect(events.map((event) => event.data)).toMatchObject([{ id: claimed.id, status: 'pending' }])
  })

  it('refuses a claim once the offer ran out (409 offer_expired), and of an entry only waiting', async () => {
    const { session, date, booking } = await fullSlot()
    const entry = await joined(first, session, date)
    const behind = await joined(second, session, date)
    expect(refusal(await claimOffer(ctx.app, first, entry.id))).toEqual([409, 'invalid_transition'])
    await cancelBooking(ctx.app, holder, booking.id)
    const [offer] = (await entriesOf(ctx.app, first)).filter((row) => row.id === entry.id)
    clock.set(new Date(offer?.offer_expires_at ?? ''))
    expect(refusal(await claimOffer(ctx.app, first, entry.id))).toEqual([409, 'offer_expired'])
    expect(refusal(await claimOffer(ctx.app, second, behind.id))).toEqual([409, 'invalid_transition'])
  })

  it("answers 404 for another's entry, to claim or to leave, and lists none of it", async () => {
    const { session, date, booking } = await fullSlot()
    const entry = await joined(first, session, date)
    await cancelBooking(ctx.app, holder, booking.id)
    for (const response of [
      await claimOffer(ctx.app, stranger, entry.id),
      await leaveWaitlist(ctx.app, stranger, entry.id),
      await claimOffer(ctx.app, first, '00000000-0000-4000-8000-000000000000'),
    ])
      expect(refusal(response)).toEqual([404, 'not_found'])
    expect((await entriesOf(ctx.app, stranger)).map((row) => row.id)).not.toContain(entry.id)
    expect((await entriesOf(ctx.app, first)).find((row) => row.id === entry.id)?.status).toBe('offered')
  })

  it('leaves the line: those behind move up; leaving twice is 409', async () => {
    const { session, date } = await fullSlot()
    const entry = await joined(first, session, date)
    const behind = await joined(second, session, date)
    const response = await leaveWaitlist(ctx.app, first, entry.id)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ data: null, message: 'Left the waiting list' })
    const mine = (await entriesOf(ctx.app, first)).find((row) => row.id === entry.id)
    expect(mine).toMatchObject({ status: 'left', position: null })
    expect((await entriesOf(ctx.app, second)).find((row) => row.id === behind.id)?.position).toBe(1)
    expect(refusal(await leaveWaitlist(ctx.app, first, entry.id))).toEqual([409, 'invalid_transition'])
    expect((await joined(first, session, date)).position).toBe(2)
  })
})
