// Bookings: creation and its rules (active session, future instant with an offset, not one's own
// session, one active booking per user and slot, seats), the status machine, who may act, the lists
// and their filters, detail visibility, and the audit rows. Time moves only through the ManualClock;
// access tokens live long enough for the jumps below.
import { and, asc, eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { sessionSlots } from '../../../src/modules/bookings/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { type BookingOut, book, makeSession, requestBooking } from '../../helpers/factories.js'
import { addMemberAs } from '../../helpers/tenants.js'

const START = new Date('2026-03-01T09:00:00Z')
const clock = new ManualClock(START)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const db = () => ctx.app.deps.database.db
const call = (options: InjectOptions) => ctx.app.inject(options)

/** A distinct future slot instant per call, so tests never share a slot by accident. */
let slotCounter = 0
const nextSlot = () => {
  slotCounter += 1
  return new Date(Date.UTC(2026, 5, 1, 0, 0) + slotCounter * 3_600_000).toISOString()
}

const act = (user: TestUser, id: string, action: 'confirm' | 'complete' | 'cancel') =>
  call({ method: 'POST', url: `/api/bookings/${id}/${action}/`, headers: user.auth })

async function list(url: string, user: TestUser, headers: Record<string, string> = {}) {
  const response = await call({ url, headers: { ...user.auth, ...headers } })
  expect(response.statusCode, response.body).toBe(200)
  return (response.json().data as BookingOut[]).map((row) => row.id).sort()
}

const sorted = (ids: string[]) => [...ids].sort()

let creator: TestUser
let businessId: string
let agent: TestUser
let manager: TestUser
let customer: TestUser
let other: TestUser
let sessionId: string

beforeAll(async () => {
  ;[creator, agent, manager, customer, other] = await Promise.all([
    makeUser(ctx.app, { role: 'creator' }),
    makeUser(ctx.app),
    makeUser(ctx.app),
    makeUser(ctx.app),
    makeUser(ctx.app),
  ])
  const response = await call({ url: '/api/businesses/', headers: creator.auth })
  businessId = response.json().data[0].id
  await addMemberAs(ctx.app, creator, businessId, agent, 'agent')
  await addMemberAs(ctx.app, creator, businessId, manager, 'manager')
  sessionId = (await makeSession(ctx.app, creator)).id
})

describe('POST /api/bookings/', () => {
  it('creates a pending booking whose amount is the price at booking time', async () => {
    const session = (await makeSession(ctx.app, creator, { title: 'Yoga', price: '12.50' })).id
    const date = nextSlot()
    const response = await requestBooking(ctx.app, customer, session, date)
    expect(response.statusCode, response.body).toBe(201)
    const body = response.json()
    expect(body.message).toBeTruthy()
    const out = body.data as BookingOut
    expect(out).toMatchObject({
      session: { id: session, title: 'Yoga', duration: 60, price: '12.50' },
      user: { id: customer.id, username: customer.username },
      booking_date: new Date(date).toISOString(),
      status: 'pending',
      amount: '12.50',
    })

    const patch = await call({
      method: 'PATCH',
      url: `/api/sessions/${session}/`,
      headers: creator.auth,
      payload: { price: '99.00' },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    const detail = await call({ url: `/api/bookings/${out.id}/`, headers: customer.auth })
    expect(detail.json().data).toMatchObject({ amount: '12.50', session: { price: '99.00' } })
  })

  it('ignores a status given on create', async () => {
    const response = await call({
      method: 'POST',
      url: '/api/bookings/',
      headers: customer.auth,
      payload: { session: sessionId, booking_date: nextSlot(), status: 'confirmed', amount: '0.00' },
    })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().data).toMatchObject({ status: 'pending', amount: '25.00' })
  })

  it('refuses an inactive or unknown session with 400', async () => {
    const inactive = (await makeSession(ctx.app, creator, { status: 'inactive' })).id
    expect((await requestBooking(ctx.app, customer, inactive, nextSlot())).statusCode).toBe(400)
    const unknown = await requestBooking(
      ctx.app,
      customer,
      '00000000-0000-4000-8000-000000000000',
      nextSlot(),
    )
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().errors).toHaveProperty('session')
  })

  it('refuses a booking_date in the past, at now, or without an offset with 400', async () => {
    const past = await requestBooking(ctx.app, customer, sessionId, '2026-02-28T10:00:00Z')
    expect(past.statusCode).toBe(400)
    expect(past.json().errors).toHaveProperty('booking_date')
    expect((await requestBooking(ctx.app, customer, sessionId, clock.now().toISOString())).statusCode).toBe(
      400,
    )
    expect((await requestBooking(ctx.app, customer, sessionId, '2026-06-01T10:00:00')).statusCode).toBe(400)
    expect((await requestBooking(ctx.app, customer, sessionId, '2026-06-01')).statusCode).toBe(400)
  })

  it('refuses a creator booking their own session with 400', async () => {
    const response = await requestBooking(ctx.app, creator, sessionId, nextSlot())
    expect(response.statusCode, response.body).toBe(400)
  })

  it('needs a login', async () => {
    const response = await call({
      method: 'POST',
      url: '/api/bookings/',
      payload: { session: sessionId, booking_date: nextSlot() },
    })
    expect(response.statusCode).toBe(401)
  })

  it('refuses the same user twice for one slot with 409 already_booked, also when the slot is full', async () => {
    const session = (await makeSession(ctx.app, creator, { max_participants: 2 })).id
    const date = nextSlot()
    await book(ctx.app, customer, session, date)
    const again = await requestBooking(ctx.app, customer, session, date)
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('already_booked')
    await book(ctx.app, other, session, date)
    // Full now; the user who already holds a seat is still told they already hold one.
    const full = await requestBooking(ctx.app, customer, session, date)
    expect(full.json().code).toBe('already_booked')
    // The same instant written with another offset is the same slot.
    const shifted = new Date(date)
    const local = new Date(shifted.getTime() + 2 * 3_600_000).toISOString().replace('.000Z', '+02:00')
    expect((await requestBooking(ctx.app, customer, session, local)).json().code).toBe('already_booked')
  })

  it('refuses the seat after the last with 409 session_full; other instants are other slots', async () => {
    const session = (await makeSession(ctx.app, creator, { max_participants: 2 })).id
    const date = nextSlot()
    const users = await Promise.all([makeUser(ctx.app), makeUser(ctx.app), makeUser(ctx.app)])
    await book(ctx.app, users[0] as TestUser, session, date)
    await book(ctx.app, users[1] as TestUser, session, date)
    const full = await requestBooking(ctx.app, users[2] as TestUser, session, date)
    expect(full.statusCode).toBe(409)
    expect(full.json().code).toBe('session_full')
    const later = new Date(new Date(date).getTime() + 60_000).toISOString()
    await book(ctx.app, users[2] as TestUser, session, later)
    await book(ctx.app, users[0] as TestUser, session, later)
  })

  it('frees the seat when a booking is cancelled', async () => {
    const session = (await makeSession(ctx.app, creator, { max_participants: 1 })).id
    const date = nextSlot()
    const first = await book(ctx.app, customer, session, date)
    expect((await requestBooking(ctx.app, other, session, date)).json().code).toBe('session_full')
    expect((await act(customer, first.id, 'cancel')).statusCode).toBe(200)
    await book(ctx.app, other, session, date)
    // The cancelled customer may book again once a seat is free; not now, it is full again.
    expect((await requestBooking(ctx.app, customer, session, date)).json().code).toBe('session_full')
  })

  it('lets a user book the slot again after cancelling their booking', async () => {
    const session = (await makeSession(ctx.app, creator)).id
    const date = nextSlot()
    const first = await book(ctx.app, customer, session, date)
    expect((await act(customer, first.id, 'cancel')).statusCode).toBe(200)
    await book(ctx.app, customer, session, date)
  })
})

describe('status transitions', () => {
  it('moves pending → confirmed → completed', async () => {
    const booking = await book(ctx.app, customer, sessionId, nextSlot())
    const confirmed = await act(creator, booking.id, 'confirm')
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    expect(confirmed.json().data.status).toBe('confirmed')
    const completed = await act(creator, booking.id, 'complete')
    expect(completed.statusCode, completed.body).toBe(200)
    expect(completed.json().data.status).toBe('completed')
  })

  it('moves pending → cancelled and confirmed → cancelled', async () => {
    const a = await book(ctx.app, customer, sessionId, nextSlot())
    expect((await act(agent, a.id, 'cancel')).json().data.status).toBe('cancelled')
    const b = await book(ctx.app, customer, sessionId, nextSlot())
    expect((await act(agent, b.id, 'confirm')).statusCode).toBe(200)
    expect((await act(customer, b.id, 'cancel')).json().data.status).toBe('cancelled')
  })

  it('answers 409 invalid_transition for every other move', async () => {
    const expectInvalid = async (id: string, action: 'confirm' | 'complete' | 'cancel') => {
      const response = await act(creator, id, action)
      expect(response.statusCode, `${action}: ${response.body}`).toBe(409)
      expect(response.json().code).toBe('invalid_transition')
    }
    const pending = await book(ctx.app, customer, sessionId, nextSlot())
    await expectInvalid(pending.id, 'complete')

    const confirmed = await book(ctx.app, customer, sessionId, nextSlot())
    await act(creator, confirmed.id, 'confirm')
    await expectInvalid(confirmed.id, 'confirm')

    const completed = await book(ctx.app, customer, sessionId, nextSlot())
    await act(creator, completed.id, 'confirm')
    await act(creator, completed.id, 'complete')
    for (const action of ['confirm', 'complete', 'cancel'] as const) await expectInvalid(completed.id, action)

    const cancelled = await book(ctx.app, customer, sessionId, nextSlot())
    await act(creator, cancelled.id, 'cancel')
    for (const action of ['confirm', 'complete', 'cancel'] as const) await expectInvalid(cancelled.id, action)
    // A refused cancel of a cancelled booking frees no second seat.
    const [slot] = await db()
      .select()
      .from(sessionSlots)
      .where(
        and(
          eq(sessionSlots.sessionId, sessionId),
          eq(sessionSlots.bookingDate, new Date(cancelled.booking_date)),
        ),
      )
    expect(slot?.booked).toBe(0)
  })

  it('lets the creator and any staff (agent too) confirm and complete; a customer gets 403', async () => {
    const booking = await book(ctx.app, customer, sessionId, nextSlot())
    const refused = await act(customer, booking.id, 'confirm')
    expect(refused.statusCode).toBe(403)
    expect((await act(agent, booking.id, 'confirm')).statusCode).toBe(200)
    expect((await act(customer, booking.id, 'complete')).statusCode).toBe(403)
    expect((await act(manager, booking.id, 'complete')).statusCode).toBe(200)

    const another = await book(ctx.app, customer, sessionId, nextSlot())
    expect((await act(other, another.id, 'confirm')).statusCode).toBe(404)
    expect((await act(other, another.id, 'cancel')).statusCode).toBe(404)
    const admin = await makeAdmin(ctx.app)
    expect((await act(admin, another.id, 'confirm')).statusCode).toBe(200)
  })

  it('lets a customer cancel until the start, then 409 too_late; staff can still cancel', async () => {
    const date = new Date(clock.now().getTime() + 3_600_000).toISOString()
    const early = await book(ctx.app, customer, sessionId, date)
    const late = await book(ctx.app, other, sessionId, date)
    try {
      clock.set(new Date(date))
      const refused = await act(other, late.id, 'cancel')
      expect(refused.statusCode).toBe(409)
      expect(refused.json().code).toBe('too_late')
      clock.advance(60_000)
      expect((await act(customer, early.id, 'cancel')).json().code).toBe('too_late')
      const byStaff = await act(agent, late.id, 'cancel')
      expect(byStaff.statusCode, byStaff.body).toBe(200)
      expect(byStaff.json().data.status).toBe('cancelled')
      // Cancelled already: cancelling again is an invalid move, whatever the time.
      const again = await act(other, late.id, 'cancel')
      expect(again.statusCode, again.body).toBe(409)
      expect(again.json().code).toBe('invalid_transition')
    } finally {
      clock.set(START)
    }
  })
})

describe('lists', () => {
  let customerOwn: BookingOut[]
  let session2: string

  beforeAll(async () => {
    // A business of its own, so its lists hold only this block's rows.
    const owner = await makeUser(ctx.app, { role: 'creator' })
    const ownerBusiness = (await call({ url: '/api/businesses/', headers: owner.auth })).json().data[0].id
    const patched = await call({
      method: 'PATCH',
      url: `/api/businesses/${ownerBusiness}/`,
      headers: owner.auth,
      payload: { timezone: 'Asia/Tokyo' },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    listCtx.owner = owner
    listCtx.staff = await makeUser(ctx.app)
    await addMemberAs(ctx.app, owner, ownerBusiness, listCtx.staff, 'agent')
    listCtx.buyer = await makeUser(ctx.app)
    listCtx.buyer2 = await makeUser(ctx.app)
    const s1 = (await makeSession(ctx.app, owner)).id
    session2 = (await makeSession(ctx.app, owner)).id
    // 23:00 on the 10th and 01:00 on the 11th in Tokyo; both the 10th in UTC.
    customerOwn = [
      await book(ctx.app, listCtx.buyer, s1, '2026-03-10T14:00:00Z'),
      await book(ctx.app, listCtx.buyer, session2, '2026-03-10T16:00:00Z'),
    ]
    listCtx.theirs = await book(ctx.app, listCtx.buyer2, s1, '2026-03-10T16:00:00Z')
    await act(owner, listCtx.theirs.id, 'confirm')
    // The buyer's booking with another business.
    listCtx.elsewhere = await book(ctx.app, listCtx.buyer, sessionId, nextSlot())
  })

  const listCtx = {} as {
    owner: TestUser
    staff: TestUser
    buyer: TestUser
    buyer2: TestUser
    theirs: BookingOut
    elsewhere: BookingOut
  }

  it('GET /api/bookings/ gives a customer without a business their own, across businesses', async () => {
    const ids = await list('/api/bookings/?page_size=100', listCtx.buyer)
    expect(ids).toEqual(sorted([...customerOwn.map((row) => row.id), listCtx.elsewhere.id]))
  })

  it("GET /api/bookings/ gives staff their business's bookings, with filters", async () => {
    const { staff, owner } = listCtx
    const all = sorted([...customerOwn.map((row) => row.id), listCtx.theirs.id])
    expect(await list('/api/bookings/?page_size=100', staff)).toEqual(all)
    expect(await list('/api/bookings/?page_size=100', owner)).toEqual(all)
    expect(await list('/api/bookings/?status=confirmed', staff)).toEqual([listCtx.theirs.id])
    expect(await list('/api/bookings/?status=cancelled', staff)).toEqual([])
    expect(await list(`/api/bookings/?session=${session2}`, staff)).toEqual([customerOwn[1]?.id])
    // Dates are whole days in the business's timezone (Asia/Tokyo).
    const [at23, at01] = customerOwn.map((row) => row.id)
    expect(await list('/api/bookings/?date_from=2026-03-10&date_to=2026-03-10', staff)).toEqual([at23])
    expect(await list('/api/bookings/?date_from=2026-03-11&date_to=2026-03-11', staff)).toEqual(
      sorted([at01 as string, listCtx.theirs.id]),
    )
    expect(await list('/api/bookings/?date_from=2026-03-11', staff)).toEqual(
      sorted([at01 as string, listCtx.theirs.id]),
    )
    expect(await list('/api/bookings/?date_to=2026-03-10', staff)).toEqual([at23])
    // Datetimes with offsets are instants: [date_from, date_to).
    expect(await list('/api/bookings/?date_from=2026-03-10T15:00:00Z', staff)).toEqual(
      sorted([at01 as string, listCtx.theirs.id]),
    )
    expect(await list('/api/bookings/?date_to=2026-03-10T16:00:00Z', staff)).toEqual([at23])
    expect(
      await list(
        `/api/bookings/?date_from=${encodeURIComponent('2026-03-11T01:00:00+09:00')}&date_to=2026-03-10T16:00:01Z`,
        staff,
      ),
    ).toEqual(sorted([at01 as string, listCtx.theirs.id]))
    expect(
      await list(`/api/bookings/?status=confirmed&session=${session2}&date_from=2026-03-11`, staff),
    ).toEqual([])
  })

  it('refuses a date filter without an offset with 400', async () => {
    for (const query of ['date_from=2026-03-10T10:00:00', 'date_to=2026-13-01', 'date_from=soon']) {
      const response = await call({ url: `/api/bookings/?${query}`, headers: listCtx.staff.auth })
      expect(response.statusCode, query).toBe(400)
    }
  })

  it('my_bookings is always the caller’s own, also for staff', async () => {
    expect(await list('/api/bookings/my_bookings/', listCtx.staff)).toEqual([])
    expect(await list('/api/bookings/my_bookings/?page_size=100', listCtx.buyer)).toEqual(
      sorted([...customerOwn.map((row) => row.id), listCtx.elsewhere.id]),
    )
    expect(await list('/api/bookings/my_bookings/?status=confirmed', listCtx.buyer2)).toEqual([
      listCtx.theirs.id,
    ])
  })

  it('creator_bookings gives a creator the bookings of their sessions; a plain user 403', async () => {
    expect(await list('/api/bookings/creator_bookings/?page_size=100', listCtx.owner)).toEqual(
      sorted([...customerOwn.map((row) => row.id), listCtx.theirs.id]),
    )
    const refused = await call({ url: '/api/bookings/creator_bookings/', headers: listCtx.buyer.auth })
    expect(refused.statusCode).toBe(403)
    expect((await call({ url: '/api/bookings/creator_bookings/' })).statusCode).toBe(401)
  })

  it('creator_bookings counts staff of several businesses as staff, without X-Business-ID', async () => {
    const member = await makeUser(ctx.app)
    for (const owner of [
      await makeUser(ctx.app, { role: 'creator' }),
      await makeUser(ctx.app, { role: 'creator' }),
    ]) {
      const [business] = (await call({ url: '/api/businesses/', headers: owner.auth })).json().data
      await addMemberAs(ctx.app, owner, business.id, member, 'agent')
    }
    const response = await call({ url: '/api/bookings/creator_bookings/', headers: member.auth })
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toEqual([])
  })

  it('detail: its user, the session’s creator and staff see it; another customer gets 404', async () => {
    const id = listCtx.theirs.id
    for (const user of [listCtx.buyer2, listCtx.owner, listCtx.staff]) {
      const response = await call({ url: `/api/bookings/${id}/`, headers: user.auth })
      expect(response.statusCode, user.username).toBe(200)
      expect(response.json().data.id).toBe(id)
    }
    for (const user of [listCtx.buyer, agent]) {
      const response = await call({ url: `/api/bookings/${id}/`, headers: user.auth })
      expect(response.statusCode, user.username).toBe(404)
    }
    const missing = await call({
      url: '/api/bookings/00000000-0000-4000-8000-000000000000/',
      headers: listCtx.owner.auth,
    })
    expect(missing.statusCode).toBe(404)
  })
})

describe('audit', () => {
  it('records the creation and every status change of a booking', async () => {
    const date = nextSlot()
    const booking = await book(ctx.app, customer, sessionId, date)
    clock.advance(1000)
    await act(agent, booking.id, 'confirm')
    clock.advance(1000)
    await act(customer, booking.id, 'cancel')
    const rows = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'booking'), eq(auditLog.entityId, booking.id)))
      .orderBy(asc(auditLog.at), asc(auditLog.action))
    expect(rows.map((row) => [row.action, row.actorId, row.businessId])).toEqual([
      ['create', customer.id, businessId],
      ['status_change', agent.id, businessId],
      ['status_change', customer.id, businessId],
    ])
    expect(rows[0]?.changes).toMatchObject({
      session: [null, sessionId],
      user: [null, customer.id],
      status: [null, 'pending'],
      amount: [null, '25.00'],
    })
    const changes = rows.slice(1).map((row) => row.changes)
    expect(changes).toContainEqual({ status: ['pending', 'confirmed'] })
    expect(changes).toContainEqual({ status: ['confirmed', 'cancelled'] })
  })

  it('records nothing for a refused booking or move', async () => {
    const before = await db().select().from(auditLog).where(eq(auditLog.entity, 'booking'))
    await requestBooking(ctx.app, creator, sessionId, nextSlot())
    const booking = await book(ctx.app, customer, sessionId, nextSlot())
    await act(customer, booking.id, 'confirm')
    await act(creator, booking.id, 'complete')
    const after = await db().select().from(auditLog).where(eq(auditLog.entity, 'booking'))
    expect(after.length - before.length).toBe(1)
  })
})
