// `npm run seed -- --bench`, second part: the dashboard's business. One business holds half as many
// bookings as --bookings and as many reservations (20 staff calendars): 100,000 of each with the
// default sizes, so the dashboard bench reads a business of that size. The dashboard's periods are calendar periods around now, so these rows
// lie around the day the seed runs: from 182 days before it to 183 days after. Everything else is
// derived from the row number, like the rest of the bench data.
import { sql } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import { type BenchPlan, type BenchProgress, benchId, count, idSql, inChunks } from './bench.js'

export const DASHBOARD_BUSINESS = benchId('business', 0xdb)
const DASHBOARD_SESSIONS = 200
const STAFF = 20
const DAYS = 365

export type DashboardSeedResult = { skipped: boolean; bookings: number; reservations: number }

/** Writes the dashboard business unless it is there. Its owner is bench user 1; its staff the next 20 customers. */
export async function seedDashboardBusiness(
  db: Database,
  plan: BenchPlan,
  now: Date,
  progress: BenchProgress = () => {},
): Promise<DashboardSeedResult> {
  const rows = Math.ceil(plan.bookings / 2)
  const existing = await count(db, sql`select count(*) as n from businesses where id = ${DASHBOARD_BUSINESS}`)
  if (existing > 0) return { skipped: true, bookings: 0, reservations: 0 }
  const B = plan.businesses
  const customers = plan.users - B - STAFF
  if (customers < 2) throw new Error(`the dashboard business needs more than ${B + STAFF + 2} bench users`)
  const day0 = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 182 * 86_400_000,
  )
  const base = day0.toISOString()
  const owner = idSql('user', sql`1`)
  await db.transaction(async (tx) => {
    progress('dashboard business', 0, 1)
    await tx.execute(sql`
      insert into businesses (id, name, slug, timezone, currency, is_active, settings, created_by, updated_by)
      values (${DASHBOARD_BUSINESS}, 'Bench Dashboard Studio', 'bench-dashboard-studio', 'Europe/London', 'EUR',
        true, '{}'::jsonb, ${owner}, ${owner})`)
    // The owner, then STAFF agents: the customers right after the business owners.
    await tx.execute(sql`
      insert into memberships (id, business_id, user_id, role, created_by, updated_by)
      select ${idSql('membership', sql`1000 + g`)}, ${DASHBOARD_BUSINESS},
        case when g = 0 then ${owner} else ${idSql('user', sql`${B}::int + g`)} end,
        (case when g = 0 then 'owner' else 'agent' end)::membership_role, ${owner}, ${owner}
      from generate_series(0, ${STAFF}) g`)
    await tx.execute(sql`
      insert into sessions (id, business_id, creator_id, title, description, duration, price,
        max_participants, status, created_by, updated_by, created_at, updated_at)
      select ${idSql('dashboardSession', sql`g`)}, ${DASHBOARD_BUSINESS}, ${owner},
        'Dashboard class #' || g, 'A class of the dashboard bench business.', 60,
        (10 + g % 40)::numeric(10, 2), 5 + g % 10, 'active'::session_status, ${owner}, ${owner},
        ${base}::timestamptz, ${base}::timestamptz
      from generate_series(1, ${DASHBOARD_SESSIONS}) g`)
    progress('dashboard business', 1, 1)

    // Booking k is the j-th of session s = 1 + (k - 1) % 200 (j = (k - 1) / 200), on day j % 365 at a
    // per-session hour: a slot holds at most two bookings, of distinct customers. Past confirmed ones
    // are completed.
    await inChunks(rows, 'dashboard bookings', progress, (lo, hi) =>
      tx.execute(sql`
        insert into bookings (id, business_id, session_id, user_id, booking_date, status, amount,
          created_by, updated_by, created_at, updated_at)
        select ${idSql('dashboardBooking', sql`k`)}, ${DASHBOARD_BUSINESS}, ${idSql('dashboardSession', sql`s`)},
          customer, slot,
          (case when k % 20 = 0 then 'cancelled' when k % 3 = 0 then 'pending'
                when slot < ${now.toISOString()}::timestamptz then 'completed' else 'confirmed' end)::booking_status,
          (10 + s % 40)::numeric(10, 2), customer, customer, slot - interval '3 days', slot - interval '3 days'
        from (
          select k, s, ${idSql('user', sql`${B}::int + ${STAFF}::int + 1 + (s * 7 + j) % ${customers}::int`)} as customer,
            ${base}::timestamptz + (j % ${DAYS}::int) * interval '1 day' + (8 + s % 10) * interval '1 hour' as slot
          from (
            select k, 1 + (k - 1) % ${DASHBOARD_SESSIONS}::int as s, (k - 1) / ${DASHBOARD_SESSIONS}::int as j
            from generate_series(${lo}::int, ${hi}::int) k
          ) numbered
        ) x`),
    )
    await tx.execute(sql`
      insert into session_slots (session_id, booking_date, booked)
      select session_id, booking_date, count(*) filter (where status in ('pending', 'confirmed'))
      from bookings where business_id = ${DASHBOARD_BUSINESS}
      group by session_id, booking_date`)

    // Reservation r belongs to staff member t = 1 + (r - 1) % 20, the q-th of theirs (q = (r - 1) / 20):
    // day q % 365, the (q / 365)-th 30-minute appointment of that day, 35 minutes apart from 08:00, so
    // no two of one calendar overlap.
    await inChunks(rows, 'dashboard reservations', progress, (lo, hi) =>
      tx.execute(sql`
        insert into reservations (id, business_id, customer_id, staff_id, start_time, end_time, status,
          notes, created_by, updated_by, created_at, updated_at)
        select ${idSql('reservation', sql`r`)}, ${DASHBOARD_BUSINESS}, customer, ${idSql('user', sql`${B}::int + t`)},
          start, start + interval '30 minutes',
          (case when r % 10 = 0 then 'cancelled' when r % 3 = 0 then 'pending'
                when start < ${now.toISOString()}::timestamptz then 'completed' else 'confirmed' end)::reservation_status,
          '', customer, customer, start - interval '7 days', start - interval '7 days'
        from (
          select r, t, ${idSql('user', sql`${B}::int + ${STAFF}::int + 1 + (r * 13) % ${customers}::int`)} as customer,
            ${base}::timestamptz + (q % ${DAYS}::int) * interval '1 day' + interval '8 hours'
              + (q / ${DAYS}::int) * interval '35 minutes' as start
          from (
            select r, 1 + (r - 1) % ${STAFF}::int as t, (r - 1) / ${STAFF}::int as q
            from generate_series(${lo}::int, ${hi}::int) r
          ) numbered
        ) x`),
    )
  })
  await db.execute(sql`analyze businesses, memberships, sessions, bookings, session_slots, reservations`)
  return { skipped: false, bookings: rows, reservations: rows }
}
