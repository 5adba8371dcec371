// Creating a reservation, the busiest write of the appointments side: one prepared statement reads the
// business and the staff member's membership and, only when both allow it, inserts the reservation,
// its audit row, the owners' email (outbox) and its webhook event (when an endpoint wants it). One round
// trip and one implicit transaction; the exclusion constraint refuses an overlap inside it (409
// slot_taken), which rolls all of them back.
import { sql } from 'drizzle-orm'
import { placeholders, preparedStatement } from '../../platform/db/prepared.js'
import { type FieldErrors, permissionDenied, validationFailed } from '../../platform/errors.js'
import { scopedSql } from '../../platform/tenancy.js'
import { type Actor, auditCreatedFrom } from '../audit/service.js'
import { type Caller, standingIn } from '../businesses/access.js'
import { canSeeContact } from '../businesses/contact-visibility.js'
import { can } from '../businesses/policy.js'
import type { Status } from '../lifecycle/status.js'
import { outboxInsertFrom } from '../outbox/outbox.js'
import { webhookEventCtes } from '../webhooks/events.js'
import { reservationEventSource } from '../webhooks/payloads.js'
import type { ReservationJoined } from './queries.js'
import {
  activeUserExists,
  calendarLock,
  checkPeriod,
  type ReservationCreate,
  type ReservationDeps,
  readInstant,
  refusingOverlap,
} from './service.js'

type Attempt = {
  name: string
  slug: string
  timezone: string
  is_deleted: boolean
  is_active: boolean
  staff_member: boolean
  staff_username: string | null
  /** Null for an unknown customer, which only staff can name (checked before the statement). */
  customer_username: string | null
  customer_email: string | null
  reservation_id: string | null
  status: Status | null
}

const value = placeholders
const reserve = preparedStatement<Attempt>(
  'reserve',
  sql`with business as (
    select id, name, slug, timezone, is_deleted, is_active from businesses where id = ${value('business')}
  ), staff as (
    select u.id, u.username from users u
    join memberships m on m.user_id = u.id and ${scopedSql('m', value('business'))}
    where u.id = ${value('staff')}::uuid
  ), allowed as (
    select id from business
    where not is_deleted and is_active and ${value('valid')}::boolean
      and (${value('staff')}::uuid is null or exists (select 1 from staff))
      and ${calendarLock(sql`${value('business')}`, sql`${value('staff')}::uuid`)}
  ), created as (
    insert into reservations
      (business_id, customer_id, staff_id, start_time, end_time, notes, created_by, updated_by, created_at, updated_at)
    select id, ${value('customer')}, ${value('staff')}::uuid, ${value('start')}, ${value('end')}, ${value('notes')},
           ${value('actor')}, ${value('actor')}, ${value('now')}, ${value('now')}
    from allowed
    returning id, business_id, customer_id, staff_id, start_time, end_time, status, notes, created_by,
      created_at, updated_at
  ), audit as (
    ${auditCreatedFrom(
      'created',
      'reservation',
      {
        business: sql`business_id`,
        customer: sql`customer_id`,
        staff: sql`staff_id`,
        start_time: sql`${value('start_text')}::text`,
        end_time: sql`${value('end_text')}::text`,
        status: sql`status`,
        notes: sql`notes`,
      },
      { userId: value('actor'), requestId: value('request_id') },
      value('now'),
    )}
  ), mail as (
    ${outboxInsertFrom('reservation_created', { reservationId: sql`id` }, 'created')}
  ), ${webhookEventCtes('reservation.created', reservationEventSource(sql`created`))}
  select business.name, business.slug, business.timezone, business.is_deleted, business.is_active,
    exists (select 1 from staff) as staff_member, (select username from staff) as staff_username,
    customer.username as customer_username, customer.email as customer_email,
    created.id as reservation_id, created.status
  from business
  left join (select username, email from users where id = ${value('customer')}) customer on true
  left join created on true`,
)

/**
 * Reserves a period for the caller, or (staff of the business only) for `customer`. Field errors are
 * gathered and reported together; asking for another customer without being staff is 403.
 */
export async function createReservation(
  deps: ReservationDeps,
  caller: Caller,
  input: ReservationCreate,
  actor: Actor,
): Promise<ReservationJoined> {
  const { db } = deps
  const { user } = caller
  const customerId = input.customer ?? user.id
  // Anyone signed in reserves for themself; reserving for someone else is for the business's staff (the
  // rare path, checked before the statement).
  const forSomeoneElse = customerId !== user.id
  if (forSomeoneElse) {
    const standing = await standingIn(db, user, input.business)
    if (!(standing && can(standing, 'reservations.manage')))
      throw permissionDenied('Only staff of the business may reserve for another customer.')
  }
  const now = deps.clock.now()
  const errors: FieldErrors = {}
  const start = readInstant('start_time', input.start_time, errors)
  const end = readInstant('end_time', input.end_time, errors)
  checkPeriod(start, end, now, true, errors)
  const staffId = input.staff ?? null
  if (forSomeoneElse && !(await activeUserExists(db, customerId))) errors.customer = ['No such user.']
  const valid = Boolean(start && end) && Object.keys(errors).length === 0
  const [attempt] = await refusingOverlap(() =>
    reserve(db).execute({
      business: input.business,
      customer: customerId,
      staff: staffId,
      start: start ?? now,
      end: end ?? now,
      start_text: start?.toISOString() ?? '',
      end_text: end?.toISOString() ?? '',
      notes: input.notes ?? '',
      valid,
      actor: actor.userId,
      request_id: actor.requestId,
      now,
    }),
  )
  if (!attempt || attempt.is_deleted) errors.business = ['No such business.']
  else if (!attempt.is_active) errors.business = ['This business is not taking reservations.']
  else if (staffId && !attempt.staff_member) errors.staff = ['Not a member of this business.']
  if (!start || !end || !attempt?.reservation_id || !attempt.status || attempt.customer_username === null)
    throw validationFailed(errors)
  // Reserving for someone does not entitle staff to their address (businesses/contact-visibility.ts).
  const showEmail = customerId === user.id || (await canSeeContact(db, user, customerId))
  return {
    reservation: {
      id: attempt.reservation_id,
      businessId: input.business,
      customerId,
      staffId,
      startTime: start,
      endTime: end,
      status: attempt.status,
      notes: input.notes ?? '',
      createdAt: now,
      updatedAt: now,
    },
    business: { id: input.business, name: attempt.name, slug: attempt.slug, timezone: attempt.timezone },
    customer: {
      id: customerId,
      username: attempt.customer_username,
      email: showEmail ? attempt.customer_email : null,
    },
    staff: staffId && attempt.staff_username ? { id: staffId, username: attempt.staff_username } : null,
    sortKey: start.toISOString(),
  }
}
