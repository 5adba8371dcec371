// The schedule's rows, picked in batches inside the caller's transaction. Each pick locks its rows FOR
// UPDATE SKIP LOCKED, so two workers running the schedule at once split the rows instead of queueing
// behind each other's locks. Every pick filters on a literal status (hasStatus), `not is_deleted` and the time
// column: the partial indexes bookings_open_date_idx and reservations_open_start_idx then apply (a
// status given as a parameter would not prove their predicate in a generic plan).
import { and, asc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { bookings } from '../bookings/tables.js'
import { sessions } from '../catalog/tables.js'
import { hasStatus } from '../lifecycle/status.js'
import { reservations } from '../reservations/tables.js'

/** Rows one transaction handles at most. */
export const BATCH_SIZE = 200

export type DueBooking = { id: string; sessionId: string; bookingDate: Date }

const openBookings = {
  pending: and(hasStatus(bookings.status, ['pending']), sql`not ${bookings.isDeleted}`),
  confirmed: and(hasStatus(bookings.status, ['confirmed']), sql`not ${bookings.isDeleted}`),
}

const openReservations = {
  pending: and(hasStatus(reservations.status, ['pending']), sql`not ${reservations.isDeleted}`),
  confirmed: and(hasStatus(reservations.status, ['confirmed']), sql`not ${reservations.isDeleted}`),
}

/** Confirmed bookings whose end (the slot plus the session's duration) is at or before `now`. */
export function confirmedBookingsEndedBy(tx: Database, now: Date): Promise<DueBooking[]> {
  return (
    tx
      .select({ id: bookings.id, sessionId: bookings.sessionId, bookingDate: bookings.bookingDate })
      .from(bookings)
      .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
      .where(
        and(
          openBookings.confirmed,
          // Implied by the next condition (a session lasts at least 5 minutes); it bounds the index scan.
          lte(bookings.bookingDate, now),
          sql`${bookings.bookingDate} + ${sessions.duration} * interval '1 minute' <= ${now}`,
        ),
      )
      .orderBy(asc(bookings.bookingDate))
      .limit(BATCH_SIZE)
      // The session row stays unlocked: people may edit the session meanwhile.
      .for('update', { of: bookings, skipLocked: true })
  )
}

/** Pending bookings whose slot is at or before `startedBy`. */
export function pendingBookingsStartedBy(tx: Database, startedBy: Date): Promise<DueBooking[]> {
  return tx
    .select({ id: bookings.id, sessionId: bookings.sessionId, bookingDate: bookings.bookingDate })
    .from(bookings)
    .where(and(openBookings.pending, lte(bookings.bookingDate, startedBy)))
    .orderBy(asc(bookings.bookingDate))
    .limit(BATCH_SIZE)
    .for('update', { skipLocked: true })
}

/** Confirmed reservations whose end_time is at or before `now`. */
export function confirmedReservationsEndedBy(tx: Database, now: Date): Promise<{ id: string }[]> {
  return tx
    .select({ id: reservations.id })
    .from(reservations)
    .where(
      and(
        openReservations.confirmed,
        // Implied by the next condition (a reservation ends after it starts); it bounds the index scan.
        lte(reservations.startTime, now),
        lte(reservations.endTime, now),
      ),
    )
    .orderBy(asc(reservations.startTime))
    .limit(BATCH_SIZE)
    .for('update', { skipLocked: true })
}

/** Pending reservations whose start_time is at or before `startedBy`. */
export function pendingReservationsStartedBy(tx: Database, startedBy: Date): Promise<{ id: string }[]> {
  return tx
    .select({ id: reservations.id })
    .from(reservations)
    .where(and(openReservations.pending, lte(reservations.startTime, startedBy)))
    .orderBy(asc(reservations.startTime))
    .limit(BATCH_SIZE)
    .for('update', { skipLocked: true })
}

/** Starts in (`after`, `until`]. */
export type ReminderWindow = { after: Date; until: Date }

/**
 * Marks confirmed bookings starting in `window` and not reminded yet as reminded at `now`, and answers
 * their ids. The UPDATE re-checks `reminded_at is null` on the row it writes, so a booking is claimed by
 * one transaction only, however many run.
 */
export async function claimBookingReminders(
  tx: Database,
  window: ReminderWindow,
  now: Date,
): Promise<string[]> {
  const due = tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        openBookings.confirmed,
        gt(bookings.bookingDate, window.after),
        lte(bookings.bookingDate, window.until),
        isNull(bookings.remindedAt),
      ),
    )
    .orderBy(asc(bookings.bookingDate))
    .limit(BATCH_SIZE)
    .for('update', { skipLocked: true })
  const rows = await tx
    .update(bookings)
    .set({ remindedAt: now })
    .where(and(inArray(bookings.id, due), isNull(bookings.remindedAt)))
    .returning({ id: bookings.id })
  return rows.map((row) => row.id)
}

/** claimBookingReminders for reservations. */
export async function claimReservationReminders(
  tx: Database,
  window: ReminderWindow,
  now: Date,
): Promise<string[]> {
  const due = tx
    .select({ id: reservations.id })
    .from(reservations)
    .where(
      and(
        openReservations.confirmed,
        gt(reservations.startTime, window.after),
        lte(reservations.startTime, window.until),
        isNull(reservations.remindedAt),
      ),
    )
    .orderBy(asc(reservations.startTime))
    .limit(BATCH_SIZE)
    .for('update', { skipLocked: true })
  const rows = await tx
    .update(reservations)
    .set({ remindedAt: now })
    .where(and(inArray(reservations.id, due), isNull(reservations.remindedAt)))
    .returning({ id: reservations.id })
  return rows.map((row) => row.id)
}
