// Booking a seat: seat-limited, one active booking per user and slot, guaranteed by PostgreSQL inside
// one statement (a conditional UPDATE of the slot counter, a unique partial index); cancelling frees the
// seat in the same transaction (lifecycle/moves.ts).
import { sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { isUniqueViolation } from '../../platform/db/errors.js'
import { type Database, queryRows } from '../../platform/db/index.js'
import { placeholders, preparedStatement } from '../../platform/db/prepared.js'
import { conflict, validationFailed } from '../../platform/errors.js'
import { type Actor, auditCreatedFrom } from '../audit/service.js'
import type { Caller } from '../businesses/access.js'
import type { Schedule } from '../catalog/schedule.js'
import { moveBooking } from '../lifecycle/moves.js'
import type { Movable } from '../lifecycle/service.js'
import { isActive, type Status } from '../lifecycle/status.js'
import { outboxInsertFrom } from '../outbox/outbox.js'
import { webhookEventCtes } from '../webhooks/events.js'
import { bookingEventSource } from '../webhooks/payloads.js'
import { type BookingJoined, loadBooking } from './queries.js'
import { alreadyBooked, type BookableSession, checkBookable, checkScheduled } from './rules.js'

export type BookingDeps = { db: Database; clock: Clock }

const sessionFull = () => conflict('session_full', 'This session is full at that time.')

/**
 * The seat rule, in one place: a slot's counter row is created with the first seat, and afterwards
 * incremented only while its seats taken (booked, and held for waiting-list offers) are below the
 * session's capacity. The row lock of ON CONFLICT DO UPDATE serializes concurrent bookers of a slot,
 * and each re-checks the condition on the latest counts, so a slot can never hold more seats than the
 * session has.
 *
 * The capacity comes from the statement's CTE `session`, which must read the session row FOR SHARE:
 * a locked read waits for a capacity change in progress and returns the row's newest committed
 * version, where a plain subquery would read the statement's snapshot and could use the capacity from
 * before a change that committed meanwhile. The change, for its part, locks the row FOR UPDATE before
 * checking the counters (catalog/capacity.ts), so it never misses a seat taken under the old capacity.
 */
const TAKE_SEAT_ON_CONFLICT = sql`on conflict (session_id, booking_date) do update
  set booked = slot.booked + 1
  where slot.booked + slot.held < (select max_participants from session)`

/** Takes one seat of a slot; false when the slot is full. */
export async function takeSeat(tx: Database, sessionId: string, bookingDate: Date): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`with session as (
          select id, max_participants from sessions where id = ${sessionId} for share
        )
        insert into session_slots as slot (session_id, booking_date, booked)
        select id, ${bookingDate}, 1 from session ${TAKE_SEAT_ON_CONFLICT}
        returning slot.booked`,
  )
  return rows.length > 0
}

type BookingAttempt = BookableSession & {
  title: string
  duration: number
  price: string
  held: boolean
  username: string
  booking_id: string | null
  business_id: string
  status: Status | null
  amount: string | null
  currency: string
  on_plan: boolean
}

// Booking is the busiest write, so it is one prepared statement: one round trip and one implicit
// transaction. It reads the session (share-locked: see TAKE_SEAT_ON_CONFLICT) and whether the user
// already holds the slot, and only when the booking is allowed takes a seat, inserts the booking, its
// audit row and the owners' email (outbox). A concurrent duplicate by the same user fails on the unique
// partial index, which rolls the whole statement back, seat included. The booking's webhook event is
// written by the same statement, for a business with an endpoint that wants it (webhooks/events.ts).
//
// A scheduled session's slots are computed here, not in SQL (catalog/schedule.ts), so the statement is
// told which schedule and time zone the booking_date was checked against (`plan`, null for "no
// schedule") and takes a seat only when the locked row still has exactly those (`on_plan`): a schedule
// changed after the check cannot let a booking through.
const value = placeholders
const bookSeat = preparedStatement<BookingAttempt>(
  'book_seat',
  sql`with session as (
    select s.id, s.business_id, s.creator_id, s.price, s.title, s.duration, s.max_participants,
           s.status = 'active' and b.is_active as open, s.schedule, b.timezone, b.currency,
           coalesce(s.schedule = ${value('plan')}::jsonb and b.timezone = ${value('zone')}::text,
                    s.schedule is null and ${value('plan')}::jsonb is null) as on_plan
    from sessions s join businesses b on b.id = s.business_id
    where s.id = ${value('session')} and not s.is_deleted and not b.is_deleted
    for share of s
  ), holding as (
    select exists (
      select 1 from bookings
      where session_id = ${value('session')} and booking_date = ${value('date')} and user_id = ${value('user')}
        and ${isActive(sql`status`)} and not is_deleted
    ) as held
  ), allowed as (
    select session.* from session, holding
    where session.open and session.creator_id <> ${value('user')} and ${value('future')}::boolean
      and session.on_plan and not holding.held
  ), seat as (
    insert into session_slots as slot (session_id, booking_date, booked)
    select id, ${value('date')}, 1 from allowed
    ${TAKE_SEAT_ON_CONFLICT}
    returning slot.session_id
  ), booking as (
    insert into bookings
      (business_id, session_id, user_id, booking_date, amount, created_by, updated_by, created_at, updated_at)
    select allowed.business_id, allowed.id, ${value('user')}, ${value('date')}, allowed.price,
           ${value('user')}, ${value('user')}, ${value('now')}, ${value('now')}
    from allowed join seat on seat.session_id = allowed.id
    returning id, business_id, session_id, user_id, booking_date, status, amount, created_at, updated_at
  ), audit as (
    ${auditCreatedFrom(
      'booking',
      'booking',
      {
        session: sql`session_id`,
        user: sql`${value('user')}::uuid`,
        booking_date: sql`${value('date_text')}::text`,
        status: sql`status`,
        amount: sql`amount::text`,
      },
      { userId: value('actor'), requestId: value('request_id') },
      value('now'),
    )}
  ), mail as (
    ${outboxInsertFrom('booking_created', { bookingId: sql`id` }, 'booking')}
  ), ${webhookEventCtes('booking.created', bookingEventSource(sql`booking`, sql`allowed`))}
  select session.open, session.creator_id, session.title, session.duration, session.price::text as price,
         holding.held, (select username from users where id = ${value('user')}) as username,
         booking.id as booking_id, session.business_id, booking.status, booking.amount::text as amount,
         session.schedule, session.timezone, session.currency, session.on_plan
  from session cross join holding left join booking on true`,
)

