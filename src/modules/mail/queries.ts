// What the emails say and whom they go to, read at sending time: a renamed business or a changed
// address shows in the email. Each read answers null when its row is gone.
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { scoped } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { bookings } from '../bookings/tables.js'
import { knownToBusiness } from '../businesses/contact-visibility.js'
import { businesses, invitations, memberships } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { reservations } from '../reservations/tables.js'

const person = {
  username: users.username,
  firstName: users.firstName,
  lastName: users.lastName,
  email: users.email,
  isActive: users.isActive,
}

const business = {
  name: businesses.name,
  timeZone: businesses.timezone,
  currency: businesses.currency,
}

export type Person = {
  username: string
  firstName: string
  lastName: string
  email: string
  isActive: boolean
}

export async function findBooking(db: Database, bookingId: string) {
  const [row] = await db
    .select({
      businessId: bookings.businessId,
      start: bookings.bookingDate,
      status: bookings.status,
      updatedAt: bookings.updatedAt,
      amount: bookings.amount,
      sessionTitle: sessions.title,
      durationMinutes: sessions.duration,
      business,
      customer: person,
    })
    .from(bookings)
    .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
    .innerJoin(businesses, eq(businesses.id, bookings.businessId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(and(eq(bookings.id, bookingId), eq(bookings.isDeleted, false)))
  return row ?? null
}

const staff = alias(users, 'staff')

export async function findReservation(db: Database, reservationId: string) {
  const [row] = await db
    .select({
      businessId: reservations.businessId,
      start: reservations.startTime,
      end: reservations.endTime,
      status: reservations.status,
      updatedAt: reservations.updatedAt,
      notes: reservations.notes,
      // Whether the business may know the customer's address (contact-visibility.ts).
      customerKnown: knownToBusiness(reservations.businessId, reservations.customerId),
      business,
      customer: person,
      staff: { username: staff.username, firstName: staff.firstName, lastName: staff.lastName },
    })
    .from(reservations)
    .innerJoin(businesses, eq(businesses.id, reservations.businessId))
    .innerJoin(users, eq(users.id, reservations.customerId))
    .leftJoin(staff, eq(staff.id, reservations.staffId))
    .where(and(eq(reservations.id, reservationId), eq(reservations.isDeleted, false)))
  return row ?? null
}

/** An invitation still open (not accepted, not revoked or replaced) to a live business. */
export async function findInvitation(db: Database, invitationId: string) {
  const [row] = await db
    .select({
      email: invitations.email,
      role: invitations.role,
      businessName: businesses.name,
      inviter: { username: users.username, firstName: users.firstName, lastName: users.lastName },
    })
    .from(invitations)
    .innerJoin(businesses, eq(businesses.id, invitations.businessId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt), eq(businesses.isDeleted, false)),
    )
  return row ?? null
}

/** The addresses of the business's active owners and admins, owners first. */
export async function ownerAndAdminEmails(db: Database, businessId: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        scoped(memberships, { businessId }),
        inArray(memberships.role, ['owner', 'admin']),
        eq(users.isActive, true),
      ),
    )
    .orderBy(memberships.role, memberships.createdAt)
  return rows.map((row) => row.email)
}
