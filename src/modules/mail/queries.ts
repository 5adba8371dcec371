// What the emails say and whom they go to, read at sending time: a renamed business or a changed
// address shows in the email. Each read takes many ids at once (the emails of a batch) and answers by
// id; an id whose row is gone is missing from the answer.
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { type MembershipRole, scopedSql } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { bookings } from '../bookings/tables.js'
import { knownToBusiness } from '../businesses/contact-visibility.js'
import { businesses, invitations, memberships } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { reservations } from '../reservations/tables.js'
import { waitlistEntries } from '../waitlist/tables.js'
import { webhookDeliveries, webhookEndpoints } from '../webhooks/tables.js'

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

/** Waiting-list entries with their slot, session, business and customer. */
export async function findWaitlistEntries(db: Database, entryIds: string[]) {
  const rows = await db
    .select({
      id: waitlistEntries.id,
      status: waitlistEntries.status,
      offerExpiresAt: waitlistEntries.offerExpiresAt,
      start: waitlistEntries.bookingDate,
      sessionTitle: sessions.title,
      durationMinutes: sessions.duration,
      business,
      customer: person,
    })
    .from(waitlistEntries)
    .innerJoin(sessions, eq(sessions.id, waitlistEntries.sessionId))
    .innerJoin(businesses, eq(businesses.id, sessions.businessId))
    .innerJoin(users, eq(users.id, waitlistEntries.userId))
    .where(sql`${waitlistEntries.id} = ${anyId(entryIds)}`)
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

/** Webhook endpoints not deleted, with their business and the error of their last failed attempt. */
export async function findWebhookEndpoints(db: Database, endpointIds: string[]) {
  const rows = await db
    .select({
      id: webhookEndpoints.id,
      businessId: webhookEndpoints.businessId,
      url: webhookEndpoints.url,
      description: webhookEndpoints.description,
      isActive: webhookEndpoints.isActive,
      failingSince: webhookEndpoints.failingSince,
      lastError: sql<string | null>`(select ${webhookDeliveries.error} from ${webhookDeliveries}
        where ${webhookDeliveries.endpointId} = ${webhookEndpoints.id} and ${webhookDeliveries.status} = 'failed'
        order by ${webhookDeliveries.seq} desc limit 1)`,
      business,
    })
    .from(webhookEndpoints)
    .innerJoin(businesses, eq(businesses.id, webhookEndpoints.businessId))
    .where(and(sql`${webhookEndpoints.id} = ${anyId(endpointIds)}`, eq(webhookEndpoints.isDeleted, false)))
  return byId(rows)
}

/** The addresses of each business's active members in `roles`, by role; none for a business without. */
export async function memberEmails(
  db: Database,
  businessIds: string[],
  roles: [MembershipRole, ...MembershipRole[]],
) {
  const rows = await db
    .select({ businessId: memberships.businessId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        scopedSql(memberships, anyId(businessIds)),
        inArray(memberships.role, roles),
        eq(users.isActive, true),
      ),
    )
    .orderBy(memberships.role, memberships.createdAt)
  const emails = new Map(businessIds.map((id) => [id, [] as string[]]))
  for (const row of rows) emails.get(row.businessId)?.push(row.email)
  return emails
}
