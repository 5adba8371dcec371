// The schedule: ended confirmed rows complete, pending rows cancel once their start plus the expiry has
// passed (a booking's seat with them), reminders go out once for confirmed rows starting within the
// window, and two passes at the same moment split the work instead of doing it twice. Rows are made
// through the API; the schedule runs directly, on the app's database and its ManualClock.
import { and, eq, sql } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { runSchedule, type ScheduleSettings } from '../../../src/modules/automation/schedule.js'
import { bookings, sessionSlots } from '../../../src/modules/bookings/tables.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { reservations } from '../../../src/modules/reservations/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { book, businessOf, makeSession } from '../../helpers/factories.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const clock = new ManualClock(new Date('2026-03-01T09:00:00Z'))
// The app's own schedule stays off: these tests run every pass themselves.
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d', SCHEDULER: 'false' }, deps: { clock } })
const db = () => ctx.app.deps.database.db
const call = (options: InjectOptions) => ctx.app.inject(options)

const SETTINGS: ScheduleSettings = { pendingExpiryHours: 2, reminderHoursBefore: 24 }
// These tests make no waiting lists: the schedule's waiting-list counts stay 0 (test/modules/waitlist).
const NO_WAITLIST = { offersExpired: 0, waitsEnded: 0 }
const schedule = (settings = SETTINGS) =>
  runSchedule({ db: db(), clock, settings: { get: async () => settings } })

let creator: TestUser
let customer: TestUser
let businessId: string
let sessionId: string

beforeAll(async () => {
  ;[creator, customer] = await Promise.all([makeUser(ctx.app, { role: 'creator' }), makeUser(ctx.app)])
  businessId = (await businessOf(ctx.app, creator)).id
  sessionId = (await makeSession(ctx.app, creator, { max_participants: 3 })).id
})

/**
 * Moves the clock a month past every earlier test's rows and runs a pass that settles them, so each test
 * counts only its own. Answers the new time.
 */
let today = clock.now().getTime()
async function freshDay(): Promise<number> {
  today += 30 * DAY
  clock.set(new Date(today))
  await schedule()
  return today
}

const at = (ms: number) => new Date(ms).toISOString()

async function act(kind: 'bookings' | 'reservations', id: string, action: 'confirm' | 'complete' | 'cancel') {
  const response = await call({ method: 'POST', url: `/api/${kind}/${id}/${action}/`, headers: creator.auth })
  expect(response.statusCode, response.body).toBe(200)
}

/** A booking of `customer` at `start` (one hour long), confirmed unless asked for a pending one. */
async function booking(start: number, status: 'pending' | 'confirmed', session = sessionId): Promise<string> {
  const { id } = await book(ctx.app, customer, session, at(start))
  if (status === 'confirmed') await act('bookings', id, 'confirm')
  return id
}

/** A reservation of `customer` in the business calendar over [start, start + length). */
async function reservation(start: number, status: 'pending' | 'confirmed', length = HOUR): Promise<string> {
  const response = await call({
    method: 'POST',
    url: '/api/reservations/',
    headers: customer.auth,
    payload: { business: businessId, start_time: at(start), end_time: at(start + length) },
  })
  expect(response.statusCode, response.body).toBe(201)
  const id = response.json().data.id
  if (status === 'confirmed') await act('reservations', id, 'confirm')
  return id
}

async function bookingStatus(id: string) {
  const [row] = await db().select({ status: bookings.status }).from(bookings).where(eq(bookings.id, id))
  return row?.status
}

async function reservationStatus(id: string) {
  const [row] = await db()
    .select({ status: reservations.status })
    .from(reservations)
    .where(eq(reservations.id, id))
  return row?.status
}

/** The scheduler's audit rows of a row. */
const schedulerAudit = (id: string) =>
  db()
    .select({ actorId: auditLog.actorId, requestId: auditLog.requestId, changes: auditLog.changes })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityId, id),
        eq(auditLog.action, 'status_change'),
        eq(auditLog.requestId, 'scheduler'),
      ),
    )

/** Outbox rows about a row (status changes and reminders: their params carry its id). */
const mailsAbout = (id: string, template: 'status_changed' | 'reminder') =>
  db()
    .select({ params: outbox.params })
    .from(outbox)
    .where(and(eq(outbox.template, template), sql`${outbox.params} ->> 'id' = ${id}`))

