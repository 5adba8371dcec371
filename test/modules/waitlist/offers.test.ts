// How a freed seat reaches the waiting list (API.md, "Waiting list"): a cancelled booking's seat is
// offered to the first in line in the same transaction and mailed; the offer holds the seat for
// `waitlist_hold_minutes` (never past the slot's start); the schedule passes an offer that ran out to
// the next in line, or back to the slot, and ends the waits of slots that started; a larger capacity
// offers its new seats; the slots endpoint shows what is held and how many wait.
import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { runSchedule } from '../../../src/modules/automation/schedule.js'
import { composeMail } from '../../../src/modules/mail/compose.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { book, makeSession, requestBooking } from '../../helpers/factories.js'
import {
  brokenPromises,
  cancelBooking,
  claimOffer,
  type EntryOut,
  entriesOf,
  joinWaitlist,
  leaveWaitlist,
  makeCast,
  slotSeats,
  slotsAhead,
} from '../../helpers/waitlist.js'

const clock = new ManualClock(new Date('2026-03-01T09:00:00Z'))
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const MINUTE = 60_000
const HOUR = 60 * MINUTE

const schedule = () =>
  runSchedule({
    db: ctx.app.deps.database.db,
    clock,
    settings: { get: async () => ({ pendingExpiryHours: 0, reminderHoursBefore: 24 }) },
  })

let creator: TestUser
let holder: TestUser
let first: TestUser
let second: TestUser
let latecomer: TestUser

const nextSlot = slotsAhead(clock)
/** A slot half an hour ahead: sooner than an offer's hold. */
const soon = () => new Date(clock.now().getTime() + 30 * MINUTE).toISOString()

/** A one-seat session's slot that `holder` booked, with `first` and then `second` in line. */
async function lineOfTwo(date = nextSlot()) {
  const session = (await makeSession(ctx.app, creator, { title: 'Kayak', max_participants: 1 })).id
  const booking = await book(ctx.app, holder, session, date)
  const entries: EntryOut[] = []
  for (const user of [first, second]) {
    const response = await joinWaitlist(ctx.app, user, session, date)
    expect(response.statusCode, response.body).toBe(201)
    entries.push(response.json().data)
  }
  return { session, date, booking, entries: entries as [EntryOut, EntryOut] }
}

const entry = async (user: TestUser, id: string) =>
  (await entriesOf(ctx.app, user)).find((row) => row.id === id)

const offerMails = (entryId: string) =>
  ctx.app.deps.database.db
    .select({ params: outbox.params })
    .from(outbox)
    .where(and(eq(outbox.template, 'waitlist_offer'), sql`${outbox.params} ->> 'entryId' = ${entryId}`))

/** Moves the clock on a day at a time until no offer of earlier tests is left to run out. */
async function freshDay() {
  do clock.advance(24 * HOUR)
  while ((await schedule()).offersExpired > 0)
}

async function expectKept(session: string, date: string) {
  expect(brokenPromises(await slotSeats(ctx.app, session, date))).toEqual([])
}

beforeAll(async () => {
  ;({ creator, holder, first, second, other: latecomer } = await makeCast(ctx.app))
})

