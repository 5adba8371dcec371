// Reading reservations: the columns of one as a viewer sees it (the customer's address only where
// allowed), its answer, and the query every read starts from.

import { and, eq, sql } from 'drizzle-orm'
import type { SelectedFields } from 'drizzle-orm/pg-core'
import { alias } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { notFound } from '../../platform/errors.js'
import type { Principal } from '../../platform/http/guards.js'
import { users } from '../accounts/tables.js'
import { contactVisibleTo } from '../businesses/contact-visibility.js'
import { businesses } from '../businesses/tables.js'
import { reservations } from './tables.js'

const staffUsers = alias(users, 'staff')

/**
 * The columns of a reservation as `viewer` may see it: the customer's address only where allowed.
 * `viewerId` is how the statement gives the viewer's id (a placeholder in a prepared one).
 */
const columnsFor = (viewer: Principal, viewerId: unknown = viewer.id) => ({
  reservation: {
    id: reservations.id,
    businessId: reservations.businessId,
    customerId: reservations.customerId,
    staffId: reservations.staffId,
    startTime: reservations.startTime,
    endTime: reservations.endTime,
    status: reservations.status,
    notes: reservations.notes,
    createdAt: reservations.createdAt,
    updatedAt: reservations.updatedAt,
  },
  business: {
    id: businesses.id,
    name: businesses.name,
    slug: businesses.slug,
    timezone: businesses.timezone,
  },
  customer: {
    id: users.id,
    username: users.username,
    email: sql<
      string | null
    >`case when ${contactVisibleTo(viewer, reservations.customerId, viewerId)} then ${users.email} end`,
  },
  staff: { id: staffUsers.id, username: staffUsers.username },
  // The exact stored start (microseconds included), for keyset positions.
  sortKey: sql<string>`${reservations.startTime}::text`,
})

type Columns = ReturnType<typeof columnsFor>

/** Reservations with their business, customer and staff member, read in one query, as `viewer` sees them. */
export const joinedReservations = (
  db: Database,
  viewer: Principal,
  viewerId?: unknown,
  extra: SelectedFields = {},
) =>
  db
    .select({ ...columnsFor(viewer, viewerId), ...extra })
    .from(reservations)
    .innerJoin(businesses, eq(businesses.id, reservations.businessId))
    .innerJoin(users, eq(users.id, reservations.customerId))
    .leftJoin(staffUsers, eq(staffUsers.id, reservations.staffId))

export type ReservationJoined = {
  reservation: Pick<typeof reservations.$inferSelect, keyof Columns['reservation']>
  business: { id: string; name: string; slug: string; timezone: string }
  /** `email` is null for a viewer who may not see it. */
  customer: { id: string; username: string; email: string | null }
  staff: { id: string; username: string } | null
  sortKey: string
}

export function reservationOut({ reservation, business, customer, staff }: ReservationJoined) {
  return {
    id: reservation.id,
    business: { id: business.id, name: business.name, slug: business.slug },
    // Without `email` for a viewer who may not see it (businesses/contact-visibility.ts).
    customer: {
      id: customer.id,
      username: customer.username,
      ...(customer.email !== null && { email: customer.email }),
    },
    staff: staff ? { id: staff.id, username: staff.username } : null,
    start_time: reservation.startTime.toISOString(),
    end_time: reservation.endTime.toISOString(),
    status: reservation.status,
    notes: reservation.notes,
    created_at: reservation.createdAt.toISOString(),
    updated_at: reservation.updatedAt.toISOString(),
  }
}

/** One reservation as `viewer` sees it; 404 without one. */
export async function loadReservation(
  db: Database,
  id: string,
  viewer: Principal,
): Promise<ReservationJoined> {
  const [row] = await joinedReservations(db, viewer).where(
    and(eq(reservations.id, id), sql`not ${reservations.isDeleted}`),
  )
  if (!row) throw notFound()
  return row
}
