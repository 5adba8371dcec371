// The dashboard's one statement, per scope: CTEs read the period's bookings and reservations once and
// FILTER aggregates turn them into every number (see service.ts for what counts).
import { type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { placeholders } from '../../platform/db/prepared.js'
import { scopedSql } from '../../platform/tenancy.js'
import { bookings } from '../bookings/tables.js'
import { ACTIVE_STATUSES, STATUSES, type Status } from '../lifecycle/status.js'
import { reservations } from '../reservations/tables.js'
import type { Range } from './period.js'
import type { DashboardScope, DashboardStats, StatusCounts } from './types.js'

export type StatsRow = Record<
  `${'b' | 'r'}_${keyof StatusCounts | 'total' | 'today' | 'next_7_days'}`,
  number
> & {
  revenue: string
  new_customers: number
  occupancy: DashboardStats['occupancy']
  top_sessions: DashboardStats['top_sessions']
}

const value = placeholders
const at = (name: string) => sql`${value(name)}::timestamptz`

/** `status in (...)` with the statuses as parameters. */
const statusIn = (statuses: readonly Status[]) =>
  sql`status in (${sql.join(
    statuses.map((status) => sql`${status}`),
    sql`, `,
  )})`

/** Counts of a scanned CTE: the period's total and per status, and today's and the next 7 days' active rows. */
function countsOf(prefix: 'b' | 'r', time: SQL): SQL {
  const active = statusIn(ACTIVE_STATUSES)
  const column = (name: string) => sql.identifier(`${prefix}_${name}`)
  const perStatus = STATUSES.map(
    (status) => sql`count(*) filter (where in_period and status = ${status})::int as ${column(status)}`,
  )
  return sql.join(
    [
      sql`count(*) filter (where in_period)::int as ${column('total')}`,
      ...perStatus,
      sql`count(*) filter (where ${active} and ${time} >= ${at('day_from')} and ${time} < ${at('day_to')})::int
        as ${column('today')}`,
      sql`count(*) filter (where ${active} and ${time} >= ${at('now')} and ${time} < ${at('soon')})::int
        as ${column('next_7_days')}`,
    ],
    sql`, `,
  )
}

/**
 * The statement for a scope: one business, or every live business (a join with businesses). Rows are
 * read once, over [lo, hi), the union of the period, today and the next 7 days; every number is a
 * FILTER aggregate over that scan (bookings_business_date_idx, reservations_business_start_idx), except
 * new customers, which also probe each candidate's earlier rows with the business
 * (bookings_business_user_date_idx, reservations_business_customer_start_idx).
 */
export function statsStatement(scope: DashboardScope['kind']): SQL {
  const business = scope === 'business'
  const businessId = sql`${value('business')}::uuid`
  /**
   * FROM and WHERE of a business-owned table's live rows in the scope (the business's, or those of live
   * businesses): the tenancy filter, in one place.
   */
  const rowsOf = (table: typeof bookings | typeof reservations, alias: string) => {
    const as = sql.identifier(alias)
    return business
      ? sql`from ${table} ${as} where ${scopedSql(alias, businessId)}`
      : sql`from ${table} ${as} join businesses z on z.id = ${as}.business_id and not z.is_deleted
          where not ${as}.is_deleted`
  }
  // Revenue is in one currency: the business's own, or platform-wide the default one.
  const inCurrency = business ? sql`true` : sql`z.currency = ${value('currency')}::text`

  return sql`with scanned_bookings as materialized (
    select b.session_id, b.user_id, b.booking_date, b.status, b.amount,
      b.booking_date >= ${at('from')} and b.booking_date < ${at('to')} as in_period,
      ${inCurrency} as in_currency
    ${rowsOf(bookings, 'b')} and b.booking_date >= ${at('lo')} and b.booking_date < ${at('hi')}
  ), scanned_reservations as materialized (
    select r.customer_id, r.start_time, r.status,
      r.start_time >= ${at('from')} and r.start_time < ${at('to')} as in_period
    ${rowsOf(reservations, 'r')} and r.start_time >= ${at('lo')} and r.start_time < ${at('hi')}
  ), booking_counts as (
    select ${countsOf('b', sql`booking_date`)},
      round(coalesce(sum(amount) filter (
        where in_period and in_currency and ${statusIn(['confirmed', 'completed'])}), 0), 2)::text as revenue
    from scanned_bookings
  ), reservation_counts as (
    select ${countsOf('r', sql`start_time`)} from scanned_reservations
  ), per_slot as (
    select session_id, count(*) as booked
    from scanned_bookings
    where in_period and status <> 'cancelled'
    group by session_id, booking_date
  ), per_session as (
    -- Sessions are joined only here, for the few that were booked: their capacity and title.
    select p.session_id as id, s.title, p.booked, (s.max_participants * p.slots)::int as capacity
    from (
      select session_id, sum(booked)::int as booked, count(*) as slots from per_slot group by session_id
    ) p join sessions s on s.id = p.session_id and not s.is_deleted
  ), customers as (
    select user_id as customer_id from scanned_bookings where in_period
    union
    select customer_id from scanned_reservations where in_period
  ), new_customers as (
    select count(*)::int as new_customers from customers c
    where not exists (
        select 1 ${rowsOf(bookings, 'e')} and e.user_id = c.customer_id and e.booking_date < ${at('from')})
      and not exists (
        select 1 ${rowsOf(reservations, 'e')} and e.customer_id = c.customer_id and e.start_time < ${at('from')})
  )
  select booking_counts.*, reservation_counts.*, new_customers.new_customers,
    (select coalesce(json_agg(json_build_object('session_id', id, 'title', title, 'booked', booked,
        'capacity', capacity, 'rate', round(booked::numeric / capacity, 4))
        order by booked::numeric / capacity desc, title, id), '[]'::json)
      from per_session) as occupancy,
    (select coalesce(json_agg(json_build_object('session_id', id, 'title', title, 'bookings', booked)
        order by booked desc, title, id), '[]'::json)
      from (select * from per_session order by booked desc, title, id limit 5) top) as top_sessions
  from booking_counts, reservation_counts, new_customers`
}

const STATEMENTS = { business: statsStatement('business'), platform: statsStatement('platform') }

/**
 * Runs the statement of a scope as an unnamed one, which PostgreSQL plans for its values every time
 * (about a millisecond). The best plan depends on the period's length and the business's size, and the
 * generic plan a named statement settles on after five executions fits only some: measured over 100,000
 * bookings in one business, a year through the generic plan read 224,000 buffers, planned for its
 * values 59,000.
 */
export async function queryStats(
  db: Database,
  scope: DashboardScope['kind'],
  values: Record<string, unknown>,
): Promise<StatsRow> {
  const [row] = await db
    .select({ stats: sql<StatsRow>`row_to_json(stats)` })
    .from(sql`(${STATEMENTS[scope]}) as stats`)
    .prepare('')
    .execute(values)
  if (!row) throw new Error('the dashboard statement returned no row')
  return row.stats
}

/** The values the statement binds: the period, today, the next 7 days, and the range covering all three. */
export function statementValues(range: Range, today: Range, soon: Range) {
  const instants = [range, today, soon].flatMap(({ from, to }) => [from.getTime(), to.getTime()])
  const iso = (date: Date) => date.toISOString()
  return {
    from: iso(range.from),
    to: iso(range.to),
    day_from: iso(today.from),
    day_to: iso(today.to),
    now: iso(soon.from),
    soon: iso(soon.to),
    lo: iso(new Date(Math.min(...instants))),
    hi: iso(new Date(Math.max(...instants))),
  }
}
