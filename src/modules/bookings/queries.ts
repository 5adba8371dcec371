// Reading bookings: a booking with its session and user, its answer, and the query every read starts
// from.

import { and, eq, sql } from 'drizzle-orm'
import type { SelectedFields } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { notFound } from '../../platform/errors.js'
import { moneyText } from '../../platform/http/inputs.js'
import { users } from '../accounts/tables.js'
import { businesses } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { bookings } from './tables.js'

const columns = {
  booking: bookings,
  session: {
    id: sessions.id,
    title: sessions.title,
    duration: sessions.duration,
    price: sessions.price,
    creatorId: sessions.creatorId,
  },
  user: { id: users.id, username: users.username },
  currency: businesses.currency,
}

export type BookingJoined = {
  booking: typeof bookings.$inferSelect
  session: { id: string; title: string; duration: number; price: string; creatorId: string }
  user: { id: string; username: string }
  currency: string
}

export function bookingOut({ booking, session, user, currency }: BookingJoined) {
  return {
    id: booking.id,
    session: {
      id: session.id,
      title: session.title,
      duration: session.duration,
      price: moneyText(session.price),
    },
    user: { id: user.id, username: user.username },
    booking_date: booking.bookingDate.toISOString(),
    status: booking.status,
    amount: moneyText(booking.amount),
    currency,
    created_at: booking.createdAt.toISOString(),
    updated_at: booking.updatedAt.toISOString(),
  }
}

/** Bookings with their session and user, and the sort key of the newest-first order. */
export const joinedBookings = (db: Database, extra: SelectedFields = {}) =>
  db
    .select({ ...columns, sortKey: sql<string>`${bookings.createdAt}::text`, ...extra })
    .from(bookings)
    .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId))

/** One booking; 404 without one. */
export async function loadBooking(db: Database, id: string): Promise<BookingJoined> {
  const [row] = await joinedBookings(db).where(and(eq(bookings.id, id), sql`not ${bookings.isDeleted}`))
  if (!row) throw notFound()
  return row
}
