// Bookings: seat-limited, one active booking per user and slot, guaranteed by PostgreSQL inside one
// transaction (a conditional UPDATE of the slot counter, a unique partial index); cancelling frees the
// seat in the same transaction.
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { countRows } from '../../platform/db/count.js'
import type { Database } from '../../platform/db/index.js'
import {
  AppError,
  badRequest,
  conflict,
  notFound,
  permissionDenied,
  validationFailed,
} from '../../platform/errors.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import type { CursorPosition, PageRequest } from '../../platform/http/pagination.js'
import { users } from '../accounts/tables.js'
import { type Actor, creationChanges, recordAudit } from '../audit/service.js'
import { businesses } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { type Status, transition } from './status-machine.js'
import { bookings, sessionSlots } from './tables.js'

export type BookingDeps = { db: Database; clock: Clock }

const sessionFull = () => conflict('session_full', 'This session is full at that time.')
const alreadyBooked = () =>
  conflict('already_booked', 'You already hold a booking for this session at that time.')
const tooLate = () =>
  conflict('too_late', 'The booking has started: it can no longer be cancelled by its customer.')

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

const money = (value: string) => Number(value).toFixed(2)

export function bookingOut({ booking, session, user }: BookingJoined) {
  return {
    id: booking.id,
    session: {
      id: session.id,
      title: session.title,
      duration: session.duration,
      price: money(session.price),
    },
    user: { id: user.id, username: user.username },
    booking_date: booking.bookingDate.toISOString(),
    status: booking.status,
    amount: money(booking.amount),
    created_at: booking.createdAt.toISOString(),
    updated_at: booking.updatedAt.toISOString(),
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constraint?: string }
  return cause.code === '23505' && cause.constraint === constraint
}

/**
 * Takes one seat of a slot, only while it has one free against the session's current capacity:
 * the slot's counter row, then one conditional increment. False when the slot is full.
 */
export async function takeSeat(tx: Database, sessionId: string, bookingDate: Date): Promise<boolean> {
  await tx.insert(sessionSlots).values({ sessionId, bookingDate, booked: 0 }).onConflictDoNothing()
  const [seat] = await tx
    .update(sessionSlots)
    .set({ booked: sql`${sessionSlots.booked} + 1` })
    .where(
      and(
        eq(sessionSlots.sessionId, sessionId),
        eq(sessionSlots.bookingDate, bookingDate),
        sql`${sessionSlots.booked} < (select ${sessions.maxParticipants} from ${sessions} where ${sessions.id} = ${sessionId})`,
      ),
    )
    .returning({ booked: sessionSlots.booked })
  return Boolean(seat)
}

export async function createBooking(
  deps: BookingDeps,
  user: Principal,
  input: { session: string; booking_date: string },
  actor: Actor,
): Promise<BookingJoined> {
  const bookingDate = new Date(input.booking_date)
  const now = deps.clock.now()
  const id = await deps.db.transaction(async (tx) => {
    const [session] = await tx
      .select({
        id: sessions.id,
        businessId: sessions.businessId,
        creatorId: sessions.creatorId,
        price: sessions.price,
        status: sessions.status,
        businessActive: businesses.isActive,
      })
      .from(sessions)
      .innerJoin(businesses, eq(businesses.id, sessions.businessId))
      .where(
        and(eq(sessions.id, input.session), sql`not ${sessions.isDeleted}`, sql`not ${businesses.isDeleted}`),
      )
    if (!session) throw validationFailed({ session: ['No such session.'] })
    if (session.status !== 'active' || !session.businessActive)
      throw validationFailed({ session: ['This session is not open for booking.'] })
    if (session.creatorId === user.id) throw badRequest('You cannot book your own session.')
    if (bookingDate.getTime() <= now.getTime())
      throw validationFailed({ booking_date: ['Must be in the future.'] })

    // The friendly answer first; the unique partial index below is the guarantee.
    const [held] = await tx
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.sessionId, session.id),
          eq(bookings.bookingDate, bookingDate),
          eq(bookings.userId, user.id),
          sql`${bookings.status} in ('pending', 'confirmed') and not ${bookings.isDeleted}`,
        ),
      )
    if (held) throw alreadyBooked()
    const seat = await takeSeat(tx, session.id, bookingDate)
    if (!seat) throw sessionFull()
    let created: typeof bookings.$inferSelect | undefined
    try {
      ;[created] = await tx
        .insert(bookings)
        .values({
          businessId: session.businessId,
          sessionId: session.id,
          userId: user.id,
          bookingDate,
          amount: session.price,
          createdBy: user.id,
          updatedBy: user.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
    } catch (error) {
      if (isUniqueViolation(error, 'bookings_one_active_per_user_slot')) throw alreadyBooked()
      throw error
    }
    if (!created) throw new Error('insert returned no row')
    await recordAudit(
      tx,
      {
        actor,
        businessId: session.businessId,
        action: 'create',
        entity: 'booking',
        entityId: created.id,
        changes: creationChanges({
          session: session.id,
          user: user.id,
          booking_date: bookingDate,
          status: created.status,
          amount: money(created.amount),
        }),
      },
      now,
    )
    return created.id
  })
  return loadBooking(deps.db, id)
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

export type Standing = (businessId: string) => Promise<boolean>

