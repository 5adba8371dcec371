// What the emails say and whom they go to, read at sending time: a renamed business or a changed
// address shows in the email. Each read takes many ids at once (the emails of a batch) and answers by
// id; an id whose row is gone is missing from the answer.
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { scopedSql } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { bookings } from '../bookings/tables.js'
import { knownToBusiness } from '../businesses/contact-visibility.js'
import { businesses, invitations, memberships } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { reservations } from '../reservations/tables.js'

/**
 * `any(ids)`, for `column = any(ids)`: one array parameter, so the statement's text (prepared once per
 * connection) does not change with the number of ids as `in (...)` would.
 */
export const anyId = (ids: string[]): SQL => sql`any(${sql.param(ids)}::uuid[])`

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

const byId = <Row extends { id: string }>(rows: Row[]) => new Map(rows.map((row) => [row.id, row]))

export async function findPeople(db: Database, userIds: string[]) {
  return byId(
    await db
      .select({ id: users.id, ...person })
      .from(users)
      .where(sql`${users.id} = ${anyId(userIds)}`),
  )
}

export async function findBookings(db: Database, bookingIds: string[]) {
  const rows = await db
    .select({
      id: bookings.id,
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
    .where(and(sql`${bookings.id} = ${anyId(bookingIds)}`, eq(bookings.isDeleted, false)))
  return byId(rows)
}

const staff = alias(users, 'staff')

export async function findReservations(db: Database, reservationIds: string[]) {
  const rows = await db
    .select({
      id: reservations.id,
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
    .where(and(sql`${reservations.id} = ${anyId(reservationIds)}`, eq(reservations.isDeleted, false)))
  return byId(rows)
}

/** Invitations still open (not accepted, not revoked or replaced) to a live business. */
export async function findInvitations(db: Database, invitationIds: string[]) {
  const rows = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      businessName: businesses.name,
      inviter: { username: users.username, firstName: users.firstName, lastName: users.lastName },
    })
    .from(invitations)
    .innerJoin(businesses, eq(businesses.id, invitations.businessId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        sql`${invitations.id} = ${anyId(invitationIds)}`,
        isNull(invitations.acceptedAt),
        eq(businesses.isDeleted, false),
      ),
    )
  return byId(rows)
}

/** The addresses of each business's active owners and admins, owners first; none for a business without. */
export async function ownerAndAdminEmails(db: Database, businessIds: string[]) {
  const rows = await db
    .select({ businessId: memberships.businessId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        scopedSql(memberships, anyId(businessIds)),
        inArray(memberships.role, ['owner', 'admin']),
        eq(users.isActive, true),
      ),
    )
    .orderBy(memberships.role, memberships.createdAt)
  const emails = new Map(businessIds.map((id) => [id, [] as string[]]))
  for (const row of rows) emails.get(row.businessId)?.push(row.email)
  return emails
}