async function seatsTaken(session: string, start: number) {
  const [slot] = await db()
    .select({ booked: sessionSlots.booked })
    .from(sessionSlots)
    .where(and(eq(sessionSlots.sessionId, session), eq(sessionSlots.bookingDate, new Date(start))))
  return slot?.booked
}

describe('completing', () => {
  it('completes confirmed bookings and reservations once they have ended, as nobody', async () => {
    const t = await freshDay()
    const b = await booking(t + HOUR, 'confirmed')
    const r = await reservation(t + HOUR, 'confirmed')

    clock.set(new Date(t + 2 * HOUR - 1))
    expect(await schedule()).toEqual({ completed: 0, cancelled: 0, reminded: 0, ...NO_WAITLIST })
    expect(await bookingStatus(b)).toBe('confirmed')
    expect(await reservationStatus(r)).toBe('confirmed')

    clock.set(new Date(t + 2 * HOUR))
    expect(await schedule()).toEqual({ completed: 2, cancelled: 0, reminded: 0, ...NO_WAITLIST })
    expect(await bookingStatus(b)).toBe('completed')
    expect(await reservationStatus(r)).toBe('completed')
    for (const [entity, id] of [
      ['booking', b],
      ['reservation', r],
    ] as const) {
      expect(await schedulerAudit(id)).toEqual([
        { actorId: null, requestId: 'scheduler', changes: { status: ['confirmed', 'completed'] } },
      ])
      const mails = (await mailsAbout(id, 'status_changed')).map((row) => row.params)
      expect(mails).toContainEqual({ entity, id, from: 'confirmed', to: 'completed' })
    }
  })
})

describe('cancelling pending rows', () => {
  it('cancels them once their start plus the expiry has passed, and frees the booking seat', async () => {
    const t = await freshDay()
    const small = (await makeSession(ctx.app, creator, { max_participants: 1 })).id
    const b = await booking(t + HOUR, 'pending', small)
    const r = await reservation(t + HOUR, 'pending')
    expect(await seatsTaken(small, t + HOUR)).toBe(1)

    clock.set(new Date(t + 3 * HOUR - 1))
    expect(await schedule()).toEqual({ completed: 0, cancelled: 0, reminded: 0, ...NO_WAITLIST })
    expect(await bookingStatus(b)).toBe('pending')
    expect(await reservationStatus(r)).toBe('pending')

    clock.set(new Date(t + 3 * HOUR))
    expect(await schedule()).toEqual({ completed: 0, cancelled: 2, reminded: 0, ...NO_WAITLIST })
    expect(await bookingStatus(b)).toBe('cancelled')
    expect(await reservationStatus(r)).toBe('cancelled')
    expect(await seatsTaken(small, t + HOUR)).toBe(0)
    for (const [entity, id] of [
      ['booking', b],
      ['reservation', r],
    ] as const) {
      expect(await schedulerAudit(id)).toEqual([
        { actorId: null, requestId: 'scheduler', changes: { status: ['pending', 'cancelled'] } },
      ])
      const mails = (await mailsAbout(id, 'status_changed')).map((row) => row.params)
      expect(mails).toEqual([{ entity, id, from: 'pending', to: 'cancelled' }])
    }
  })

  it('with an expiry of 0 hours, cancels them as they start', async () => {
    const t = await freshDay()
    const b = await booking(t + HOUR, 'pending')
    const r = await reservation(t + HOUR, 'pending')
    const instant = { ...SETTINGS, pendingExpiryHours: 0 }

    clock.set(new Date(t + HOUR - 1))
    expect(await schedule(instant)).toEqual({ completed: 0, cancelled: 0, reminded: 0, ...NO_WAITLIST })
    clock.set(new Date(t + HOUR))
    expect(await schedule(instant)).toEqual({ completed: 0, cancelled: 2, reminded: 0, ...NO_WAITLIST })
    expect(await bookingStatus(b)).toBe('cancelled')
    expect(await reservationStatus(r)).toBe('cancelled')
  })
})

describe('rows left alone', () => {
  it('touches neither future rows nor cancelled and completed ones', async () => {
    const t = await freshDay()
    const futureBooking = await booking(t + 3 * DAY, 'confirmed')
    const futureReservation = await reservation(t + 3 * DAY, 'pending')
    const cancelled = await booking(t + HOUR, 'pending')
    await act('bookings', cancelled, 'cancel')
    const completed = await reservation(t + HOUR, 'confirmed')
    await act('reservations', completed, 'complete')

    clock.set(new Date(t + 5 * HOUR))
    expect(await schedule()).toEqual({ completed: 0, cancelled: 0, reminded: 0, ...NO_WAITLIST })
    expect(await bookingStatus(futureBooking)).toBe('confirmed')
    expect(await reservationStatus(futureReservation)).toBe('pending')
    expect(await bookingStatus(cancelled)).toBe('cancelled')
    expect(await reservationStatus(completed)).toBe('completed')
    for (const id of [futureBooking, futureReservation, cancelled, completed])
      expect(await schedulerAudit(id)).toEqual([])
  })
})

