// `npm run seed`: the demo data logs in through the real app and keeps the seat counters right; the
// bench data has the asked sizes, is the same on every run, has its search word in about 5% of titles,
// and never overbooks a slot. The argument parsing of the command is pure and tested on its own.
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app.js'
import { parseSeedArgs, UsageError } from '../../../src/cli.js'
import { argon2Hasher } from '../../../src/modules/accounts/hasher.js'
import { passwordProblems } from '../../../src/modules/accounts/password-policy.js'
import { isScheduledStart, type Schedule, scheduleErrors } from '../../../src/modules/catalog/schedule.js'
import {
  BENCH_DEFAULTS,
  BENCH_PASSWORD,
  BENCH_PASSWORD_HASH,
  BENCH_SEARCH_WORD,
  benchId,
  planBench,
  seedBench,
} from '../../../src/modules/seed/bench.js'
import { DASHBOARD_BUSINESS, seedDashboardBusiness } from '../../../src/modules/seed/bench-dashboard.js'
import { formatDemoLogins, localSlot, seedDemo } from '../../../src/modules/seed/demo.js'
import { DEMO_PASSWORD } from '../../../src/modules/seed/demo-data.js'
import { systemClock } from '../../../src/platform/clock.js'
import { type Database, type DatabaseHandle, queryRows } from '../../../src/platform/db/index.js'
import { openTestDatabase, testConfig } from '../../helpers/app.js'

/** Every slot whose counter differs from its active bookings, or exceeds the session's capacity. */
async function brokenSlots(db: Database) {
  return queryRows<Record<string, unknown>>(
    db,
    sql`
      select coalesce(ss.session_id, b.session_id) as session_id,
        coalesce(ss.booking_date, b.booking_date) as booking_date,
        ss.booked, coalesce(b.active, 0) as active, s.max_participants
      from session_slots ss
      full join (
        select session_id, booking_date, count(*)::int as active
        from bookings
        where status in ('pending', 'confirmed') and not is_deleted
        group by session_id, booking_date
      ) b on b.session_id = ss.session_id and b.booking_date = ss.booking_date
      left join sessions s on s.id = coalesce(ss.session_id, b.session_id)
      where ss.booked is distinct from coalesce(b.active, 0) or ss.booked > s.max_participants`,
  )
}

