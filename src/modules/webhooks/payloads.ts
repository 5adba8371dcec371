// Bookings and reservations as the API renders them (bookingOut, reservationOut), built in SQL: their
// creation is one statement, and the event it writes must hold the row as that statement made it. The
// status changes render through the same SQL, so an entity's events share one shape; the webhook tests
// compare both with the API's answers.
import { type SQL, sql } from 'drizzle-orm'
import { users } from '../accounts/tables.js'
import { bookings } from '../bookings/tables.js'
import { knownToBusiness } from '../businesses/contact-visibility.js'
import { businesses } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { reservations } from '../reservations/tables.js'
import type { EventSource } from './events.js'

/** A timestamp as Date.toISOString() writes it. */
const isoText = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** Over `b` (a booking row), `s` (its session), `u` (its user) and `biz` (its business). */
const bookingJson = sql`json_build_object(
  'id', b.id,
  'session', json_build_object('id', s.id, 'title', s.title, 'duration', s.duration, 'price', s.price::text),
  'user', json_build_object('id', u.id, 'username', u.username),
  'booking_date', ${isoText(sql`b.booking_date`)},
  'status', b.status,
  'amount', b.amount::text,
  'currency', biz.currency,
  'created_at', ${isoText(sql`b.created_at`)},
  'updated_at', ${isoText(sql`b.updated_at`)})`

/**
 * A booking event's source: the booking rows of `booking` (a CTE of a statement that wrote them, or the
 * table), their sessions read from `session` (the statement's locked read of it, or the table).
 */
export function bookingEventSource(booking: SQL, session: SQL, where?: SQL): EventSource {
  return {
    from: sql`${booking} b join ${session} s on s.id = b.session_id
      join ${users} u on u.id = b.user_id join ${businesses} biz on biz.id = b.business_id`,
    where,
    businessId: sql`b.business_id`,
    data: bookingJson,
    at: sql`b.updated_at`,
  }
}

/** A stored booking's event source, as it is in the transaction. */
export const storedBooking = (id: string) =>
  bookingEventSource(sql`${bookings}`, sql`${sessions}`, sql`b.id = ${id}::uuid`)

// The business sees the customer's address as its staff would (businesses/contact-visibility.ts); the
// first check covers a reservation its statement has just written, which the second cannot see yet.
const customerJson = sql`case when r.created_by = r.customer_id
    or ${knownToBusiness(sql`r.business_id`, sql`r.customer_id`)}
  then json_build_object('id', customer_user.id, 'username', customer_user.username, 'email', customer_user.email)
  else json_build_object('id', customer_user.id, 'username', customer_user.username) end`

/** Over `r` (a reservation row), `biz`, `customer_user` and `staff_user` (null without staff). */
const reservationJson = sql`json_build_object(
  'id', r.id,
  'business', json_build_object('id', biz.id, 'name', biz.name, 'slug', biz.slug),
  'customer', ${customerJson},
  'staff', case when staff_user.id is null then null
    else json_build_object('id', staff_user.id, 'username', staff_user.username) end,
  'start_time', ${isoText(sql`r.start_time`)},
  'end_time', ${isoText(sql`r.end_time`)},
  'status', r.status,
  'notes', r.notes,
  'created_at', ${isoText(sql`r.created_at`)},
  'updated_at', ${isoText(sql`r.updated_at`)})`

/** A reservation event's source: the reservation rows of `reservation` (a CTE, or the table). */
export function reservationEventSource(reservation: SQL, where?: SQL): EventSource {
  return {
    from: sql`${reservation} r join ${businesses} biz on biz.id = r.business_id
      join ${users} customer_user on customer_user.id = r.customer_id
      left join ${users} staff_user on staff_user.id = r.staff_id`,
    where,
    businessId: sql`r.business_id`,
    data: reservationJson,
    at: sql`r.updated_at`,
  }
}

/** A stored reservation's event source, as it is in the transaction. */
export const storedReservation = (id: string) =>
  reservationEventSource(sql`${reservations}`, sql`r.id = ${id}::uuid`)
