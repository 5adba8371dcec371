// `npm run seed -- --demo`: a small, realistic data set to click through: three businesses, their
// owners (creators), a manager, an agent, a few customers, a dozen sessions and some future bookings.
// Everything is written in one transaction, through the same rules as the API: audit rows for every
// change, seats taken on the `session_slots` counter (never past the session's capacity).

import { sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import { localTime } from '../../platform/dates.js'
import type { Database } from '../../platform/db/index.js'
import type { MembershipRole } from '../../platform/tenancy.js'
import { userAuditFields } from '../accounts/account-service.js'
import type { PasswordHasher } from '../accounts/hasher.js'
import { passwordProblems } from '../accounts/password-policy.js'
import { users } from '../accounts/tables.js'
import { type Actor, creationChanges, recordAudit } from '../audit/service.js'
import { takeSeat } from '../bookings/service.js'
import { bookings } from '../bookings/tables.js'
import { insertMembership } from '../businesses/members.js'
import { createBusinessIn } from '../businesses/service.js'
import { sessions } from '../catalog/tables.js'
import { createSettingsService } from '../settings/service.js'

/** The one password of every demo account (it passes the password policy). */
export const DEMO_PASSWORD = 'Tessera-demo-Sunrise-42'
const EMAIL_DOMAIN = 'demo.tessera.example'

type DemoUser = {
  username: string
  firstName: string
  lastName: string
  role: 'user' | 'creator'
  /** The business and membership role, for staff. */
  staffOf?: { business: BusinessKey; role: MembershipRole }
}

type BusinessKey = 'yoga' | 'barber' | 'ceramics'

const DEMO_USERS: DemoUser[] = [
  {
    username: 'demo_olivia',
    firstName: 'Olivia',
    lastName: 'Hart',
    role: 'creator',
    staffOf: { business: 'yoga', role: 'owner' },
  },
  {
    username: 'demo_marcus',
    firstName: 'Marcus',
    lastName: 'Reed',
    role: 'creator',
    staffOf: { business: 'barber', role: 'owner' },
  },
  {
    username: 'demo_sofia',
    firstName: 'Sofia',
    lastName: 'Costa',
    role: 'creator',
    staffOf: { business: 'ceramics', role: 'owner' },
  },
  {
    username: 'demo_priya',
    firstName: 'Priya',
    lastName: 'Shah',
    role: 'user',
    staffOf: { business: 'yoga', role: 'manager' },
  },
  {
    username: 'demo_diego',
    firstName: 'Diego',
    lastName: 'Morales',
    role: 'user',
    staffOf: { business: 'barber', role: 'agent' },
  },
  { username: 'demo_alice', firstName: 'Alice', lastName: 'Brown', role: 'user' },
  { username: 'demo_ben', firstName: 'Ben', lastName: 'Okafor', role: 'user' },
  { username: 'demo_chloe', firstName: 'Chloe', lastName: 'Martin', role: 'user' },
  { username: 'demo_daniel', firstName: 'Daniel', lastName: 'Kim', role: 'user' },
]

const DEMO_BUSINESSES: Record<BusinessKey, { name: string; timezone: string; currency: string }> = {
  yoga: { name: 'Lotus Yoga Studio', timezone: 'Europe/London', currency: 'GBP' },
  barber: { name: 'Brooklyn Fade Barbershop', timezone: 'America/New_York', currency: 'USD' },
  ceramics: { name: 'Atelier Barro Ceramics', timezone: 'Europe/Lisbon', currency: 'EUR' },
}

type DemoSession = {
  key: string
  business: BusinessKey
  /** Who created it: a username of DEMO_USERS. */
  by: string
  title: string
  description: string
  duration: number
  price: string
  maxParticipants: number
  status?: 'active' | 'inactive'
}

const DEMO_SESSIONS: DemoSession[] = [
  {
    key: 'vinyasa',
    business: 'yoga',
    by: 'demo_olivia',
    title: 'Sunrise Vinyasa Flow',
    description: 'A dynamic, breath-led flow to start the day. All levels welcome; mats provided.',
    duration: 60,
    price: '14.00',
    maxParticipants: 12,
  },
  {
    key: 'yin',
    business: 'yoga',
    by: 'demo_priya',
    title: 'Yin Yoga & Meditation',
    description: 'Long, quiet holds and a guided meditation to close.',
    duration: 75,
    price: '16.00',
    maxParticipants: 10,
  },
  {
    key: 'hatha',
    business: 'yoga',
    by: 'demo_olivia',
    title: "Beginners' Hatha",
    description: 'Foundations of posture and breathing, at an easy pace.',
    duration: 60,
    price: '12.00',
    maxParticipants: 15,
  },
  {
    key: 'pilates',
    business: 'yoga',
    by: 'demo_olivia',
    title: 'Reformer Pilates Intro',
    description: 'Small-group introduction to the reformer: core, posture, control.',
    duration: 50,
    price: '22.00',
    maxParticipants: 6,
  },
  {
    key: 'haircut',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Classic Haircut',
    description: 'Scissor or clipper cut, wash and style.',
    duration: 30,
    price: '35.00',
    maxParticipants: 1,
  },
  {
    key: 'fade',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Skin Fade',
    description: 'Precision fade down to the skin, finished with a razor line-up.',
    duration: 45,
    price: '45.00',
    maxParticipants: 1,
  },
  {
    key: 'beard',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Beard Trim & Hot Towel',
    description: 'Shape-up, hot towel and beard oil.',
    duration: 30,
    price: '28.00',
    maxParticipants: 1,
  },
  {
    key: 'combo',
    business: 'barber',
    by: 'demo_marcus',
    title: 'Cut & Beard Combo',
    description: 'The full works: haircut plus beard trim.',
    duration: 60,
    price: '65.00',
    maxParticipants: 1,
  },
  {
    key: 'wheel',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Wheel Throwing Taster',
    description: 'Centre, open and pull your first pots on the wheel. Clay and firing included.',
    duration: 120,
    price: '45.00',
    maxParticipants: 8,
  },
  {
    key: 'handbuild',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Hand-building Workshop',
    description: 'Pinch, coil and slab techniques; take home two pieces.',
    duration: 90,
    price: '38.00',
    maxParticipants: 10,
  },
  {
    key: 'glaze',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Glazing Masterclass',
    description: 'Dipping, layering and brushing glazes on bisque ware.',
    duration: 150,
    price: '55.00',
    maxParticipants: 6,
  },
  {
    key: 'raku',
    business: 'ceramics',
    by: 'demo_sofia',
    title: 'Raku Firing Weekend',
    description: 'Outdoor raku firing; back next season.',
    duration: 240,
    price: '120.00',
    maxParticipants: 8,
    status: 'inactive',
  },
]

/** [customer, session key, days from today, local hour, status] */
const DEMO_BOOKINGS: [string, string, number, number, 'pending' | 'confirmed'][] = [
  ['demo_alice', 'vinyasa', 1, 7, 'confirmed'],
  ['demo_ben', 'vinyasa', 1, 7, 'pending'],
  ['demo_chloe', 'vinyasa', 1, 7, 'confirmed'],
  ['demo_alice', 'yin', 3, 19, 'pending'],
  ['demo_daniel', 'hatha', 2, 18, 'confirmed'],
  ['demo_chloe', 'pilates', 4, 12, 'confirmed'],
  ['demo_ben', 'haircut', 2, 10, 'confirmed'],
  ['demo_daniel', 'haircut', 2, 11, 'pending'],
  ['demo_alice', 'fade', 5, 15, 'pending'],
  ['demo_ben', 'combo', 9, 17, 'confirmed'],
  ['demo_chloe', 'wheel', 6, 10, 'confirmed'],
  ['demo_daniel', 'wheel', 6, 10, 'pending'],
  ['demo_alice', 'handbuild', 13, 14, 'confirmed'],
  ['demo_priya', 'glaze', 8, 16, 'pending'],
]

export type DemoLogin = { username: string; email: string; role: string; business: string }

export type DemoResult =
  | {
      skipped: false
      password: string
      logins: DemoLogin[]
      counts: { businesses: number; users: number; sessions: number; bookings: number }
    }
  | { skipped: true; password: string; existing: string[] }

export const demoEmail = (username: string) => `${username.replace(/^demo_/, '')}@${EMAIL_DOMAIN}`

/** The instant of `hour`:00 local time in `timeZone`, `days` after `from`'s UTC date. */
export function localSlot(from: Date, days: number, hour: number, timeZone: string): Date {
  return localTime(from.getUTCFullYear(), from.getUTCMonth() + 1, from.getUTCDate() + days, hour, timeZone)
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
      const [booking] = await tx
        .insert(bookings)
        .values({
          businessId: session.businessId,
          sessionId: session.id,
          userId,
          bookingDate,
          status,
          amount: session.price,
          createdBy: userId,
          updatedBy: userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
      if (!booking) throw new Error('insert returned no row')
      await recordAudit(
        tx,
        {
          actor: { userId, requestId: null },
          businessId: session.businessId,
          action: 'create',
          entity: 'booking',
          entityId: booking.id,
          changes: creationChanges({
            session: session.id,
            user: userId,
            booking_date: bookingDate,
            status: booking.status,
            amount: booking.amount,
          }),
        },
        now,
      )
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
