// `npm run seed -- --bench`: the benchmark's data set. Every value is derived from the row number (no
// randomness, a fixed base time), so two runs with the same sizes write the same rows, ids included.
// Rows are written set-based (`insert ... select ... from generate_series`) in chunks, inside one
// transaction, so an interrupted run leaves nothing behind.
//
// No audit rows are written: this is bulk fixture data, not the actions of users.
import { type SQL, sql } from 'drizzle-orm'
import { type Database, queryRows } from '../../platform/db/index.js'

/** The password of every bench user, and its Argon2id hash (computed once, with argon2Hasher). */
export const BENCH_PASSWORD = 'bench-Password-for-load-9'
export const BENCH_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$AR/3WmyDtEs5IgteWGbjag$qws3HqAFJzw54GCqu1uKlP54vsIRg1c0p3x7JxgO9Yk'

/** The word in about 5% of session titles (and only in those): the bench's search term. */
export const BENCH_SEARCH_WORD = 'Pilates'
// Session n is inactive when n % INACTIVE_EVERY == INACTIVE_REMAINDER (the bench asks only for active ones).
export const INACTIVE_EVERY = 25
export const INACTIVE_REMAINDER = 7
export const isActiveBenchSession = (n: number) => n % INACTIVE_EVERY !== INACTIVE_REMAINDER
// Every even session has a schedule: daily at the local hour its seeded bookings start.
export const isScheduledBenchSession = (n: number) => n % 2 === 0

export const BENCH_DEFAULTS = { sessions: 100_000, users: 2_000, bookings: 200_000 } as const
export const MAX_BUSINESSES = 100
/** Rows per INSERT statement. */
export const CHUNK = 25_000

// Fixed instants: creation times lie in the past, booked slots in the future.
const CREATED_BASE = '2025-01-01T00:00:00Z'
const BOOKINGS_CREATED_BASE = '2025-11-01T00:00:00Z'
const SLOT_BASE = '2030-01-07T00:00:00Z'
const SLOT_DAYS = 30
const MIN_CAPACITY = 5

export type BenchSizes = { sessions: number; users: number; bookings: number }
export type BenchPlan = BenchSizes & { businesses: number }

// Deterministic UUIDs (version 4 layout), one prefix per table. Sessions use the layout of
// bench/scenarios.ts's uuidFor(i), so the yardstick's `/session/:id` finds session i.
const PREFIX = {
  session: '00000000-0000-4000-8000-',
  booking: '00000000-0000-4000-9000-',
  user: '00000000-0000-4000-a000-',
  business: '00000000-0000-4000-b000-',
  membership: '00000000-0000-4000-b100-',
  dashboardSession: '00000000-0000-4000-8100-',
  dashboardBooking: '00000000-0000-4000-9100-',
  reservation: '00000000-0000-4000-c000-',
} as const
type Kind = keyof typeof PREFIX

/** The id of bench row `n` (1-based) of a table. */
export function benchId(kind: Kind, n: number): string {
  return `${PREFIX[kind]}${n.toString(16).padStart(12, '0')}`
}

export function idSql(kind: Kind, n: SQL): SQL {
  return sql`(${sql.raw(`'${PREFIX[kind]}'`)} || lpad(to_hex(${n}), 12, '0'))::uuid`
}

/** What is wrong with the sizes (empty when they are usable), and the derived business count. */
export function planBench(sizes: BenchSizes): { plan: BenchPlan; problems: string[] } {
  const problems: string[] = []
  for (const name of ['sessions', 'users', 'bookings'] as const) {
    const value = sizes[name]
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`--${name} must be a positive integer`)
  }
  // About one business per 20 users, at most 100; their owners are the first users.
  const businesses = Math.max(1, Math.min(MAX_BUSINESSES, Math.floor(sizes.users / 20)))
  const plan = { sessions: sizes.sessions, users: sizes.users, bookings: sizes.bookings, businesses }
  if (problems.length > 0) return { plan, problems }
  if (sizes.users < 2) problems.push('--users must be at least 2 (business owners and customers)')
  const perSession = Math.ceil(sizes.bookings / sizes.sessions)
  // A session's bookings spread over SLOT_DAYS slots with at least MIN_CAPACITY seats each.
  if (perSession > SLOT_DAYS * MIN_CAPACITY) {
    problems.push(`--bookings may be at most ${SLOT_DAYS * MIN_CAPACITY} times --sessions (seat limits)`)
  }
  // The customers of one session's bookings must be distinct users.
  if (sizes.users >= 2 && perSession > sizes.users - businesses) {
    problems.push(
      `--bookings / --sessions (${perSession}) may not exceed the customers (${sizes.users - businesses})`,
    )
  }
  return { plan, problems }
}

export type BenchProgress = (phase: string, done: number, total: number) => void

export type BenchResult =
  | { skipped: false; plan: BenchPlan; slots: number; password: string }
  | { skipped: true; existingUsers: number; existingSessions: number; password: string }

