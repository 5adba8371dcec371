// The minute tick also sweeps what has expired: cookie sessions, refresh tokens, mailed tokens and
// invitations past their expiry, and emails sent more than 30 days ago. Live rows stay. The tick runs through the job
// registry, as the worker runs it, on the app's database and its ManualClock.
import { eq, inArray, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { accountTokens, authSessions, refreshTokens } from '../../../src/modules/accounts/tables.js'
import { registerAutomationJobs, scheduleTick } from '../../../src/modules/automation/jobs.js'
import { INVITATION_LIFETIME_MS } from '../../../src/modules/businesses/invitations.js'
import { invitations } from '../../../src/modules/businesses/tables.js'
import { SENT_KEPT_MS } from '../../../src/modules/outbox/sweep.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { JobRegistry } from '../../../src/platform/jobs/registry.js'
import { invitationToken, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { eventually, useWorker } from '../../helpers/jobs.js'
import { acceptInvitation, createBusinessAs, inviteAs } from '../../helpers/tenants.js'

const DAY = 24 * 3_600_000
const clock = new ManualClock(new Date('2027-05-01T09:00:00Z'))
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
useWorker(() => ctx.app)
const db = () => ctx.app.deps.database.db
// With Redis, cookie sessions live there (with their own expiry), not in the database.
const sessionsInDatabase = process.env.REDIS_URL ? 0 : 1

async function tick(): Promise<void> {
  const registry = new JobRegistry()
  registerAutomationJobs(registry, {
    db: db(),
    clock,
    settings: { get: async () => ({ pendingExpiryHours: 24, reminderHoursBefore: 24 }) },
  })
  const handler = registry.handlerOf(scheduleTick.name)
  if (!handler) throw new Error('no schedule handler')
  await handler({}, { id: 'tick', attempt: 1 })
}

/** A user with a refresh token, a cookie session, a reset token and a welcome email. */
async function userWithCredentials(): Promise<TestUser> {
  const user = await makeUser(ctx.app)
  const session = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/session/login/',
    payload: { username: user.username, password: user.password },
  })
  expect(session.statusCode, session.body).toBe(200)
  const reset = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/password/reset/',
    payload: { email: user.email },
  })
  expect(reset.statusCode).toBe(200)
  return user
}

async function leftOf(userId: string) {
  const count = async (table: typeof authSessions | typeof refreshTokens | typeof accountTokens) =>
    (await db().select().from(table).where(eq(table.userId, userId))).length
  const emails = await db()
    .select({ id: outbox.id })
    .from(outbox)
    .where(sql`${outbox.params}->>'userId' = ${userId}`)
  return {
    sessions: await count(authSessions),
    refreshTokens: await count(refreshTokens),
    accountTokens: await count(accountTokens),
    emails: emails.length,
  }
}

describe('the sweep of the minute tick', () => {
  it('deletes expired credentials and emails sent over 30 days ago, and keeps live ones', async () => {
    const old = await userWithCredentials()
    await eventually('the old user’s emails sent', async () => {
      const rows = await db().select().from(outbox).where(sql`${outbox.params}->>'userId' = ${old.id}`)
      return rows.length >= 2 && rows.every((row) => row.sentAt)
    })
    const before = await leftOf(old.id)
    expect(before.sessions).toBe(sessionsInDatabase)
    expect(before.refreshTokens).toBe(1)
    // The used verification token and the reset token.
    expect(before.accountTokens).toBe(2)
    expect(before.emails).toBeGreaterThanOrEqual(2)

    clock.advance(SENT_KEPT_MS + DAY)
    const fresh = await userWithCredentials()
    const recent = await db()
      .select({ id: outbox.id })
      .from(outbox)
      .where(sql`${outbox.params}->>'userId' = ${fresh.id}`)
    await tick()

    expect(await leftOf(old.id)).toEqual({ sessions: 0, refreshTokens: 0, accountTokens: 0, emails: 0 })
    const kept = await leftOf(fresh.id)
    expect(kept).toEqual({ ...before, emails: expect.any(Number) })
    const stillThere = await db()
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        inArray(
          outbox.id,
          recent.map((row) => row.id),
        ),
      )
    expect(stillThere).toHaveLength(recent.length)
  })

  it('deletes expired invitations, accepted or not, and keeps live ones', async () => {
    const owner = await makeUser(ctx.app)
    const businessId = await createBusinessAs(ctx.app, owner)
    const invitee = await makeUser(ctx.app)
    const accepted = await inviteAs(ctx.app, owner, businessId, invitee.email, 'agent')
    const acceptance = await acceptInvitation(ctx.app, invitee, await invitationToken(ctx.app, accepted.id))
    expect(acceptance.statusCode, acceptance.body).toBe(201)
    const open = await inviteAs(ctx.app, owner, businessId, 'never-answers@example.com', 'agent')
    clock.advance(INVITATION_LIFETIME_MS + 60_000)
    const live = await inviteAs(ctx.app, owner, businessId, 'later@example.com', 'agent')
    await tick()
    const left = await db()
      .select({ id: invitations.id })
      .from(invitations)
      .where(inArray(invitations.id, [accepted.id, open.id, live.id]))
    expect(left).toEqual([{ id: live.id }])
  })
})
