// Joining a full slot's waiting list, claiming the seat it offers, and leaving it. Each runs in one
// transaction that takes its locks in the order seats.ts gives: the session row, the slot's counter,
// then the entry.
import { and, eq, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { isUniqueViolation } from '../../platform/db/errors.js'
import { type Database, queryRows } from '../../platform/db/index.js'
import { conflict, notFound } from '../../platform/errors.js'
import type { Actor } from '../audit/service.js'
import {
  alreadyBooked,
  type BookableSession,
  checkBookable,
  checkScheduled,
  notOpen,
} from '../bookings/rules.js'
import { bookings } from '../bookings/tables.js'
import { insertBooking } from '../bookings/writes.js'
import type { Caller } from '../businesses/access.js'
import { isActive } from '../lifecycle/status.js'
import { writeEmail } from '../outbox/outbox.js'
import { writeWebhookEvent } from '../webhooks/events.js'
import { storedBooking } from '../webhooks/payloads.js'
import { loadOwnEntry } from './queries.js'
import { bookHeldSeat, lockSlot, releaseSeats, type Slot } from './seats.js'
import { waitlistEntries } from './tables.js'

export type WaitlistDeps = { db: Database; clock: Clock }

const seatsAvailable = () => conflict('seats_available', 'This slot has seats left: book one instead.')
const alreadyWaiting = () => conflict('already_waiting', 'You are already in line for this slot.')
const offerExpired = () => conflict('offer_expired', 'The seat offered to you is no longer held.')
const notOffered = () => conflict('invalid_transition', 'No seat is offered to you on this entry.')
const notInLine = () => conflict('invalid_transition', 'This entry is no longer in line.')

type LockedSession = BookableSession & { business_id: string; price: string; capacity: number }

/**
 * The session FOR SHARE, as a booking reads it (bookings/service.ts): a capacity or schedule change in
 * progress is waited for. Undefined for a deleted one.
 */
async function lockSession(tx: Database, id: string): Promise<LockedSession | undefined> {
  const [session] = await queryRows<LockedSession>(
    tx,
    sql`select s.business_id, s.creator_id, s.price::text as price, s.max_participants as capacity,
               s.status = 'active' and b.is_active as open, s.schedule, b.timezone
        from sessions s join businesses b on b.id = s.business_id
        where s.id = ${id} and not s.is_deleted and not b.is_deleted
        for share of s`,
  )
  return session
}

/** Whether the user holds a pending or confirmed booking of the slot. */
async function holdsBooking(tx: Database, slot: Slot, userId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.sessionId, slot.sessionId),
        eq(bookings.bookingDate, slot.bookingDate),
        eq(bookings.userId, userId),
        isActive(bookings.status),
        sql`not ${bookings.isDeleted}`,
      ),
    )
  return rows.length > 0
}

/**
 * Puts the caller in line for a full slot of a session: the same rules as booking it, then 409
 * `seats_available` while it has a seat left, `already_booked` for a holder of one of its seats, and
 * `already_waiting` (the unique partial index) for someone in line already.
 */
export async function joinWaitlist(
  deps: WaitlistDeps,
  caller: Caller,
  sessionId: string,
  input: { booking_date: string },
) {
  const { user } = caller
  const slot = { sessionId, bookingDate: new Date(input.booking_date) }
  const now = deps.clock.now()
  try {
    const id = await deps.db.transaction(async (tx) => {
      const session = await lockSession(tx, sessionId)
      if (!session) throw notFound()
      checkBookable(session, user.id, slot.bookingDate, now)
      checkScheduled(session, slot.bookingDate)
      const counter = await lockSlot(tx, slot)
      if (!counter || counter.booked + counter.held < session.capacity) throw seatsAvailable()
      if (await holdsBooking(tx, slot, user.id)) throw alreadyBooked()
      const [entry] = await tx
        .insert(waitlistEntries)
        .values({ ...slot, userId: user.id, createdAt: now, updatedAt: now })
        .returning({ id: waitlistEntries.id })
      if (!entry) throw new Error('insert returned no row')
      return entry.id
    })
    return loadOwnEntry(deps.db, id, user.id)
  } catch (error) {
    if (isUniqueViolation(error, 'waitlist_one_active_per_user_slot')) throw alreadyWaiting()
    throw error
  }
}

/** Locks the entry's slot counter, then the entry: its status and offer as they are now. */
async function lockEntry(tx: Database, entry: Slot & { id: string }) {
  await lockSlot(tx, entry)
  const [current] = await tx
    .select({ status: waitlistEntries.status, offerExpiresAt: waitlistEntries.offerExpiresAt })
    .from(waitlistEntries)
    .where(eq(waitlistEntries.id, entry.id))
    .for('update')
  if (!current) throw notFound()
  return current
}

/**
 * Claims the seat offered on the caller's entry, before the offer runs out: a pending booking on the
 * held seat (the seat moves from held to booked in one statement), in one transaction. Answers the
 * booking's id.
 */
export async function claimOffer(deps: WaitlistDeps, caller: Caller, id: string, actor: Actor) {
  const { user } = caller
  const { entry } = await loadOwnEntry(deps.db, id, user.id)
  const now = deps.clock.now()
  try {
    return await deps.db.transaction(async (tx) => {
      const session = await lockSession(tx, entry.sessionId)
      const { status, offerExpiresAt } = await lockEntry(tx, entry)
      const offerRanOut =
        offerExpiresAt !== null &&
        (status === 'expired' || (status === 'offered' && offerExpiresAt.getTime() <= now.getTime()))
      if (offerRanOut) throw offerExpired()
      if (status !== 'offered') throw notOffered()
      if (!session) throw notOpen()
      checkBookable(session, user.id, entry.bookingDate, now)
      const booking = await insertBooking(
        tx,
        {
          businessId: session.business_id,
          sessionId: entry.sessionId,
          userId: user.id,
          bookingDate: entry.bookingDate,
          amount: session.price,
        },
        actor,
        now,
      )
      await writeEmail(tx, 'booking_created', { bookingId: booking.id })
      await writeWebhookEvent(tx, 'booking.created', storedBooking(booking.id))
      await bookHeldSeat(tx, entry)
      await tx
        .update(waitlistEntries)
        .set({ status: 'claimed', updatedAt: now })
        .where(eq(waitlistEntries.id, id))
      return booking.id
    })
  } catch (error) {
    if (isUniqueViolation(error, 'bookings_one_active_per_user_slot')) throw alreadyBooked()
    throw error
  }
}

/** Takes the caller's entry out of line; an offered seat goes to the next in line, or back to the slot. */
export async function leaveWaitlist(deps: WaitlistDeps, caller: Caller, id: string): Promise<void> {
  const { entry } = await loadOwnEntry(deps.db, id, caller.user.id)
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    const current = await lockEntry(tx, entry)
    if (current.status !== 'waiting' && current.status !== 'offered') throw notInLine()
    await tx.update(waitlistEntries).set({ status: 'left', updatedAt: now }).where(eq(waitlistEntries.id, id))
    if (current.status === 'offered') await releaseSeats(tx, entry, 'held', 1, now)
  })
}