export async function count(db: Database, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, query)
  return Number(row?.n ?? 0)
}

export async function inChunks(
  total: number,
  phase: string,
  progress: BenchProgress,
  write: (lo: number, hi: number) => Promise<unknown>,
): Promise<void> {
  progress(phase, 0, total)
  for (let lo = 1; lo <= total; lo += CHUNK) {
    const hi = Math.min(total, lo + CHUNK - 1)
    await write(lo, hi)
    progress(phase, hi, total)
  }
}

/**
 * Writes the bench data set unless it is already there: with at least `users` bench users it skips;
 * with fewer (a smaller earlier run) it throws, as the rows would collide.
 */
export async function seedBench(
  db: Database,
  sizes: BenchSizes,
  progress: BenchProgress = () => {},
): Promise<BenchResult> {
  const { plan, problems } = planBench(sizes)
  if (problems.length > 0) throw new Error(problems.join('; '))
  const existingUsers = await count(
    db,
    sql`select count(*) as n from users where username like 'bench\_user\_%'`,
  )
  if (existingUsers > 0) {
    const existingSessions = await count(
      db,
      sql`select count(*) as n from sessions where id between ${benchId('session', 0)} and ${benchId('session', 0xffffffffffff)}`,
    )
    if (existingUsers >= plan.users) {
      return { skipped: true, existingUsers, existingSessions, password: BENCH_PASSWORD }
    }
    throw new Error(
      `the database holds a smaller bench data set (${existingUsers} bench users, ${existingSessions} sessions); seed a fresh database`,
    )
  }

  const B = plan.businesses
  const S = plan.sessions
  const M = plan.users
  const customers = M - B
  let slots = 0
  await db.transaction(async (tx) => {
    await inChunks(M, 'users', progress, (lo, hi) =>
      tx.execute(sql`
        insert into users (id, username, email, password, first_name, last_name, role, is_active,
          email_verified, date_joined, updated_at)
        select ${idSql('user', sql`g`)}, 'bench_user_' || g, 'bench_user_' || g || '@bench.example',
          ${BENCH_PASSWORD_HASH}, 'Bench', 'User ' || g,
          (case when g <= ${B} then 'creator' else 'user' end)::user_role, true, true,
          ${CREATED_BASE}::timestamptz + g * interval '1 minute',
          ${CREATED_BASE}::timestamptz + g * interval '1 minute'
        from generate_series(${lo}::int, ${hi}::int) g`),
    )

    await inChunks(B, 'businesses', progress, async (lo, hi) => {
      await tx.execute(sql`
        insert into businesses (id, name, slug, timezone, currency, is_active, settings, created_by,
          updated_by, created_at, updated_at)
        select ${idSql('business', sql`g`)}, 'Bench Studio ' || g, 'bench-studio-' || g,
          (array['Europe/London', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo'])[1 + g % 4],
          (array['GBP', 'USD', 'EUR', 'JPY'])[1 + g % 4], true, '{}'::jsonb,
          ${idSql('user', sql`g`)}, ${idSql('user', sql`g`)},
          ${CREATED_BASE}::timestamptz + g * interval '1 hour',
          ${CREATED_BASE}::timestamptz + g * interval '1 hour'
        from generate_series(${lo}::int, ${hi}::int) g`)
      // The first B users own one business each.
      await tx.execute(sql`
        insert into memberships (id, business_id, user_id, role, created_by, updated_by, created_at, updated_at)
        select ${idSql('membership', sql`g`)}, ${idSql('business', sql`g`)}, ${idSql('user', sql`g`)},
          'owner'::membership_role, ${idSql('user', sql`g`)}, ${idSql('user', sql`g`)},
          ${CREATED_BASE}::timestamptz + g * interval '1 hour',
          ${CREATED_BASE}::timestamptz + g * interval '1 hour'
        from generate_series(${lo}::int, ${hi}::int) g`)
    })

    // Session g belongs to business 1 + (g - 1) % B and is created by its owner. One in 20 titles is
    // a Pilates class (no other title or description contains the word); one in 25 sessions is inactive.
    await inChunks(S, 'sessions', progress, (lo, hi) =>
      tx.execute(sql`
        insert into sessions (id, business_id, creator_id, title, description, duration, price,
          max_participants, status, schedule, created_by, updated_by, created_at, updated_at)
        select ${idSql('session', sql`g`)}, ${idSql('business', sql`b`)}, ${idSql('user', sql`b`)},
          adjective || ' ' || activity || ' #' || g,
          'A ' || duration || '-minute ' || lower(activity) || ' session at Bench Studio ' || b
            || '. Bring water and comfortable clothes.',
          duration,
          (5 + (g * 37) % 145 + ((g * 13) % 100) / 100.0)::numeric(10, 2),
          ${MIN_CAPACITY} + (g * 7) % 26,
          (case when g % ${sql.raw(String(INACTIVE_EVERY))} = ${sql.raw(String(INACTIVE_REMAINDER))} then 'inactive' else 'active' end)::session_status,
          case when g % 2 = 0 then jsonb_build_object(
            'weekly', (select jsonb_agg(jsonb_build_object('weekday', day, 'times', jsonb_build_array(local_time)))
                       from unnest(array['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) day),
            'starts_on', ${SLOT_BASE.slice(0, 10)}::text, 'ends_on', null, 'exceptions', '[]'::jsonb) end,
          ${idSql('user', sql`b`)}, ${idSql('user', sql`b`)}, created, created
        from (
          select g, 1 + (g - 1) % ${B} as b,
            -- The seeded bookings' UTC hour (8 + (g - 1) % 10) as a local time of the business's zone
            -- in January, when the bookings lie (SLOT_BASE): no zone of the bench observes DST then.
            lpad(((8 + (g - 1) % 10 + (array[0, -5, 1, 9])[1 + (1 + (g - 1) % ${B}) % 4] + 24) % 24)::text, 2, '0')
              || ':00' as local_time,
            (array[30, 45, 60, 75, 90, 120])[1 + g % 6] as duration,
            (array['Morning', 'Evening', 'Lunchtime', 'Weekend', 'Gentle', 'Power', 'Express', 'Deep',
              'Beginners', 'Advanced'])[1 + (g / 3) % 10] as adjective,
            case when g % 20 = 0 then ${BENCH_SEARCH_WORD}
              else (array['Yoga Flow', 'Spin Class', 'Boxing Drills', 'Barre', 'HIIT Circuit', 'Meditation',
                'Stretch & Mobility', 'Kettlebell Strength', 'Salsa Dance', 'Climbing Technique',
                'Swim Coaching', 'Ceramics Wheel'])[1 + (g / 7) % 12] end as activity,
            ${CREATED_BASE}::timestamptz + g * interval '263 seconds' + ((g * 17) % 60) * interval '1 second'
              as created
          from generate_series(${lo}::int, ${hi}::int) g
        ) s`),
    )

    // Booking k (1-based) is the j-th booking of session s0 + 1, where s0 = (k - 1) % S and
    // j = (k - 1) / S. Its slot is day (j + s0) % 30 after SLOT_BASE at a per-session hour, so a slot
    // holds at most ceil(J / 30) bookings (J bookings per session, planBench keeps that <= 5, the least
    // capacity); its customer, one of the users after the owners, differs for every j of a session.
    // One in 20 is cancelled, one in 3 pending, the rest confirmed; the amount is the session's price.
    await inChunks(plan.bookings, 'bookings', progress, (lo, hi) =>
      tx.execute(sql`
        insert into bookings (id, business_id, session_id, user_id, booking_date, status, amount,
          created_by, updated_by, created_at, updated_at)
        select ${idSql('booking', sql`x.k`)}, s.business_id, s.id, x.customer,
          ${SLOT_BASE}::timestamptz + ((x.j + x.s0) % ${SLOT_DAYS}) * interval '1 day'
            + (8 + x.s0 % 10) * interval '1 hour',
          (case when x.k % 20 = 0 then 'cancelled' when x.k % 3 = 0 then 'pending' else 'confirmed' end)::booking_status,
          s.price, x.customer, x.customer,
          ${BOOKINGS_CREATED_BASE}::timestamptz + x.k * interval '1 minute',
          ${BOOKINGS_CREATED_BASE}::timestamptz + x.k * interval '1 minute'
        from (
          select k, s0, j, ${idSql('user', sql`${B} + 1 + (s0 * 7 + j) % ${customers}`)} as customer
          from (
            select k, (k - 1) % ${S} as s0, (k - 1) / ${S} as j
            from generate_series(${lo}::int, ${hi}::int) k
          ) numbered
        ) x
        join sessions s on s.id = ${idSql('session', sql`x.s0 + 1`)}`),
    )

    // The seat counters, from an aggregate of the bookings: one row per booked slot, counting the
    // pending and confirmed bookings.
    await inChunks(S, 'slots', progress, async (lo, hi) => {
      const [row] = await queryRows<{ n: number | string }>(
        tx,
        sql`
          with written as (
            insert into session_slots (session_id, booking_date, booked)
            select session_id, booking_date,
              count(*) filter (where status in ('pending', 'confirmed') and not is_deleted)
            from bookings
            where session_id between ${benchId('session', lo)} and ${benchId('session', hi)}
            group by session_id, booking_date
            on conflict (session_id, booking_date) do update set booked = excluded.booked
            returning 1
          )
          select count(*) as n from written`,
      )
      slots += Number(row?.n ?? 0)
    })
  })

  // Vacuumed as well: rows written in bulk are not yet marked all-visible, and until they are, an
  // index-only scan (a deep page's ids) visits the heap for every row anyway.
  progress('vacuum and analyze', 0, 1)
  await db.execute(sql`vacuum (analyze) users, businesses, memberships, sessions, bookings, session_slots`)
  progress('vacuum and analyze', 1, 1)
  return { skipped: false, plan, slots, password: BENCH_PASSWORD }
}
