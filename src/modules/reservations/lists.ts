// The reservations lists and export: the caller's own, or a business's for its staff (every business's
// in a platform admin's export), through the keyset-list helper.
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { type KeysetQuery, keysetList } from '../../platform/db/keyset.js'
import type { ValueOf } from '../../platform/db/prepared.js'
import { EXPORT_BATCH, keysetBatches } from '../../platform/http/export.js'
import { isPlatformAdmin, type Principal } from '../../platform/http/guards.js'
import type { PageRequest } from '../../platform/http/pagination.js'
import { scopedSql } from '../../platform/tenancy.js'
import { businessContext, businessOrPlatform, type Caller } from '../businesses/access.js'
import { businessOrAll, businessOrOwn, dayRange, type ListScope } from '../lifecycle/lists.js'
import type { Status } from '../lifecycle/status.js'
import { joinedReservations, type ReservationJoined } from './queries.js'
import type { ReservationDeps } from './service.js'
import { reservations } from './tables.js'

type ReservationFilters = { status?: Status; staff?: string; date_from?: Date; date_to?: Date }

export type ReservationOrdering = 'start_time' | '-start_time'

function scopeCondition(scope: ListScope, value: ValueOf): SQL {
  if (scope?.kind === 'business') return scopedSql(reservations, value('scope'))
  const live = sql`not ${reservations.isDeleted}`
  return scope ? sql`${reservations.customerId} = ${value('scope')} and ${live}` : live
}

const reservationList = keysetList<ReservationJoined>('reservations')

/** The reservations of a scope and filters as `viewer` sees them, in `ordering` (see keysetList). */
function reservationQuery(
  viewer: Principal,
  scope: ListScope,
  filters: ReservationFilters,
  ordering: ReservationOrdering,
): KeysetQuery<ReservationJoined> {
  return {
    // Whether the viewer sees every address is in the text of the statement (contactVisibleTo).
    shape: `${scope?.kind ?? 'all'}:${isPlatformAdmin(viewer) ? 'platform' : 'viewer'}:${ordering}`,
    select: (db, value, extra) => joinedReservations(db, viewer, value('viewer'), extra).$dynamic(),
    where: (value) => scopeCondition(scope, value),
    values: {
      viewer: viewer.id,
      scope: scope?.id ?? null,
    },
    filters,
    // Dates bound the start: [date_from, date_to).
    conditions: {
      status: (value) => sql`${reservations.status} = ${value}`,
      staff: (value) => sql`${reservations.staffId} = ${value}`,
      date_from: (value) => sql`${reservations.startTime} >= ${value}`,
      date_to: (value) => sql`${reservations.startTime} < ${value}`,
    },
    countFrom: sql`${reservations}`,
    order: {
      key: reservations.startTime,
      keyType: sql`timestamptz`,
      id: reservations.id,
      descending: ordering === '-start_time',
    },
    position: (row) => [row.sortKey, row.reservation.id],
  }
}

/** A list's filters as given in its query string. */
export type ReservationQuery = { status?: Status; staff?: string; date_from?: string; date_to?: string }

async function filtersOf(
  db: Database,
  scope: ListScope,
  query: ReservationQuery,
): Promise<ReservationFilters> {
  return { status: query.status, staff: query.staff, ...(await dayRange(db, scope, query)) }
}

/**
 * GET /api/reservations/: with a business context (X-Business-ID, or the caller's single membership)
 * the business's reservations; else the caller's own.
 */
export async function listReservations(
  deps: ReservationDeps,
  caller: Caller,
  query: ReservationQuery,
  ordering: ReservationOrdering,
  page: PageRequest,
) {
  const scope = businessOrOwn(await businessContext(deps.db, caller), caller, 'reservations.read')
  const filters = await filtersOf(deps.db, scope, query)
  return reservationList.page(deps.db, reservationQuery(caller.user, scope, filters, ordering), page)
}

/**
 * The business's reservations (every business's for a platform admin without X-Business-ID) in
 * `ordering`, in keyset batches for a streamed export.
 */
export async function exportReservations(
  deps: ReservationDeps,
  caller: Caller,
  query: ReservationQuery,
  ordering: ReservationOrdering,
) {
  const scope = businessOrAll(await businessOrPlatform(deps.db, caller, 'reservations.export'))
  const rows = reservationQuery(caller.user, scope, await filtersOf(deps.db, scope, query), ordering)
  return keysetBatches((after: ReservationJoined | null) =>
    reservationList.batch(deps.db, rows, after, EXPORT_BATCH),
  )
}
