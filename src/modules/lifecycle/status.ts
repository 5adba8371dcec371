// The statuses of bookings and reservations: one list, which the two database enums, the API's
// schemas, the state machine, the emails and every query on a status take. A leaf module: it imports
// nothing of the app but the leaf that writes SQL literals.
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import { literalList } from '../../platform/db/literals.js'

export const STATUSES = ['pending', 'confirmed', 'cancelled', 'completed'] as const
export type Status = (typeof STATUSES)[number]

/** The statuses that hold a seat or a period: pending and confirmed. */
export const ACTIVE_STATUSES = ['pending', 'confirmed'] as const satisfies readonly Status[]

/** The two kinds of row that move through these statuses. */
export type StatusEntity = 'booking' | 'reservation'

/**
 * `status in (...)` with the statuses as literals, so that the partial indexes over active rows apply
 * also in a prepared statement's generic plan (see platform/db/literals.ts).
 */
export function hasStatus(status: SQLWrapper, statuses: readonly [Status, ...Status[]]): SQL {
  return sql`${status} in ${literalList(statuses)}`
}

/** Pending or confirmed: the rows that hold a seat or a period. */
export const isActive = (status: SQLWrapper): SQL => hasStatus(status, ACTIVE_STATUSES)
