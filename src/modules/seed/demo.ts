// `npm run seed -- --demo`: writes a small, realistic data set to click through (demo-data.ts): three
// businesses, their owners (creators), a manager, an agent, a few customers, a dozen sessions and some
// future bookings. Everything is written in one transaction, through the same rules as the API: audit
// rows for every change, seats taken on the `session_slots` counter (never past the session's capacity).
import { sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { localTime } from '../../platform/dates.js'
import type { Database } from '../../platform/db/index.js'
import { userAuditFields } from '../accounts/account-service.js'
import type { PasswordHasher } from '../accounts/hasher.js'
import { passwordProblems } from '../accounts/password-policy.js'
import { users } from '../accounts/tables.js'
import { type Actor, creationChanges, recordAudit } from '../audit/service.js'
import { takeSeat } from '../bookings/service.js'
import { insertBooking } from '../bookings/writes.js'
import { insertMembership } from '../businesses/members.js'
import { createBusinessIn } from '../businesses/service.js'
import { type Schedule, WEEKDAYS } from '../catalog/schedule.js'
import { sessions } from '../catalog/tables.js'
import { createSettingsService } from '../settings/service.js'
import {
  type BusinessKey,
  DEMO_BOOKINGS,
  DEMO_BUSINESSES,
  DEMO_PASSWORD,
  DEMO_SESSIONS,
  DEMO_USERS,
  demoEmail,
  EMAIL_DOMAIN,
} from './demo-data.js'

export type DemoLogin = { username: string; email: string; role: string; business: string }

export type DemoResult =
  | {
      skipped: false
      password: string
      logins: DemoLogin[]
      counts: { businesses: number; users: number; sessions: number; bookings: number }
    }
  | { skipped: true; password: string; existing: string[] }

/** The instant of `hour`:00 local time in `timeZone`, `days` after `from`'s UTC date. */
export function localSlot(from: Date, days: number, hour: number, timeZone: string): Date {
  return localTime(from.getUTCFullYear(), from.getUTCMonth() + 1, from.getUTCDate() + days, hour, timeZone)
}

/** Every day at `times`, from the day of `now` on, open-ended. */
function dailySchedule(times: string[], now: Date): Schedule {
  return {
    weekly: WEEKDAYS.map((weekday) => ({ weekday, times })),
    starts_on: now.toISOString().slice(0, 10),
    ends_on: null,
    exceptions: [],
  }
}

/**
 * Seeds the demo data unless a demo user already exists (then nothing is written). The password is
 * hashed once and the hash shared by every demo account.
 */
export async function seedDemo(db: Database, hasher: PasswordHasher, clock: Clock): Promise<DemoResult> {
  const usernames = DEMO_USERS.map((user) => user.username)
  const existing = await db
    .select({ username: users.username })
    .from(users)
    .where(
      sql`lower(${users.username}) in (${sql.join(
        usernames.map((name) => sql`${name}`),
        sql`, `,
      )}) or lower(${users.email}) like ${`%@${EMAIL_DOMAIN}`}`,
    )
  if (existing.length > 0) {
    return { skipped: true, password: DEMO_PASSWORD, existing: existing.map((row) => row.username) }
  }
  for (const user of DEMO_USERS) {
    const problems = passwordProblems(DEMO_PASSWORD, {
      username: user.username,
      email: demoEmail(user.username),
    })
    if (problems.length > 0) throw new Error(`the demo password fails the policy: ${problems.join(' ')}`)
  }
  const hash = await hasher.hash(DEMO_PASSWORD)
  const now = clock.now()
  const settings = createSettingsService(db, clock, null)

  return db.transaction(async (tx) => {
    const userIds = new Map<string, string>()
    for (const spec of DEMO_USERS) {
      const [row] = await tx
        .insert(users)
        .values({
          username: spec.username,
          email: demoEmail(spec.username),
          password: hash,
          firstName: spec.firstName,
          lastName: spec.lastName,
          role: spec.role,
          emailVerified: true,
          dateJoined: now,
          updatedAt: now,
        })
        .returning()
      if (!row) throw new Error('insert returned no row')
      userIds.set(spec.username, row.id)
      await recordAudit(
        tx,
        {
          actor: { userId: row.id, requestId: null },
          businessId: null,
          action: 'create',
          entity: 'user',
          entityId: row.id,
          changes: creationChanges(userAuditFields(row)),
        },
        now,
      )
    }
    const idOf = (username: string) => {
      const id = userIds.get(username)
      if (!id) throw new Error(`no demo user ${username}`)
      return id
    }

    const businessIds = new Map<BusinessKey, string>()
    const businessNames = new Map<BusinessKey, string>()
    for (const [key, spec] of Object.entries(DEMO_BUSINESSES) as [
      BusinessKey,
      (typeof DEMO_BUSINESSES)[BusinessKey],
    ][]) {
      const owner = DEMO_USERS.find((user) => user.staffOf?.business === key && user.staffOf.role === 'owner')
      if (!owner) throw new Error(`no owner for ${key}`)
      const ownerId = idOf(owner.username)
      const business = await createBusinessIn(
        tx,
        {
          db: tx,
          clock,
          settings,
          // A new business is not yet in any cached public listing.
          onPublicChange: async () => {},
        },
        ownerId,
        spec,
        {
          userId: ownerId,
          requestId: null,
        },
      )
      businessIds.set(key, business.id)
      businessNames.set(key, business.name)
    }
    const businessOf = (key: BusinessKey) => {
      const id = businessIds.get(key)
      if (!id) throw new Error(`no demo business ${key}`)
      return id
    }

    // Staff other than owners (owners were added by createBusinessIn), added by the owner.
    for (const spec of DEMO_USERS) {
      if (!spec.staffOf || spec.staffOf.role === 'owner') continue
      const businessId = businessOf(spec.staffOf.business)
      const owner = DEMO_USERS.find(
        (user) => user.staffOf?.business === spec.staffOf?.business && user.staffOf?.role === 'owner',
      )
      const actor: Actor = { userId: owner ? idOf(owner.username) : null, requestId: null }
      await insertMembership(
        tx,
        { businessId, userId: idOf(spec.username), role: spec.staffOf.role },
        actor,
        now,
      )
    }

    const sessionRows = new Map<string, typeof sessions.$inferSelect>()
    for (const spec of DEMO_SESSIONS) {
      const creatorId = idOf(spec.by)
      const [row] = await tx
        .insert(sessions)
        .values({
          businessId: businessOf(spec.business),
          creatorId,
          title: spec.title,
          description: spec.description,
          duration: spec.duration,
          price: spec.price,
          maxParticipants: spec.maxParticipants,
          status: spec.status ?? 'active',
          schedule: spec.dailyTimes ? dailySchedule(spec.dailyTimes, now) : null,
          createdBy: creatorId,
          updatedBy: creatorId,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
      if (!row) throw new Error('insert returned no row')
      sessionRows.set(spec.key, row)
      await recordAudit(
        tx,
        {
          actor: { userId: creatorId, requestId: null },
          businessId: row.businessId,
          action: 'create',
          entity: 'session',
          entityId: row.id,
          changes: creationChanges({
            title: row.title,
            description: row.description,
            duration: row.duration,
            price: row.price,
            max_participants: row.maxParticipants,
            status: row.status,
            schedule: row.schedule,
          }),
        },
        now,
      )
    }

    let bookingCount = 0
    for (const [customer, sessionKey, days, hour, status] of DEMO_BOOKINGS) {
      const session = sessionRows.get(sessionKey)
      const spec = DEMO_SESSIONS.find((candidate) => candidate.key === sessionKey)
      if (!session || !spec) throw new Error(`no demo session ${sessionKey}`)
      const userId = idOf(customer)
      const bookingDate = localSlot(now, days, hour, DEMO_BUSINESSES[spec.business].timezone)
      const seat = await takeSeat(tx, session.id, bookingDate)
      if (!seat) throw new Error(`demo booking of ${sessionKey} overbooks its slot`)
      const { businessId, price: amount } = session
      const booking = { businessId, sessionId: session.id, userId, bookingDate, status, amount }
      await insertBooking(tx, booking, { userId, requestId: null }, now)
      bookingCount += 1
    }

    const logins: DemoLogin[] = DEMO_USERS.map((spec) => ({
      username: spec.username,
      email: demoEmail(spec.username),
      role: spec.staffOf ? `${spec.role} (${spec.staffOf.role})` : `${spec.role} (customer)`,
      business: spec.staffOf ? (businessNames.get(spec.staffOf.business) ?? '') : '',
    }))
    return {
      skipped: false as const,
      password: DEMO_PASSWORD,
      logins,
      counts: {
        businesses: businessIds.size,
        users: userIds.size,
        sessions: sessionRows.size,
        bookings: bookingCount,
      },
    }
  })
}

/** The logins as an aligned text table, then the password. */
export function formatDemoLogins(logins: DemoLogin[], password: string): string {
  const header: DemoLogin = { username: 'username', email: 'email', role: 'role', business: 'business' }
  const rows = [header, ...logins]
  const width = (key: keyof DemoLogin) => Math.max(...rows.map((row) => row[key].length))
  const keys: (keyof DemoLogin)[] = ['username', 'email', 'role', 'business']
  const line = (row: DemoLogin) =>
    keys
      .map((key) => row[key].padEnd(width(key)))
      .join('  ')
      .trimEnd()
  const rule = keys.map((key) => '-'.repeat(width(key))).join('  ')
  return [line(header), rule, ...logins.map(line), '', `password (every account): ${password}`].join('\n')
}
