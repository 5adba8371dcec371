// Bookings: seat-limited, one active booking per user and slot, guaranteed by PostgreSQL inside one
// transaction (a conditional UPDATE of the slot counter, a unique partial index); cancelling frees the
// seat in the same transaction.
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { dateRange } from '../../platform/dates.js'
import { isUniqueViolation } from '../../platform/db/errors.js'
import { type Database, queryRows } from '../../platform/db/index.js'
import { type KeysetQuery, keysetList } from '../../platform/db/keyset.js'
import { literalList } from '../../platform/db/literals.js'
import { placeholders, preparedStatement, type ValueOf } from '../../platform/db/prepared.js'
import { AppError, badRequest, conflict, notFound, validationFailed } from '../../platform/errors.js'
import { EXPORT_BATCH, keysetBatches } from '../../platform/http/export.js'
import { moneyText } from '../../platform/http/inputs.js'
import type { PageRequest } from '../../platform/http/pagination.js'
import { ownedBy, scopedSql } from '../../platform/tenancy.js'
import { users } from '../accounts/tables.js'
import { type Actor, auditCreatedFrom } from '../audit/service.js'
import {
  businessContextIfAny,
  businessOrPlatform,
  businessTimeZone,
  type Caller,
  membershipsOf,
  requirePower,
} from '../businesses/access.js'
import { POWERS } from '../businesses/policy.js'
import { memberships } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { requireSight } from '../lifecycle/access.js'
import { moveBooking } from '../lifecycle/moves.js'
import type { Movable } from '../lifecycle/service.js'
import { isActive, type Status } from '../lifecycle/status.js'
import { outboxInsertFrom } from '../outbox/outbox.js'
import { bookings } from './tables.js'

export type BookingDeps = { db: Database; clock: Clock }

const sessionFull = () => conflict('session_full', 'This session is full at that time.')
const alreadyBooked = () =>
  conflict('already_booked', 'You already hold a booking for this session at that time.')

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
}

type BookingJoined = {
  booking: typeof bookings.$inferSelect
  session: { id: string; title: string; duration: number; price: string; creatorId: string }
  user: { id: string; username: string }
}

export function bookingOut({ booking, session, user }: BookingJoined) {
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
    created_at: booking.createdAt.toISOString(),
    updated_at: booking.updatedAt.toISOString(),
  }
}

/**
 * The seat rule, in one place: a slot's counter row is created with the first seat, and afterwards
 * incremented only while it is below the session's capacity. The row lock of ON CONFLICT DO UPDATE
 * serializes concurrent bookers of a slot, and each re-checks the condition on the latest count, so a
 * slot can never hold more seats than the session has.
 *
 * The capacity comes from the statement's CTE `session`, which must read the session row FOR SHARE:
 * a locked read waits for a capacity change in progress and returns the row's newest committed
 * version, where a plain subquery would read the statement's snapshot and could use the capacity from
 * before a change that committed meanwhile. The change, for its part, locks the row FOR UPDATE before
 * checking the counters (catalog/capacity.ts), so it never misses a seat taken under the old capacity.
 */
const TAKE_SEAT_ON_CONFLICT = sql`on conflict (session_id, booking_date) do update
  set booked = slot.booked + 1
  where slot.booked < (select max_participants from session)`

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

type BookingAttempt = {
  open: boolean
  creator_id: string
  title: string
  duration: number
  price: string
  held: boolean
  username: string
  booking_id: string | null
  business_id: string
  status: Status | null
  amount: string | null
}

