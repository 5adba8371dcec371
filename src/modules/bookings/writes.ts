// A booking written as a row of its own, with its audit row, in the caller's transaction: for writers
// that take the seat apart from the booking statement of service.ts (a claimed waiting-list offer,
// which books a seat already held; the demo data).
import type { Database } from '../../platform/db/index.js'
import { type Actor, creationChanges, recordAudit } from '../audit/service.js'
import type { Status } from '../lifecycle/status.js'
import { bookings } from './tables.js'

export type NewBooking = {
  businessId: string
  sessionId: string
  userId: string
  bookingDate: Date
  /** The session's price now. */
  amount: string
  /** Pending unless given. */
  status?: Status
}

/** Inserts the booking, created by `actor`, and audits its creation as the booking statement does. */
export async function insertBooking(tx: Database, row: NewBooking, actor: Actor, now: Date) {
  const [booking] = await tx
    .insert(bookings)
    .values({ ...row, createdBy: actor.userId, updatedBy: actor.userId, createdAt: now, updatedAt: now })
    .returning()
  if (!booking) throw new Error('insert returned no row')
  const changes = creationChanges({
    session: booking.sessionId,
    user: booking.userId,
    booking_date: booking.bookingDate,
    status: booking.status,
    amount: booking.amount,
  })
  const created = { action: 'create', entity: 'booking', entityId: booking.id } as const
  await recordAudit(tx, { actor, businessId: booking.businessId, ...created, changes }, now)
  return booking
}