describe('reminders', () => {
  it('go out once, for confirmed rows starting within the window', async () => {
    const t = await freshDay()
    const now = t + 90 * MINUTE
    const due = [
      ['booking', await booking(t + 10 * HOUR, 'confirmed')],
      ['reservation', await reservation(t + 10 * HOUR, 'confirmed')],
      // The window's end is included.
      ['reservation', await reservation(now + 24 * HOUR, 'confirmed')],
    ] as const
    const notDue = [
      await booking(t + 11 * HOUR, 'pending'),
      await reservation(t + 12 * HOUR, 'pending'),
      // Started, not ended: too late for a reminder.
      await booking(t + HOUR, 'confirmed'),
      // Starting now: the window's start is excluded.
      await booking(now, 'confirmed'),
      await booking(now + 24 * HOUR + 1, 'confirmed'),
      await reservation(t + 2 * DAY, 'confirmed'),
    ]

    clock.set(new Date(now))
    expect(await schedule()).toEqual({ completed: 0, cancelled: 0, reminded: 3, ...NO_WAITLIST })
    for (const [entity, id] of due)
      expect((await mailsAbout(id, 'reminder')).map((row) => row.params)).toEqual([{ entity, id }])
    for (const id of notDue) expect(await mailsAbout(id, 'reminder')).toEqual([])
    const [reminded] = await db()
      .select({ remindedAt: bookings.remindedAt })
      .from(bookings)
      .where(eq(bookings.id, due[0][1]))
    expect(reminded?.remindedAt).toEqual(new Date(now))

    expect(await schedule()).toEqual({ completed: 0, cancelled: 0, reminded: 0, ...NO_WAITLIST })
    // The window moves with the clock: the row just past it comes in, the others are not mailed again.
    clock.set(new Date(now + MINUTE))
    expect(await schedule()).toEqual({ completed: 0, cancelled: 0, reminded: 1, ...NO_WAITLIST })
    for (const [, id] of due) expect(await mailsAbout(id, 'reminder')).toHaveLength(1)
  })
})

describe('two passes at the same moment', () => {
  it('move each row once and send each reminder once', async () => {
    const t = await freshDay()
    const ended: string[] = []
    const expired: string[] = []
    const upcoming: string[] = []
    for (let i = 0; i < 5; i += 1) {
      ended.push(await booking(t + HOUR + i * MINUTE, 'confirmed'))
      expired.push(await booking(t + 2 * HOUR + i * MINUTE, 'pending'))
      upcoming.push(await booking(t + 10 * HOUR + i * MINUTE, 'confirmed'))
      // Five-minute reservations ten minutes apart, so the calendar never overlaps.
      ended.push(await reservation(t + HOUR + i * 10 * MINUTE, 'confirmed', 5 * MINUTE))
      expired.push(await reservation(t + 2 * HOUR + i * 10 * MINUTE, 'pending', 5 * MINUTE))
      upcoming.push(await reservation(t + 10 * HOUR + i * 10 * MINUTE, 'confirmed', 5 * MINUTE))
    }

    clock.set(new Date(t + 6 * HOUR))
    const passes = await Promise.all([schedule(), schedule()])
    const total = (key: 'completed' | 'cancelled' | 'reminded') =>
      passes.reduce((sum, pass) => sum + pass[key], 0)
    expect({
      completed: total('completed'),
      cancelled: total('cancelled'),
      reminded: total('reminded'),
    }).toEqual({
      completed: 10,
      cancelled: 10,
      reminded: 10,
    })
    for (const id of [...ended, ...expired]) {
      expect(await schedulerAudit(id)).toHaveLength(1)
      const moves = (await mailsAbout(id, 'status_changed')).filter(
        (row) => (row.params as { to: string }).to !== 'confirmed',
      )
      expect(moves).toHaveLength(1)
    }
    for (const id of upcoming) expect(await mailsAbout(id, 'reminder')).toHaveLength(1)
  })
})
