// The bookings lists and export: the caller's own, a business's for its staff (every business's in a
// platform admin's export), and those of the sessions a creator made, through the keyset-list helper.
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { type KeysetQuery, keysetList } from '../../platform/db/keyset.js'
import { literalList } from '../../platform/db/literals.js'
import type { ValueOf } from '../../platform/db/prepared.js'
import { AppError } from '../../platform/errors.js'
import { EXPORT_BATCH, keysetBatches } from '../../platform/http/export.js'
import { isPlatformAdmin } from '../../platform/http/guards.js'
import type { PageRequest } from '../../platform/http/pagination.js'
import { scopedSql } from '../../platform/tenancy.js'
import { businessContextIfAny, businessOrPlatform, type Caller, membershipsOf } from '../businesses/access.js'
import { POWERS } from '../businesses/powers.js'
import { memberships } from '../businesses/tables.js'
import { sessions } from '../catalog/tables.js'
import { businessOrAll, businessOrOwn, dayRange, type ListScope } from '../lifecycle/lists.js'
import type { Status } from '../lifecycle/status.js'
import { type BookingJoined, joinedBookings } from './queries.js'
import type { BookingDeps } from './service.js'
import { bookings } from './tables.js'

type BookingFilters = { status?: Status; session?: string; user?: string; date_from?: Date; date_to?: Date }

function scopeCondition(scope: ListScope, value: ValueOf): SQL {
  const live = sql`not ${bookings.isDeleted}`
  if (!scope) return live
  if (scope.kind === 'own') return sql`${live} and ${bookings.userId} = ${value('scope')}`
  if (scope.kind === 'business') return scopedSql(bookings, value('scope'))
  // Sessions the caller created in a business where they still have the creators' rights over them.
  return sql`${live} and ${sessions.creatorId} = ${value('scope')} and exists (
    select 1 from ${memberships}
    where ${scopedSql(memberships, sql`${sessions.businessId}`)} and ${memberships.userId} = ${sessions.creatorId}
      and ${memberships.role} in ${literalList(POWERS['sessions.write'])})`
}

/** A listed or exported booking: with the sort key of its position in the newest-first order. */
export type ListedBooking = BookingJoined & { sortKey: string }

const bookingList = keysetList<ListedBooking>('bookings')

/** The bookings of a scope and filters, newest first (see keysetList). */
function bookingQuery(scope: ListScope, filters: BookingFilters): KeysetQuery<ListedBooking> {
  return {
    shape: scope?.kind ?? 'all',
    select: (db, _value, extra) => joinedBookings(db, extra).$dynamic(),
    where: (value) => scopeCondition(scope, value),
    values: { scope: scope?.id ?? null },
    filters,
    conditions: {
      status: (value) => sql`${bookings.status} = ${value}`,
      session: (value) => sql`${bookings.sessionId} = ${value}`,
      user: (value) => sql`${bookings.userId} = ${value}`,
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

/** A list's filters as given in its query string. */
export type BookingQuery = {
  status?: Status
  session?: string
  user?: string
  date_from?: string
  date_to?: string
}

async function filtersOf(db: Database, scope: ListScope, query: BookingQuery): Promise<BookingFilters> {
  const { status, session, user } = query
  return { status, session, user, ...(await dayRange(db, scope, query)) }
}

async function pageOfBookings(deps: BookingDeps, scope: ListScope, query: BookingQuery, page: PageRequest) {
  return bookingList.page(deps.db, bookingQuery(scope, await filtersOf(deps.db, scope, query)), page)
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
  // A platform admin asking for one user's bookings without a business gets them from every business.
  const scope =
    !context && query.user && isPlatformAdmin(caller.user)
      ? null
      : businessOrOwn(context, caller, 'bookings.read')
  return pageOfBookings(deps, scope, query, page)
}

/** The caller's own bookings, in any business. */
export async function listOwnBookings(
  deps: BookingDeps,
  caller: Caller,
  query: BookingQuery,
  page: PageRequest,
) {
  return pageOfBookings(deps, { kind: 'own', id: caller.user.id }, query, page)
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
  return pageOfBookings(deps, { kind: 'created', id: user.id }, query, page)
}

const notCreatorOrStaff = () =>
  new AppError(403, 'permission_denied', 'Only creators and business staff have creator bookings.')

/**
 * The business's bookings (every business's for a platform admin without X-Business-ID), newest
 * first, in keyset batches for a streamed export.
 */
export async function exportBookings(deps: BookingDeps, caller: Caller, query: BookingQuery) {
  const scope = businessOrAll(await businessOrPlatform(deps.db, caller, 'bookings.export'))
  const rows = bookingQuery(scope, await filtersOf(deps.db, scope, query))
  return keysetBatches((after: ListedBooking | null) => bookingList.batch(deps.db, rows, after, EXPORT_BATCH))
}
