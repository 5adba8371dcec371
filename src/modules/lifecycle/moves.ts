// The moves of bookings and reservations through the status machine, one per entity, each in the
// caller's transaction: a person's move (lifecycle/service.ts) and the schedule's (automation/) go
// through here alike.
import { sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/database.js'
import type { Actor } from '../audit/service.js'
import { bookings } from '../bookings/tables.js'
import { reservations } from '../reservations/tables.js'
import { releaseSeats } from '../waitlist/seats.js'
import { writeWebhookEvent } from '../webhooks/events.js'
import { storedBooking, storedReservation } from '../webhooks/payloads.js'
import { ACTIVE_STATUSES, type Status } from './status.js'
import { transition } from './status-machine.js'

/** The statuses a person or the schedule moves a row to. */
export type MoveTarget = Extract<Status, 'confirmed' | 'completed' | 'cancelled'>

/** Moves a row in `tx`: the status machine's check, the audit row, the email and the webhook event. */
export type Move<Row> = (tx: Database, row: Row, to: MoveTarget, actor: Actor, now: Date) => Promise<void>

/**
 * Moves a booking; cancelling a pending or confirmed one gives its seat up in the same transaction: to
 * the first in the slot's waiting list, or back to the slot.
 */
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
  if (to === 'cancelled' && (ACTIVE_STATUSES as readonly Status[]).includes(from))
    await releaseSeats(tx, booking, 'booked', 1, now)
  await writeWebhookEvent(tx, 'booking.status_changed', storedBooking(booking.id))
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
  await writeWebhookEvent(tx, 'reservation.status_changed', storedReservation(reservation.id))
}