// Booking is the busiest write, so it is one prepared statement: one round trip and one implicit
// transaction. It reads the session (share-locked: see TAKE_SEAT_ON_CONFLICT) and whether the user
// already holds the slot, and only when the booking is allowed takes a seat, inserts the booking, its
// audit row and the owners' email (outbox). A concurrent duplicate by the same user fails on the unique
// partial index, which rolls the whole statement back, seat included.
const value = placeholders
const bookSeat = preparedStatement<BookingAttempt>(
  'book_seat',
  sql`with session as (
    select s.id, s.business_id, s.creator_id, s.price, s.title, s.duration, s.max_participants,
           s.status = 'active' and b.is_active as open
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
      and not holding.held
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
    returning id, business_id, session_id, status, amount
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
  )
  select session.open, session.creator_id, session.title, session.duration, session.price::text as price,
         holding.held, (select username from users where id = ${value('user')}) as username,
         booking.id as booking_id, session.business_id, booking.status, booking.amount::text as amount
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
  let attempt: BookingAttempt | undefined
  try {
    ;[attempt] = await bookSeat(deps.db).execute({
      session: input.session,
      user: user.id,
      date: bookingDate,
      date_text: bookingDate.toISOString(),
      future: bookingDate.getTime() > now.getTime(),
      now,
      actor: actor.userId,
      request_id: actor.requestId,
    })
  } catch (error) {
    if (isUniqueViolation(error, 'bookings_one_active_per_user_slot')) throw alreadyBooked()
    throw error
  }
  if (!attempt) throw validationFailed({ session: ['No such session.'] })
  if (!attempt.open) throw validationFailed({ session: ['This session is not open for booking.'] })
  if (attempt.creator_id === user.id) throw badRequest('You cannot book your own session.')
  if (bookingDate.getTime() <= now.getTime())
    throw validationFailed({ booking_date: ['Must be in the future.'] })
  if (attempt.held) throw alreadyBooked()
  if (!attempt.booking_id || !attempt.status || !attempt.amount) throw sessionFull()
  return {
    booking: {
      id: attempt.booking_id,
      businessId: attempt.business_id,
      sessionId: input.session,
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
      id: input.session,
      title: attempt.title,
      duration: attempt.duration,
      price: attempt.price,
      creatorId: attempt.creator_id,
    },
    user: { id: user.id, username: attempt.username },
  }
}

async function loadBooking(db: Database, id: string): Promise<BookingJoined> {
  const [row] = await db
    .select(columns)
    .from(bookings)
    .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(and(eq(bookings.id, id), sql`not ${bookings.isDeleted}`))
  if (!row) throw notFound()
  return row
}

/**
 * A booking its user, the business's staff or a platform admin may see; else 404. The session's
 * creator sees it as staff of the business, not for having created the session.
 */
export async function visibleBooking(deps: BookingDeps, caller: Caller, id: string) {
  const row = await loadBooking(deps.db, id)
  await requireSight(deps.db, caller, 'booking', bookingMoves.facts(row))
  return row
}

/** How bookings move through the status machine (lifecycle/service.ts). */
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

export type BookingFilters = { status?: Status; session?: string; date_from?: Date; date_to?: Date }

/** Whose bookings a list holds; null for every business's (a platform admin's export). */
type BookingScope =
  | { kind: 'own'; userId: string }
  | { kind: 'business'; businessId: string }
  | { kind: 'created'; creatorId: string }
  | null

function scopeCondition(scope: BookingScope, value: ValueOf): SQL {
  const live = sql`not ${bookings.isDeleted}`
  if (!scope) return live
  if (scope.kind === 'own') return sql`${live} and ${bookings.userId} = ${value('scope')}`
  if (scope.kind === 'business') return sql`${live} and ${ownedBy(bookings, value('scope'))}`
  // Sessions the caller created in a business where they still have the creators' rights over them.
  return sql`${live} and ${sessions.creatorId} = ${value('scope')} and exists (
    select 1 from ${memberships}
    where ${scopedSql(memberships, sql`${sessions.businessId}`)} and ${memberships.userId} = ${sessions.creatorId}
      and ${memberships.role} in ${literalList(POWERS['sessions.write'])})`
}

const scopeValue = (scope: BookingScope) =>
  !scope
    ? null
    : scope.kind === 'own'
      ? scope.userId
      : scope.kind === 'business'
        ? scope.businessId
        : scope.creatorId

type ListedBooking = BookingJoined & { sortKey: string }
export type ExportedBooking = ListedBooking

const bookingList = keysetList<ListedBooking>('bookings')

/** The bookings of a scope and filters, newest first (see keysetList). */
function bookingQuery(scope: BookingScope, filters: BookingFilters): KeysetQuery<ListedBooking> {
  return {
    shape: scope?.kind ?? 'all',
    select: (db) =>
      db
        .select({ ...columns, sortKey: sql<string>`${bookings.createdAt}::text` })
        .from(bookings)
        .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
        .innerJoin(users, eq(users.id, bookings.userId))
        .$dynamic(),
    where: (value) => scopeCondition(scope, value),
    values: { scope: scopeValue(scope) },
    filters,
    conditions: {
      status: (value) => sql`${bookings.status} = ${value}`,
      session: (value) => sql`${bookings.sessionId} = ${value}`,
      date_from: (value) => sql`${bookings.bookingDate} >= ${value}`,
      date_to: (value) => sql`${bookings.bookingDate} < ${value}`,
    },
    // Only a creator's list filters on the session: the others count bookings alone.
    countFrom:
      scope?.kind === 'created'
        ? sql`${bookings} inner join ${sessions} on ${sessions.id} = ${bookings.sessionId}`
        : sql`${bookings}`,
    order: { key: bookings.createdAt, keyType: sql`timestamptz`, id: bookings.id, descending: true },
    position: (row) => [row.sortKey, row.booking.id],
  }
}

const pageOfBookings = (deps: BookingDeps, scope: BookingScope, filters: BookingFilters, page: PageRequest) =>
  bookingList.page(deps.db, bookingQuery(scope, filters), page)

/** A list's filters as given in its query string. */
export type BookingQuery = { status?: Status; session?: string; date_from?: string; date_to?: string }

/** Date filters are whole days in the business's time zone (UTC without a business). */
async function readFilters(
  db: Database,
  query: BookingQuery,
  businessId: string | null,
): Promise<BookingFilters> {
  const zone = await businessTimeZone(db, businessId)
  return { status: query.status, session: query.session, ...dateRange(query, zone) }
}

/**
 * GET /api/bookings/: with a business context (X-Business-ID, or the caller's single membership) the
 * business's bookings; else (no membership, or several and no header) the caller's own.
 */
export async function listBookings(
  deps: BookingDeps,
  caller: Caller,
  query: BookingQuery,
  page: PageRequest,
) {
  const context = await businessContextIfAny(deps.db, caller)
  const scope: BookingScope = context
    ? { kind: 'business', businessId: requirePower(context, 'bookings.read').businessId }
    : { kind: 'own', userId: caller.user.id }
  const filters = await readFilters(deps.db, query, context?.businessId ?? null)
  return pageOfBookings(deps, scope, filters, page)
}

/** The caller's own bookings, in any business. */
export async function listOwnBookings(
  deps: BookingDeps,
  caller: Caller,
  query: BookingQuery,
  page: PageRequest,
) {
  const filters = await readFilters(deps.db, query, null)
  return pageOfBookings(deps, { kind: 'own', userId: caller.user.id }, filters, page)
}

/**
 * The bookings of the sessions the caller created, for creators and staff of any business (however
 * many memberships, with or without X-Business-ID).
 */
export async function listCreatorBookings(
  deps: BookingDeps,
  caller: Caller,
  query: BookingQuery,
  page: PageRequest,
) {
  const { user } = caller
  if (user.role !== 'creator' && (await membershipsOf(deps.db, user.id)).length === 0)
    throw notCreatorOrStaff()
  const filters = await readFilters(deps.db, query, null)
  return pageOfBookings(deps, { kind: 'created', creatorId: user.id }, filters, page)
}

const notCreatorOrStaff = () =>
  new AppError(403, 'permission_denied', 'Only creators and business staff have creator bookings.')

/**
 * The business's bookings (every business's for a platform admin without X-Business-ID), newest
 * first, in keyset batches for a streamed export.
 */
export async function exportBookings(deps: BookingDeps, caller: Caller, query: BookingQuery) {
  const businessId = await businessOrPlatform(deps.db, caller, 'bookings.export')
  const filters = await readFilters(deps.db, query, businessId)
  const scope: BookingScope = businessId ? { kind: 'business', businessId } : null
  const rows = bookingQuery(scope, filters)
  return keysetBatches((after: ExportedBooking | null) =>
    bookingList.batch(deps.db, rows, after, EXPORT_BATCH),
  )
}
