// The events of a feed: bookings and reservations from 30 days ago on, cancelled ones only for 30 days
// after they were cancelled (so calendars drop them), soonest first.
import { and, asc, eq, gte, ne, or, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/database.js'
import { scoped } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { bookings } from '../bookings/tables.js'
import { businesses } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { reservations } from '../reservations/tables.js'
import type { FeedOwner } from './feeds.js'
import { eventUid, type FeedEvent } from './ics.js'

/** How far back a feed reaches, and how long a cancelled event stays in it. */
export const FEED_HISTORY_MS = 30 * 86_400_000
/** A feed's length limit: the soonest events from FEED_HISTORY_MS ago on. */
export const MAX_FEED_EVENTS = 5000

function window(table: typeof bookings | typeof reservations, start: AnyPgColumn, now: Date) {
  const since = new Date(now.getTime() - FEED_HISTORY_MS)
  return and(gte(start, since), or(ne(table.status, 'cancelled'), gte(table.updatedAt, since)))
}

async function bookingEvents(db: Database, owner: FeedOwner, now: Date): Promise<FeedEvent[]> {
  const rows = await db
    .select({
      id: bookings.id,
      start: bookings.bookingDate,
      duration: sessions.duration,
      title: sessions.title,
      business: businesses.name,
      customer: users.username,
      status: bookings.status,
      updatedAt: bookings.updatedAt,
    })
    .from(bookings)
    .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(
      and(
        owner.kind === 'user'
          ? and(eq(bookings.userId, owner.userId), sql`not ${bookings.isDeleted}`)
          : scoped(bookings, owner),
        window(bookings, bookings.bookingDate, now),
      ),
    )
    .orderBy(asc(bookings.bookingDate))
    .limit(MAX_FEED_EVENTS)
  return rows.map((row) => ({
    uid: eventUid('booking', row.id),
    start: row.start,
    end: new Date(row.start.getTime() + row.duration * 60_000),
    summary: owner.kind === 'user' ? `${row.title} · ${row.business}` : `${row.title} · ${row.customer}`,
    status: row.status,
    updatedAt: row.updatedAt,
  }))
}

async function reservationEvents(db: Database, owner: FeedOwner, now: Date): Promise<FeedEvent[]> {
  const rows = await db
    .select({
      id: reservations.id,
      start: reservations.startTime,
      end: reservations.endTime,
      business: businesses.name,
      customer: users.username,
      status: reservations.status,
      updatedAt: reservations.updatedAt,
    })
    .from(reservations)
    .innerJoin(businesses, eq(businesses.id, reservations.businessId))
    .innerJoin(users, eq(users.id, reservations.customerId))
    .where(
      and(
        owner.kind === 'user'
          ? and(eq(reservations.customerId, owner.userId), sql`not ${reservations.isDeleted}`)
          : scoped(reservations, owner),
        window(reservations, reservations.startTime, now),
      ),
    )
    .orderBy(asc(reservations.startTime))
    .limit(MAX_FEED_EVENTS)
  return rows.map((row) => ({
    uid: eventUid('reservation', row.id),
    start: row.start,
    end: row.end,
    summary: owner.kind === 'user' ? `Reservation · ${row.business}` : `Reservation · ${row.customer}`,
    status: row.status,
    updatedAt: row.updatedAt,
  }))
}

/** The feed's events in start order, at most MAX_FEED_EVENTS. */
export async function feedEvents(db: Database, owner: FeedOwner, now: Date): Promise<FeedEvent[]> {
  const [booked, reserved] = await Promise.all([
    bookingEvents(db, owner, now),
    reservationEvents(db, owner, now),
  ])
  return [...booked, ...reserved]
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid))
    .slice(0, MAX_FEED_EVENTS)
}