describe('a cancelled booking', () => {
  it('offers its seat to the first in line, held for 120 minutes, mailed, shown on the slots', async () => {
    const { session, date, booking, entries } = await lineOfTwo()
    expect((await cancelBooking(ctx.app, holder, booking.id)).statusCode).toBe(200)
    const expiresAt = new Date(clock.now().getTime() + 120 * MINUTE).toISOString()
    expect(await entry(first, entries[0].id)).toMatchObject({
      status: 'offered',
      offer_expires_at: expiresAt,
    })
    expect(await entry(second, entries[1].id)).toMatchObject({ status: 'waiting', position: 1 })
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 0, held: 1, waiting: 1 })
    await expectKept(session, date)

    // The held seat is nobody else's to book.
    expect((await requestBooking(ctx.app, latecomer, session, date)).json().code).toBe('session_full')
    const slots = await ctx.app.inject({
      url: `/api/sessions/${session}/slots/?from=${date.slice(0, 10)}&to=${date.slice(0, 10)}`,
    })
    expect(slots.json().data).toEqual([
      expect.objectContaining({ start: date, capacity: 1, booked: 0, held: 1, seats_left: 0, waiting: 1 }),
    ])

    const [mail] = await offerMails(entries[0].id)
    expect(mail?.params).toEqual({ entryId: entries[0].id })
    const deps = {
      db: ctx.app.deps.database.db,
      config: ctx.app.config,
      settings: { get: async () => ({ siteName: 'Tessera' }) },
    }
    const composed = await composeMail(deps, 'waitlist_offer', mail?.params)
    expect(composed?.to).toEqual([first.email])
    expect(composed?.subject).toContain('Kayak')
    expect(composed?.text).toContain(`${ctx.app.config.frontendUrl}/waitlist?entry=${entries[0].id}`)
  })

  it('goes back to the slot when nobody waits, and an offer left by its person goes on', async () => {
    const { session, date, booking, entries } = await lineOfTwo()
    await cancelBooking(ctx.app, holder, booking.id)
    expect((await leaveWaitlist(ctx.app, first, entries[0].id)).statusCode).toBe(200)
    expect(await entry(second, entries[1].id)).toMatchObject({ status: 'offered', position: null })
    expect(await offerMails(entries[1].id)).toHaveLength(1)
    expect((await leaveWaitlist(ctx.app, second, entries[1].id)).statusCode).toBe(200)
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 0, held: 0, waiting: 0 })
    await expectKept(session, date)
    expect((await requestBooking(ctx.app, latecomer, session, date)).statusCode).toBe(201)
  })

  it('reaches a claim without ever being free: booked again, nothing held', async () => {
    const { session, date, booking, entries } = await lineOfTwo()
    await cancelBooking(ctx.app, holder, booking.id)
    expect((await claimOffer(ctx.app, first, entries[0].id)).statusCode).toBe(201)
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 1, held: 0, waiting: 1 })
    await expectKept(session, date)
  })
})

describe('an inactive session or business', () => {
  it('offers nothing: the freed seat goes back to the slot until the session is active again', async () => {
    const { session, date, booking, entries } = await lineOfTwo()
    const status = (value: 'active' | 'inactive') =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/sessions/${session}/`,
        headers: creator.auth,
        payload: { status: value },
      })
    expect((await status('inactive')).statusCode).toBe(200)
    expect((await cancelBooking(ctx.app, holder, booking.id)).statusCode).toBe(200)
    expect(await entry(first, entries[0].id)).toMatchObject({ status: 'waiting', position: 1 })
    expect(await offerMails(entries[0].id)).toHaveLength(0)
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 0, held: 0, waiting: 2 })

    // Active again: the seat freed meanwhile is offered to the first in line, and mailed.
    expect((await status('active')).statusCode).toBe(200)
    expect(await entry(first, entries[0].id)).toMatchObject({ status: 'offered' })
    expect(await entry(second, entries[1].id)).toMatchObject({ status: 'waiting', position: 1 })
    expect(await offerMails(entries[0].id)).toHaveLength(1)
    await expectKept(session, date)
  })

  it('offers nothing while the business is inactive, and the free seats once it is active again', async () => {
    const { session, date, booking, entries } = await lineOfTwo()
    const { business } = await ctx.app.inject({ url: `/api/sessions/${session}/` }).then((r) => r.json().data)
    const active = (value: boolean) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/businesses/${business.id}/`,
        headers: creator.auth,
        payload: { is_active: value },
      })
    expect((await active(false)).statusCode).toBe(200)
    try {
      expect((await cancelBooking(ctx.app, holder, booking.id)).statusCode).toBe(200)
      expect(await entry(first, entries[0].id)).toMatchObject({ status: 'waiting', position: 1 })
      expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 0, held: 0, waiting: 2 })
    } finally {
      expect((await active(true)).statusCode).toBe(200)
    }
    expect(await entry(first, entries[0].id)).toMatchObject({ status: 'offered' })
    expect(await offerMails(entries[0].id)).toHaveLength(1)
    await expectKept(session, date)
  })
})

