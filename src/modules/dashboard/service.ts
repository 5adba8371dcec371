// The dashboard's numbers for one business or the whole platform, computed by PostgreSQL in one
// statement (CTEs and FILTER aggregates): the application only maps the single row it gets back.
//
// What counts (API.md, "Settled details"):
// - `total` and `by_status`: rows whose booking_date / start_time falls in the period.
// - `today` (the local calendar day containing now) and `next_7_days` (the 168 hours from now): pending
//   and confirmed rows, whatever the period.
// - revenue: `amount` of confirmed and completed bookings in the period; platform-wide only of
//   businesses whose currency is the platform's `default_currency`.
// - occupancy and top sessions: bookings that hold a seat (every status but cancelled: completing a
//   booking keeps its seat, see changeBookingStatus), per live session. Occupancy's `capacity` is the
//   seats offered in the period, `max_participants` × the distinct slots the session has such bookings
//   in, and `rate` = booked / capacity, rounded to 4 decimals. Listed by rate (highest first), top
//   sessions by bookings (most first, 5 at most), both then by title and id.
// - a new customer: one whose first booking or reservation (by booking_date / start_time, any status)
//   with the business falls in the period; platform-wide, whose first with any business does.
// Soft-deleted bookings, reservations and businesses never count; bookings of a deleted session still
// count (they stay readable, API.md) but the session is not listed in occupancy or top sessions.
import { and, eq, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import { notFound } from '../../platform/errors.js'
import { businessOrPlatform, type Caller, requirePower, requireStanding } from '../businesses/access.js'
import { businesses } from '../businesses/tables.js'
import { STATUSES } from '../lifecycle/status.js'
import type { SettingsService } from '../settings/service.js'
import { nextSevenDays, type Period, periodRange } from './period.js'
import { queryStats, type StatsRow, statementValues } from './queries.js'
import type { Counts, DashboardScope, DashboardStats, StatusCounts } from './types.js'

export type DashboardDeps = { db: Database; clock: Clock; settings: SettingsService }

function countsOut(row: StatsRow, prefix: 'b' | 'r'): Counts {
  const by_status = Object.fromEntries(STATUSES.map((status) => [status, row[`${prefix}_${status}`]]))
  return {
    total: row[`${prefix}_total`],
    by_status: by_status as StatusCounts,
    today: row[`${prefix}_today`],
    next_7_days: row[`${prefix}_next_7_days`],
  }
}

/**
 * Whose numbers the caller gets. `business` (`?business=`): that business, for a platform admin or one
 * of its members (anyone else 404, as for X-Business-ID). Otherwise a platform admin without
 * X-Business-ID sees the whole platform, and everyone else their business context: the header or
 * their single membership (several: 400 business_required; none: 403). Agents get 403: the dashboard
 * is for managers and above.
 */
async function scopeOf(db: Database, caller: Caller, business: string | undefined): Promise<DashboardScope> {
  if (business) {
    const context = requirePower(await requireStanding(db, caller.user, business), 'dashboard.read')
    return { kind: 'business', businessId: context.businessId }
  }
  const businessId = await businessOrPlatform(db, caller, 'dashboard.read')
  return businessId ? { kind: 'business', businessId } : { kind: 'platform' }
}

/** The caller's dashboard (see scopeOf) for the period containing now. */
export async function dashboardStats(
  deps: DashboardDeps,
  caller: Caller,
  query: { period: Period; business?: string },
): Promise<DashboardStats> {
  const scope = await scopeOf(deps.db, caller, query.business)
  const { period } = query
  let business: { id: string; name: string; timezone: string; currency: string } | undefined
  if (scope.kind === 'business') {
    ;[business] = await deps.db
      .select({
        id: businesses.id,
        name: businesses.name,
        timezone: businesses.timezone,
        currency: businesses.currency,
      })
      .from(businesses)
      .where(and(eq(businesses.id, scope.businessId), sql`not ${businesses.isDeleted}`))
    if (!business) throw notFound()
  }
  const currency = business?.currency ?? (await deps.settings.get()).defaultCurrency
  const now = deps.clock.now()
  const timeZone = business?.timezone ?? 'UTC'
  const range = periodRange(period, now, timeZone)
  const values = statementValues(range, periodRange('day', now, timeZone), nextSevenDays(now))
  const row = business
    ? await queryStats(deps.db, 'business', { ...values, business: business.id })
    : await queryStats(deps.db, 'platform', { ...values, currency })
  return {
    period,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    business: business ? { id: business.id, name: business.name } : null,
    bookings: countsOut(row, 'b'),
    reservations: countsOut(row, 'r'),
    revenue: { amount: row.revenue, currency },
    occupancy: row.occupancy,
    new_customers: row.new_customers,
    top_sessions: row.top_sessions,
  }
}