describe('seed --demo', () => {
  let database: DatabaseHandle

  beforeAll(async () => {
    database = await openTestDatabase()
  })
  afterAll(async () => {
    await database?.close()
  })

  it('writes businesses, staff, customers, sessions and bookings whose logins work', async () => {
    const result = await seedDemo(database.db, argon2Hasher, systemClock)
    if (result.skipped) throw new Error('a fresh database was seen as seeded')
    expect(result.counts.businesses).toBe(3)
    expect(result.counts.sessions).toBeGreaterThanOrEqual(10)
    expect(result.counts.bookings).toBeGreaterThan(0)
    const roles = result.logins.map((login) => login.role)
    expect(roles).toEqual(
      expect.arrayContaining(['creator (owner)', 'user (manager)', 'user (agent)', 'user (customer)']),
    )
    expect(passwordProblems(DEMO_PASSWORD, {})).toEqual([])
    // One hash shared by every demo account.
    const [hashes] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(distinct password)::int as n from users where username like 'demo\_%'`,
    )
    expect(hashes?.n).toBe(1)

    const table = formatDemoLogins(result.logins, result.password)
    for (const login of result.logins) expect(table).toContain(login.username)
    expect(table).toContain(DEMO_PASSWORD)

    const app = await buildApp(testConfig(), { database, redis: null })
    try {
      for (const login of result.logins) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/auth/login/',
          payload: { username: login.username, password: result.password },
        })
        expect(response.statusCode, login.username).toBe(200)
      }
      // A customer sees their bookings.
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login/',
        payload: { username: 'demo_alice', password: result.password },
      })
      const access = login.json().data.access as string
      const mine = await app.inject({
        method: 'GET',
        url: '/api/bookings/',
        headers: { authorization: `Bearer ${access}` },
      })
      expect(mine.statusCode).toBe(200)
      expect(mine.json().data.length).toBeGreaterThan(0)
    } finally {
      await app.close()
    }

    const [future] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from bookings where booking_date <= now()`,
    )
    expect(future?.n).toBe(0)
    expect(await brokenSlots(database.db)).toEqual([])
    const [audited] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_log where entity = 'booking'`,
    )
    expect(audited?.n).toBe(result.counts.bookings)
  })

  it('gives the group classes daily schedules their bookings keep to, and leaves the 1:1 services without', async () => {
    const rows = await queryRows<{
      title: string
      schedule: Schedule | null
      timezone: string
      start: string | null
    }>(
      database.db,
      sql`select s.title, s.schedule, b.timezone, to_json(k.booking_date) #>> '{}' as start
          from sessions s join businesses b on b.id = s.business_id left join bookings k on k.session_id = s.id`,
    )
    const titles = (scheduled: boolean) =>
      [...new Set(rows.filter((row) => (row.schedule !== null) === scheduled).map((row) => row.title))].sort()
    expect(titles(false)).toEqual([
      'Beard Trim & Hot Towel',
      'Classic Haircut',
      'Cut & Beard Combo',
      'Raku Firing Weekend',
      'Skin Fade',
    ])
    expect(titles(true)).toHaveLength(7)
    for (const row of rows)
      if (row.schedule && row.start)
        expect(isScheduledStart(row.schedule, row.timezone, new Date(row.start))).toBe(true)
  })

  it('writes nothing a second time', async () => {
    const [before] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from users`)
    const again = await seedDemo(database.db, argon2Hasher, systemClock)
    expect(again.skipped).toBe(true)
    const [after] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from users`)
    expect(after?.n).toBe(before?.n)
  })

  it('places slots at local hours of the business time zone', () => {
    const from = new Date('2026-07-01T12:00:00Z')
    expect(localSlot(from, 1, 7, 'Europe/London').toISOString()).toBe('2026-07-02T06:00:00.000Z')
    expect(localSlot(from, 1, 10, 'America/New_York').toISOString()).toBe('2026-07-02T14:00:00.000Z')
    expect(localSlot(new Date('2026-01-10T00:00:00Z'), 0, 10, 'America/New_York').toISOString()).toBe(
      '2026-01-10T15:00:00.000Z',
    )
  })
})

describe('seed --bench', () => {
  const sizes = { sessions: 500, users: 50, bookings: 1000 }
  let first: DatabaseHandle
  let second: DatabaseHandle

  beforeAll(async () => {
    ;[first, second] = await Promise.all([openTestDatabase(), openTestDatabase()])
  })
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()])
  })

  it('writes the asked sizes, with progress, and skips when they are there', async () => {
    const phases = new Set<string>()
    const result = await seedBench(first.db, sizes, (phase, done, total) => {
      expect(done).toBeLessThanOrEqual(total)
      phases.add(phase)
    })
    expect(result.skipped).toBe(false)
    expect([...phases]).toEqual([
      'users',
      'businesses',
      'sessions',
      'bookings',
      'slots',
      'vacuum and analyze',
    ])
    const [counts] = await queryRows<Record<string, number>>(
      first.db,
      sql`select
        (select count(*)::int from users where username like 'bench\_user\_%') as users,
        (select count(*)::int from businesses) as businesses,
        (select count(*)::int from memberships where role = 'owner') as owners,
        (select count(*)::int from sessions) as sessions,
        (select count(*)::int from bookings) as bookings,
        (select count(*)::int from audit_log) as audit`,
    )
    expect(counts).toEqual({ users: 50, businesses: 2, owners: 2, sessions: 500, bookings: 1000, audit: 0 })
    expect(await brokenSlots(first.db)).toEqual([])

    // No customer books their own session.
    const [own] = await queryRows<{ n: number }>(
      first.db,
      sql`select count(*)::int as n from bookings b join sessions s on s.id = b.session_id where s.creator_id = b.user_id`,
    )
    expect(own?.n).toBe(0)

    const again = await seedBench(first.db, sizes)
    expect(again.skipped).toBe(true)
    await expect(seedBench(first.db, { ...sizes, users: 60 })).rejects.toThrow(/smaller bench data set/)
  })

  it('is deterministic: the same rows on another database', async () => {
    // What the command passes: the parsed arguments, `mode` included.
    await seedBench(
      second.db,
      parseSeedArgs(['--bench', '--sessions=500', '--users=50', '--bookings=1000']) as typeof sizes,
    )
    const rows = (db: Database) =>
      queryRows<Record<string, unknown>>(
        db,
        sql`select id, title, price, duration, max_participants, status, created_at from sessions order by created_at, id`,
      )
    const [a, b] = await Promise.all([rows(first.db), rows(second.db)])
    expect(a).toHaveLength(500)
    expect(b).toEqual(a)
    const bookingRows = (db: Database) =>
      queryRows(
        db,
        sql`select id, session_id, user_id, booking_date, status, amount from bookings order by id`,
      )
    expect(await bookingRows(second.db)).toEqual(await bookingRows(first.db))
    // Session n has the id the bench's yardstick asks for.
    expect(a.some((row) => row.id === benchId('session', 1))).toBe(true)
  })

  it('puts the search word in about 5% of the sessions, and only there', async () => {
    const [share] = await queryRows<{ titles: number; anywhere: number }>(
      first.db,
      sql`select
        count(*) filter (where title ilike ${`%${BENCH_SEARCH_WORD}%`})::int as titles,
        count(*) filter (where title ilike ${`%${BENCH_SEARCH_WORD}%`} or description ilike ${`%${BENCH_SEARCH_WORD}%`})::int as anywhere
        from sessions`,
    )
    expect(share?.titles).toBe(25)
    expect(share?.anywhere).toBe(25)
  })

  it('schedules every even session, daily at the local hour its seeded bookings start', async () => {
    const inBench = sql`s.id between ${benchId('session', 1)} and ${benchId('session', sizes.sessions)}`
    const sessionsWith = await queryRows<{ schedule: Schedule | null }>(
      first.db,
      sql`select s.schedule from sessions s where ${inBench}`,
    )
    const scheduled = sessionsWith.flatMap((row) => (row.schedule ? [row.schedule] : []))
    expect(scheduled).toHaveLength(sizes.sessions / 2)
    for (const schedule of scheduled) expect(scheduleErrors(schedule)).toBeNull()
    const booked = await queryRows<{ schedule: Schedule; timezone: string; start: string }>(
      first.db,
      sql`select s.schedule, b.timezone, to_json(k.booking_date) #>> '{}' as start
          from sessions s join businesses b on b.id = s.business_id join bookings k on k.session_id = s.id
          where ${inBench} and s.schedule is not null`,
    )
    expect(booked.length).toBeGreaterThan(0)
    for (const row of booked)
      expect(isScheduledStart(row.schedule, row.timezone, new Date(row.start))).toBe(true)
  })

  it('writes the dashboard business: half --bookings of bookings and reservations, none overlapping, once', async () => {
    const database = await openTestDatabase()
    try {
      await checkDashboardBusiness(database.db)
    } finally {
      await database.close()
    }
  })

  async function checkDashboardBusiness(db: Database) {
    await seedBench(db, sizes)
    const plan = planBench(sizes).plan
    const now = new Date('2026-11-21T12:00:00Z')
    const result = await seedDashboardBusiness(db, plan, now)
    expect(result).toEqual({ skipped: false, bookings: 500, reservations: 500 })
    const [counts] = await queryRows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from bookings where business_id = ${DASHBOARD_BUSINESS}) as bookings,
        (select count(*)::int from reservations where business_id = ${DASHBOARD_BUSINESS}) as reservations,
        (select count(*)::int from reservations
          where start_time < ${now.toISOString()}::timestamptz - interval '183 days'
             or start_time > ${now.toISOString()}::timestamptz + interval '184 days') as outside_the_year,
        (select count(*)::int from reservations a join reservations b
          on a.id < b.id and a.business_id = b.business_id and a.staff_id = b.staff_id and a.period && b.period
          where a.status in ('pending', 'confirmed') and b.status in ('pending', 'confirmed')) as overlapping`,
    )
    expect(counts).toEqual({ bookings: 500, reservations: 500, outside_the_year: 0, overlapping: 0 })
    expect(await brokenSlots(db)).toEqual([])
    expect((await seedDashboardBusiness(db, plan, now)).skipped).toBe(true)
  }

  it('lets bench users log in with the printed password', async () => {
    expect(await argon2Hasher.verify(BENCH_PASSWORD_HASH, BENCH_PASSWORD)).toBe(true)
    const app = await buildApp(testConfig(), { database: first, redis: null })
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login/',
        payload: { username: 'bench_user_7', password: BENCH_PASSWORD },
      })
      expect(response.statusCode).toBe(200)
    } finally {
      await app.close()
    }
  })
})

describe('parseSeedArgs', () => {
  it('reads --demo and --bench with sizes and defaults', () => {
    expect(parseSeedArgs(['--demo'])).toEqual({ mode: 'demo' })
    expect(parseSeedArgs(['--bench'])).toEqual({ mode: 'bench', ...BENCH_DEFAULTS })
    expect(parseSeedArgs(['--bench', '--sessions', '1000', '--users=20', '--bookings', '2_000'])).toEqual({
      mode: 'bench',
      sessions: 1000,
      users: 20,
      bookings: 2000,
    })
  })

  it('refuses what makes no sense', () => {
    for (const args of [
      [],
      ['--demo', '--bench'],
      ['--demo', '--sessions', '10'],
      ['--bench', '--sessions', '1e5'],
      ['--bench', '--sessions', '0'],
      ['--bench', '--sessions', '10', '--bookings', '100000'],
      ['--bench', '--users', '1'],
      ['--bench', '--nope'],
    ]) {
      expect(() => parseSeedArgs(args), args.join(' ')).toThrow(UsageError)
    }
  })
})
