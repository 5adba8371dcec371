// What the bookings and reservations lists share: whose rows a list holds, and date filters read as
// whole days in the time zone of the business whose rows they are (UTC for any other list).
import { dateRange } from '../../platform/dates.js'
import type { Database } from '../../platform/db/database.js'
import type { BusinessContext } from '../../platform/tenancy.js'
import { businessTimeZone, type Caller, requirePower } from '../businesses/access.js'
import type { Power } from '../businesses/policy.js'

/**
 * Whose rows a list holds: a customer's own, a business's, or those of the sessions a creator made
 * (`id` is the user's or the business's); null for every business's (a platform admin's export).
 */
export type ListScope = { kind: 'own' | 'business' | 'created'; id: string } | null

/** With a business context, the business's rows (403 unless the role has `power`); else the caller's own. */
export function businessOrOwn(context: BusinessContext | null, caller: Caller, power: Power): ListScope {
  return context
    ? { kind: 'business', id: requirePower(context, power).businessId }
    : { kind: 'own', id: caller.user.id }
}

/** A business's rows, or every business's (null): what an export holds. */
export const businessOrAll = (businessId: string | null): ListScope =>
  businessId ? { kind: 'business', id: businessId } : null

/** `date_from` and `date_to` as the instants a list of `scope` filters on (see dateRange). */
export async function dayRange(
  db: Database,
  scope: ListScope,
  query: { date_from?: string; date_to?: string },
) {
  return dateRange(query, await businessTimeZone(db, scope?.kind === 'business' ? scope.id : null))
}