/** A booking its user, its session's creator, business staff or a platform admin may see; else 404. */
export async function visibleBooking(deps: BookingDeps, user: Principal, id: string, isStaffOf: Standing) {
  const row = await loadBooking(deps.db, id)
  const allowed =
    row.booking.userId === user.id ||
    row.session.creatorId === user.id ||
    isPlatformAdmin(user) ||
    (await isStaffOf(row.booking.businessId))
  if (!allowed) throw notFound()
  return row
}

export async function changeBookingStatus(
  deps: BookingDeps,
  user: Principal,
  id: string,
  to: Extract<Status, 'confirmed' | 'completed' | 'cancelled'>,
  isStaffOf: Standing,
  actor: Actor,
) {
  const row = await visibleBooking(deps, user, id, isStaffOf)
  const manages =
    row.session.creatorId === user.id || isPlatformAdmin(user) || (await isStaffOf(row.booking.businessId))
  const now = deps.clock.now()
  if (!manages) {
    // The customer may only cancel their own booking, and only until it starts.
    if (to !== 'cancelled') throw permissionDenied()
    if (row.booking.bookingDate.getTime() <= now.getTime()) throw tooLate()
  }
  await deps.db.transaction(async (tx) => {
    const { from } = await transition(tx, {
      table: bookings,
      entity: 'booking',
      id,
      to,
      actor,
      now,
      where: sql`not ${bookings.isDeleted}`,
    })
    if (to === 'cancelled' && (from === 'pending' || from === 'confirmed')) {
      await tx
        .update(sessionSlots)
        .set({ booked: sql`${sessionSlots.booked} - 1` })
        .where(
          and(
            eq(sessionSlots.sessionId, row.booking.sessionId),
            eq(sessionSlots.bookingDate, row.booking.bookingDate),
          ),
        )
    }
  })
  return loadBooking(deps.db, id)
}

export type BookingFilters = { status?: Status; session?: string; date_from?: Date; date_to?: Date }

export type BookingScope =
  | { kind: 'own'; userId: string }
  | { kind: 'business'; businessId: string }
  | { kind: 'created'; creatorId: string }

function filterConditions(filters: BookingFilters): (SQL | undefined)[] {
  return [
    filters.status ? eq(bookings.status, filters.status) : undefined,
    filters.session ? eq(bookings.sessionId, filters.session) : undefined,
    filters.date_from ? sql`${bookings.bookingDate} >= ${filters.date_from}` : undefined,
    filters.date_to ? sql`${bookings.bookingDate} < ${filters.date_to}` : undefined,
  ]
}

function scopeCondition(scope: BookingScope): SQL {
  if (scope.kind === 'own') return sql`${bookings.userId} = ${scope.userId}`
  if (scope.kind === 'business') return sql`${bookings.businessId} = ${scope.businessId}`
  return sql`${sessions.creatorId} = ${scope.creatorId}`
}

export async function listBookings(
  deps: BookingDeps,
  scope: BookingScope,
  filters: BookingFilters,
  page: PageRequest,
) {
  const where = and(sql`not ${bookings.isDeleted}`, scopeCondition(scope), ...filterConditions(filters))
  const keyset =
    page.kind === 'cursor' && page.after
      ? sql`(${bookings.createdAt}, ${bookings.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
      : undefined
  const rows = await deps.db
    .select({ ...columns, sortKey: sql<string>`${bookings.createdAt}::text` })
    .from(bookings)
    .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(and(where, keyset))
    .orderBy(desc(bookings.createdAt), desc(bookings.id))
    .limit(page.limit)
    .offset(page.kind === 'page' ? page.offset : 0)
  const total = await countRows(
    deps.db,
    sql`from ${bookings} inner join ${sessions} on ${sessions.id} = ${bookings.sessionId} where ${where}`,
  )
  const shown = rows.slice(0, page.pageSize)
  const last = shown.at(-1)
  const lastPosition: CursorPosition | null = last ? [last.sortKey, last.booking.id] : null
  return { rows: shown, fetched: rows.length, lastPosition, total }
}

/** Whether the caller created any session (for creator_bookings). */
export async function hasCreatedSessions(db: Database, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(eq(sessions.creatorId, userId))
    .orderBy(asc(sessions.id))
    .limit(1)
  return Boolean(row)
}

export const notCreatorOrStaff = () =>
  new AppError(403, 'permission_denied', 'Only creators and business staff have creator bookings.')

export type ExportedBooking = BookingJoined & { sortKey: string }

/** One keyset batch of a bookings export, newest first, after `after`. */
export async function exportBookingBatch(
  deps: BookingDeps,
  businessId: string | null,
  filters: BookingFilters,
  after: ExportedBooking | null,
  limit: number,
): Promise<ExportedBooking[]> {
  return deps.db
    .select({ ...columns, sortKey: sql<string>`${bookings.createdAt}::text` })
    .from(bookings)
    .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(
      and(
        sql`not ${bookings.isDeleted}`,
        businessId ? eq(bookings.businessId, businessId) : undefined,
        ...filterConditions(filters),
        after
          ? sql`(${bookings.createdAt}, ${bookings.id}) < (${after.sortKey}::timestamptz, ${after.booking.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(bookings.createdAt), desc(bookings.id))
    .limit(limit)
}
