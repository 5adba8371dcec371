// GET /api/jobs/ and POST /api/jobs/{id}/retry/: an email job that used up its attempts against a
// refusing SMTP server shows up as failed, with its error and the outbox backlog; retrying it once the
// server accepts delivers the email. Platform admins only.
import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { emailJobId } from '../../../src/modules/outbox/jobs.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { eventually, useWorker } from '../../helpers/jobs.js'
import { useSmtpPeer } from '../../helpers/smtp.js'

const config: Record<string, string> = { JOB_BACKOFF: '20ms', JOB_ATTEMPTS: '2' }
const smtp = useSmtpPeer(config)
const ctx = useTestApp({ config })
useWorker(() => ctx.app)

let admin: TestUser
let user: TestUser
beforeAll(async () => {
  ;[admin, user] = await Promise.all([makeAdmin(ctx.app), makeUser(ctx.app)])
})

const overview = (who: TestUser) => ctx.app.inject({ url: '/api/jobs/', headers: who.auth })

describe('/api/jobs/', () => {
  it('is for platform admins only', async () => {
    expect((await ctx.app.inject({ url: '/api/jobs/' })).statusCode).toBe(401)
    expect((await overview(user)).statusCode).toBe(403)
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/jobs/x/retry/', headers: user.auth })).statusCode,
    ).toBe(403)
  })

  it('lists a dead email job with its error and the backlog, and retries it into delivery', async () => {
    smtp.peer.refuse(true)
    let outboxId: string
    try {
      const victim = await makeUser(ctx.app, { verified: false })
      const [row] = await db()
        .select()
        .from(outbox)
        .where(and(eq(outbox.template, 'welcome'), sql`${outbox.params}->>'userId' = ${victim.id}`))
      outboxId = row?.id as string
      const jobId = emailJobId(outboxId)
      const dead = await eventually('the email job failed for good', async () => {
        const body = (await overview(admin)).json()
        return body.data.failed.find((job: { id: string }) => job.id === jobId)
      })
      expect(dead).toMatchObject({ name: 'email.send', payload: { outboxId }, attempts: 2 })
      expect(dead.error).toMatch(/4\d\d/)
      const body = (await overview(admin)).json().data
      expect(body.queue).toBe(ctx.app.config.redisUrl ? 'bullmq' : 'in-process')
      expect(body.counts.failed).toBeGreaterThanOrEqual(1)
      expect(body.outbox.unsent).toBeGreaterThanOrEqual(1)
      expect(body.outbox.failing).toBeGreaterThanOrEqual(1)
      expect(body.outbox.oldest_unsent_at).toMatch(/^\d{4}-/)
    } finally {
      smtp.peer.refuse(false)
    }

    const retried = await ctx.app.inject({
      method: 'POST',
      url: `/api/jobs/${emailJobId(outboxId)}/retry/`,
      headers: admin.auth,
    })
    expect(retried.statusCode, retried.body).toBe(200)
    expect(retried.json()).toMatchObject({ data: null, message: expect.any(String) })
    await eventually('the retried email at the SMTP peer', () =>
      smtp.peer.messages.find((mail) => mail.messageId.startsWith(`<${outboxId}@`)),
    )
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/api/jobs/${emailJobId(outboxId)}/retry/`,
      headers: admin.auth,
    })
    expect(again.statusCode).toBe(404)
    expect(again.json().code).toBe('not_found')
  })
})

const db = () => ctx.app.deps.database.db