/**
 * Books a seat of a session's slot (the exact instant `booking_date`). The checks come back from the
 * statement in the order a person would give them: no such session, not open, your own, not in the
 * future, already yours, full.
 */
export async function createBooking(
  deps: BookingDeps,
  caller: Caller,
  input: { session: string; booking_date: string },
  actor: Actor,
): Promise<BookingJoined> {
  // Any signed-in user may book; what they may book, the statement decides.
  const { user } = caller
  const bookingDate = new Date(input.booking_date)
  const now = deps.clock.now()
  // First as if the session had no schedule (most have none: one round trip); when it has one, the
  // date is checked against it and the statement runs again with that plan (see bookSeat).
  let plan: { schedule: Schedule; zone: string } | null = null
  for (let tries = 1; ; tries++) {
    const attempt = await tryBooking(deps, input.session, user.id, bookingDate, now, plan, actor)
    if (!attempt) throw validationFailed({ session: ['No such session.'] })
    checkBookable(attempt, user.id, bookingDate, now)
    if (attempt.on_plan) return booked(attempt, input.session, user, bookingDate, now)
    checkScheduled(attempt, bookingDate)
    // The schedule changed under a check more than once: let the caller try again.
    if (tries === 3) throw conflict('conflict', 'The session changed while booking; try again.')
    plan = attempt.schedule && { schedule: attempt.schedule, zone: attempt.timezone }
  }
}

async function tryBooking(
  deps: BookingDeps,
  session: string,
  userId: string,
  bookingDate: Date,
  now: Date,
  plan: { schedule: Schedule; zone: string } | null,
  actor: Actor,
): Promise<BookingAttempt | undefined> {
  try {
    const [attempt] = await bookSeat(deps.db).execute({
      session,
      user: userId,
      date: bookingDate,
      date_text: bookingDate.toISOString(),
      future: bookingDate.getTime() > now.getTime(),
      plan: plan && JSON.stringify(plan.schedule),
      zone: plan?.zone ?? null,
      now,
      actor: actor.userId,
      request_id: actor.requestId,
    })
    return attempt
  } catch (error) {
    if (isUniqueViolation(error, 'bookings_one_active_per_user_slot')) throw alreadyBooked()
    throw error
  }
}

/** The booking a successful attempt made, as the API answers it (or the refusal it met). */
function booked(
  attempt: BookingAttempt,
  sessionId: string,
  user: Caller['user'],
  bookingDate: Date,
  now: Date,
): BookingJoined {
  if (attempt.held) throw alreadyBooked()
  if (!attempt.booking_id || !attempt.status || !attempt.amount) throw sessionFull()
  return {
    booking: {
      id: attempt.booking_id,
      businessId: attempt.business_id,
      sessionId,
      userId: user.id,
      bookingDate,
      status: attempt.status,
      amount: attempt.amount,
      remindedAt: null,
      createdBy: user.id,
      updatedBy: user.id,
      createdAt: now,
      updatedAt: now,
      isDeleted: false,
      deletedAt: null,
      deletedBy: null,
    },
    session: {
      id: sessionId,
      title: attempt.title,
      duration: attempt.duration,
      price: attempt.price,
      creatorId: attempt.creator_id,
    },
    user: { id: user.id, username: attempt.username },
    currency: attempt.currency,
  }
}

/**
 * How a booking is read and moved (lifecycle/service.ts): its user and the business's staff see it.
 * The session's creator sees it as staff of the business, not for having created the session.
 */
export const bookingMoves: Movable<BookingJoined> = {
  entity: 'booking',
  load: (db, id) => loadBooking(db, id),
  facts: ({ booking }) => ({
    businessId: booking.businessId,
    customerId: booking.userId,
    status: booking.status,
    start: booking.bookingDate,
  }),
  move: (tx, { booking }, to, actor, now) => moveBooking(tx, booking, to, actor, now),
}
