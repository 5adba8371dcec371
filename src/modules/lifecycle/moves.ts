// The moves of bookings and reservations through the status machine, one per entity, each in the
// caller's transaction: a person's move (lifecycle/service.ts) and the schedule's (automation/) go
// through here alike.
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/database.js'
import type { Actor } from '../audit/service.js'
import { bookings, sessionSlots } from '../bookings/tables.js'
import { reservations } from '../reservations/tables.js'
import { ACTIVE_STATUSES, type Status } from './status.js'
import { transition } from './status-machine.js'

/** The statuses a person or the schedule moves a row to. */
export type MoveTarget = Extract<Status, 'confirmed' | 'completed' | 'cancelled'>

/** Moves a row in `tx`: the status machine's check, the audit row and the email included. */
export type Move<Row> = (tx: Database, row: Row, to: MoveTarget, actor: Actor, now: Date) => Promise<void>

/** Moves a booking; cancelling a pending or confirmed one frees its seat in the same transaction. */
export const moveBooking: Move<{ id: string; sessionId: string; bookingDate: Date }> = async (
  tx,
  booking,
  to,
  actor,
  now,
) => {
  const { from } = await transition(tx, {
    table: bookings,
    entity: 'booking',
    id: booking.id,
    to,
    actor,
    now,
    where: sql`not ${bookings.isDeleted}`,
  })
  if (to === 'cancelled' && (ACTIVE_STATUSES as readonly Status[]).includes(from)) {
    await tx
      .update(sessionSlots)
      .set({ booked: sql`${sessionSlots.booked} - 1` })
      .where(
        and(eq(sessionSlots.sessionId, booking.sessionId), eq(sessionSlots.bookingDate, booking.bookingDate)),
      )
  }
}

/**
 * Moves a reservation. A cancelled reservation leaves the overlap constraint's scope, and no move
 * leads back to pending or confirmed, so a move cannot violate it.
 */
export const moveReservation: Move<{ id: string }> = async (tx, reservation, to, actor, now) => {
  await transition(tx, {
    table: reservations,
    entity: 'reservation',
    id: reservation.id,
    to,
    actor,
    now,
    where: sql`not ${reservations.isDeleted}`,
  })
}
