// The waiting list as a client uses it (join, list, claim, leave through the HTTP API), and one slot's
// seats as the database holds them, for the invariants the tests check after every step.
import { sql } from 'drizzle-orm'
import type { App } from '../../src/app.js'
import type { WaitlistStatus } from '../../src/modules/waitlist/tables.js'
import type { Clock } from '../../src/platform/clock.js'
import { queryRows } from '../../src/platform/db/index.js'
import { makeUser, type TestUser } from './accounts.js'

/** A waiting-list entry as the API answers it. */
export type EntryOut = {
  id: string
  session: { id: string; title: string; duration: number; price: string }
  booking_date: string
  status: WaitlistStatus
  position: number | null
  offer_expires_at: string | null
  created_at: string
  updated_at: string
}

/** A waiting-list test's people: its sessions' creator, a seat's holder, two to stand in line, one more. */
export async function makeCast(app: App) {
  const [creator, holder, first, second, other] = await Promise.all([
    makeUser(app, { role: 'creator' }),
    makeUser(app),
    makeUser(app),
    makeUser(app),
    makeUser(app),
  ])
  return { creator, holder, first, second, other }
}

/** Distinct slots a week ahead of `clock`, an hour apart, so that no two tests share one by accident. */
export function slotsAhead(clock: Clock): () => string {
  let hours = 0
  return () => new Date(clock.now().getTime() + (7 * 24 + ++hours) * 3_600_000).toISOString()
}

export const joinWaitlist = (app: App, user: TestUser, session: string, bookingDate: string) =>
  app.inject({
    method: 'POST',
    url: `/api/sessions/${session}/waitlist/`,
    headers: user.auth,
    payload: { booking_date: bookingDate },
  })

export const claimOffer = (app: App, user: TestUser, entry: string) =>
  app.inject({ method: 'POST', url: `/api/waitlist/${entry}/claim/`, headers: user.auth })

export const leaveWaitlist = (app: App, user: TestUser, entry: string) =>
  app.inject({ method: 'DELETE', url: `/api/waitlist/${entry}/`, headers: user.auth })

export const cancelBooking = (app: App, user: TestUser, booking: string) =>
  app.inject({ method: 'POST', url: `/api/bookings/${booking}/cancel/`, headers: user.auth })

/** The caller's entries (the first page of 100). */
export async function entriesOf(app: App, user: TestUser): Promise<EntryOut[]> {
  const response = await app.inject({ url: '/api/waitlist/?page_size=100', headers: user.auth })
  if (response.statusCode !== 200) throw new Error(`waitlist list failed: ${response.body}`)
  return response.json().data
}

/** One slot's seats: the counter's columns next to the rows they count, and the line's order. */
export type SlotSeats = {
  capacity: number
  booked: number
  held: number
  /** Pending and confirmed bookings. */
  active: number
  offered: number
  waiting: number
  /** The latest place in line that ever got an offer, and the first place still waiting. */
  lastOffered: number | null
  firstWaiting: number | null
}

export async function slotSeats(app: App, session: string, bookingDate: string): Promise<SlotSeats> {
  const slot = sql`session_id = ${session} and booking_date = ${bookingDate}::timestamptz`
  const [row] = await queryRows<SlotSeats>(
    app.deps.database.db,
    sql`select
      (select max_participants from sessions where id = ${session}) as capacity,
      coalesce((select booked from session_slots where ${slot}), 0) as booked,
      coalesce((select held from session_slots where ${slot}), 0) as held,
      (select count(*)::int from bookings
        where ${slot} and status in ('pending', 'confirmed') and not is_deleted) as active,
      (select count(*)::int from waitlist_entries where ${slot} and status = 'offered') as offered,
      (select count(*)::int from waitlist_entries where ${slot} and status = 'waiting') as waiting,
      (select max(join_order)::int from waitlist_entries
        where ${slot} and status in ('offered', 'claimed', 'expired')) as "lastOffered",
      (select min(join_order)::int from waitlist_entries
        where ${slot} and status = 'waiting') as "firstWaiting"`,
  )
  if (!row) throw new Error('no slot row')
  return row
}

/**
 * The waiting list's promises about one future slot: the counter counts exactly its bookings and
 * offers, they never exceed the capacity, nobody waits next to a free seat, and offers went in the
 * order people joined. Answers what is wrong (empty when nothing is).
 */
export function brokenPromises(seats: SlotSeats): string[] {
  const broken: string[] = []
  if (seats.booked !== seats.active) broken.push(`booked ${seats.booked} but ${seats.active} active bookings`)
  if (seats.held !== seats.offered) broken.push(`held ${seats.held} but ${seats.offered} open offers`)
  if (seats.active + seats.offered > seats.capacity) broken.push('more bookings and offers than seats')
  if (seats.waiting > 0 && seats.active + seats.offered < seats.capacity)
    broken.push('people waiting next to a free seat')
  if (seats.lastOffered !== null && seats.firstWaiting !== null && seats.lastOffered > seats.firstWaiting)
    broken.push('an offer went past someone who joined earlier')
  return broken
}