describe('the schedule', () => {
  it('passes an offer that ran out to the next in line, then back to the slot', async () => {
    await freshDay()
    const { session, date, booking, entries } = await lineOfTwo()
    await cancelBooking(ctx.app, holder, booking.id)
    clock.advance(120 * MINUTE - 1)
    expect(await schedule()).toMatchObject({ offersExpired: 0 })
    clock.advance(1)
    expect(await schedule()).toMatchObject({ offersExpired: 1 })
    expect(await entry(first, entries[0].id)).toMatchObject({ status: 'expired' })
    expect(await entry(second, entries[1].id)).toMatchObject({ status: 'offered' })
    expect(await offerMails(entries[1].id)).toHaveLength(1)
    await expectKept(session, date)

    clock.advance(120 * MINUTE)
    expect(await schedule()).toMatchObject({ offersExpired: 1 })
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 0, held: 0, offered: 0 })
    expect((await claimOffer(ctx.app, second, entries[1].id)).json().code).toBe('offer_expired')
  })

  it('never holds an offer past the slot start, and ends the waits of a slot that started', async () => {
    await freshDay()
    const { session, date, booking, entries } = await lineOfTwo(soon())
    await cancelBooking(ctx.app, holder, booking.id)
    expect((await entry(first, entries[0].id))?.offer_expires_at).toBe(date)
    clock.set(new Date(date))
    expect(await schedule()).toMatchObject({ offersExpired: 1, waitsEnded: 1 })
    expect(await entry(first, entries[0].id)).toMatchObject({ status: 'expired' })
    expect(await entry(second, entries[1].id)).toMatchObject({ status: 'expired', position: null })
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 0, held: 0, waiting: 0 })
  })

  it('frees the seat of a pending booking it cancels after the start: no offer for a started slot', async () => {
    await freshDay()
    const { session, date, entries } = await lineOfTwo(soon())
    clock.set(new Date(date))
    expect(await schedule()).toMatchObject({ cancelled: 1, waitsEnded: 2 })
    expect(await entry(first, entries[0].id)).toMatchObject({ status: 'expired' })
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 0, held: 0 })
  })
})

describe('the hold and the capacity', () => {
  it('holds an offer for waitlist_hold_minutes, the platform setting', async () => {
    const admin = await makeAdmin(ctx.app)
    const patch = (minutes: number) =>
      ctx.app.inject({
        method: 'PATCH',
        url: '/api/settings/',
        headers: admin.auth,
        payload: { waitlist_hold_minutes: minutes },
      })
    expect((await patch(30)).json().data.waitlist_hold_minutes).toBe(30)
    try {
      const { booking, entries } = await lineOfTwo()
      await cancelBooking(ctx.app, holder, booking.id)
      expect((await entry(first, entries[0].id))?.offer_expires_at).toBe(
        new Date(clock.now().getTime() + 30 * MINUTE).toISOString(),
      )
    } finally {
      expect((await patch(120)).statusCode).toBe(200)
    }
  })

  it('offers the seats a larger capacity adds, and counts held seats against a smaller one', async () => {
    const { session, date, entries } = await lineOfTwo()
    const capacity = (max: number) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/sessions/${session}/`,
        headers: creator.auth,
        payload: { max_participants: max },
      })
    expect((await capacity(2)).statusCode).toBe(200)
    expect(await entry(first, entries[0].id)).toMatchObject({ status: 'offered' })
    expect(await entry(second, entries[1].id)).toMatchObject({ status: 'waiting', position: 1 })
    await expectKept(session, date)
    const lower = await capacity(1)
    expect(lower.statusCode).toBe(409)
    expect(Object.keys(lower.json().errors)).toEqual(['max_participants'])
    expect((await capacity(5)).statusCode).toBe(200)
    expect(await slotSeats(ctx.app, session, date)).toMatchObject({ booked: 1, held: 2, waiting: 0 })
  })
})
