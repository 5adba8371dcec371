// The outbox end to end, against a real SMTP peer: a change and its email row commit together or not
// at all; the dispatcher hands rows to the queue (in-process here, BullMQ in the Redis run) and the
// email job sends them with a Message-ID of the row; an SMTP server that refuses delays a message
// without losing or doubling it.
import { and, count, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeEmail } from '../../../src/modules/outbox/outbox.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { businessOf, makeSession, requestBooking } from '../../helpers/factories.js'
import { eventually, useWorker } from '../../helpers/jobs.js'
import { useSmtpPeer } from '../../helpers/smtp.js'

const config: Record<string, string> = {
  JOB_BACKOFF: '100ms',
  JOB_ATTEMPTS: '20',
  EMAIL_FROM: 'Tessera <noreply@tessera.test>',
}
const smtp = useSmtpPeer(config)
const ctx = useTestApp({ config })
useWorker(() => ctx.app)
const db = () => ctx.app.deps.database.db

let creator: TestUser
let customer: TestUser
let businessId: string

/** A new hour of 2030 per call, so no two bookings of this file share a slot. */
let hour = 0
const nextHour = () => {
  hour += 1
  return new Date(Date.UTC(2030, 0, 1) + hour * 3_600_000).toISOString()
}

const rowsFor = async (template: string, key: string, id: string) =>
  db()
    .select()
    .from(outbox)
    .where(and(eq(outbox.template, template), sql`${outbox.params}->>${key} = ${id}`))

beforeAll(async () => {
  ;[creator, customer] = await Promise.all([makeUser(ctx.app, { role: 'creator' }), makeUser(ctx.app)])
  businessId = (await businessOf(ctx.app, creator)).id
})

describe('a booking and its email', () => {
  it('commit together: the owners get the email, with the row id as Message-ID, and the row is marked sent', async () => {
    const session = (await makeSession(ctx.app, creator, { title: 'Sunrise <b>Yoga</b>' })).id
    const response = await requestBooking(ctx.app, customer, session, nextHour())
    expect(response.statusCode, response.body).toBe(201)
    const bookingId = response.json().data.id as string
    const [row] = await rowsFor('booking_created', 'bookingId', bookingId)
    expect(row).toBeDefined()
    const id = row?.id as string

    const message = await eventually('the booking email at the SMTP peer', () =>
      smtp.peer.messages.find((mail) => mail.messageId === `<${id}@tessera.test>`),
    )
    expect(message.envelopeTo).toEqual([creator.email.toLowerCase()])
    expect(message.html).toContain('Sunrise &lt;b&gt;Yoga&lt;/b&gt;')
    expect(message.text).toContain('Sunrise <b>Yoga</b>')
    const [sent] = await eventually('the row marked sent', async () => {
      const rows = await db().select().from(outbox).where(eq(outbox.id, id))
      return rows[0]?.sentAt ? rows : null
    })
    expect(sent?.attempts).toBe(1)
    expect(sent?.lastError).toBeNull()
    expect(businessId).toBeTruthy()
  })

  it('leave no row when the change fails: a full session refuses the booking and its email', async () => {
    const session = (await makeSession(ctx.app, creator, { title: 'Tiny class', max_participants: 1 })).id
    const date = nextHour()
    const first = await requestBooking(ctx.app, customer, session, date)
    expect(first.statusCode).toBe(201)
    const before = await db()
      .select({ n: count() })
      .from(outbox)
      .where(eq(outbox.template, 'booking_created'))
    const late = await makeUser(ctx.app)
    const refused = await requestBooking(ctx.app, late, session, date)
    expect(refused.statusCode).toBe(409)
    const after = await db().select({ n: count() }).from(outbox).where(eq(outbox.template, 'booking_created'))
    expect(after).toEqual(before)
  })

  it('leave no row when the transaction that wrote it rolls back', async () => {
    const marker = crypto.randomUUID()
    await expect(
      db().transaction(async (tx) => {
        await writeEmail(tx, 'reminder', { entity: 'booking', id: marker })
        throw new Error('the change failed after its email was written')
      }),
    ).rejects.toThrow(/change failed/)
    expect(await rowsFor('reminder', 'id', marker)).toEqual([])
  })
})

describe('an SMTP server that refuses', () => {
  it('delays the email until it accepts again; the email then arrives once', async () => {
    smtp.peer.refuse(true)
    try {
      const session = (await makeSession(ctx.app, creator, { title: 'Refused at first' })).id
      const response = await requestBooking(ctx.app, customer, session, nextHour())
      expect(response.statusCode).toBe(201)
      const [row] = await rowsFor('booking_created', 'bookingId', response.json().data.id)
      const id = row?.id as string
      const failing = await eventually('a failed try recorded on the row', async () => {
        const [current] = await db().select().from(outbox).where(eq(outbox.id, id))
        return current && current.attempts >= 2 ? current : null
      })
      expect(failing.sentAt).toBeNull()
      expect(failing.lastError).toMatch(/4\d\d/)
      smtp.peer.refuse(false)
      await eventually('the row sent after SMTP recovered', async () => {
        const [current] = await db().select().from(outbox).where(eq(outbox.id, id))
        return current?.sentAt
      })
      const delivered = smtp.peer.messages.filter((mail) => mail.messageId === `<${id}@tessera.test>`)
      expect(delivered).toHaveLength(1)
    } finally {
      smtp.peer.refuse(false)
    }
  })
})

describe('account emails, read from the SMTP peer as their recipient would', () => {
  const linkToken = (text: string, path: string) =>
    new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1] as string

  it('the welcome email carries a link that verifies the address, once', async () => {
    const user = await makeUser(ctx.app, { verified: false })
    const mail = await eventually('the welcome email', () =>
      smtp.peer.messages.find((message) => message.envelopeTo.includes(user.email.toLowerCase())),
    )
    const token = linkToken(mail.text, '/verify-email')
    expect(token.length).toBeGreaterThanOrEqual(43)
    expect(mail.html).toContain(`/verify-email?token=${token}`)
    const verify = () =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/email/verify/', payload: { token } })
    expect((await verify()).statusCode).toBe(200)
    const profile = await ctx.app.inject({ url: '/api/auth/profile/', headers: user.auth })
    expect(profile.json().data.email_verified).toBe(true)
    const reused = await verify()
    expect(reused.statusCode).toBe(400)
    expect(reused.json().code).toBe('token_invalid')
  })

  it('the reset email carries a link that sets a new password once', async () => {
    const user = await makeUser(ctx.app)
    const asked = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/password/reset/',
      payload: { email: user.email },
    })
    expect(asked.statusCode).toBe(200)
    const mail = await eventually('the reset email', () =>
      smtp.peer.messages.find(
        (message) =>
          message.envelopeTo.includes(user.email.toLowerCase()) && message.text.includes('/reset-password'),
      ),
    )
    const token = linkToken(mail.text, '/reset-password')
    const confirm = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/auth/password/reset/confirm/',
        payload: { token, new_password: 'another-Strong-pass-42' },
      })
    expect((await confirm()).statusCode).toBe(200)
    expect((await confirm()).json().code).toBe('token_invalid')
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login/',
      payload: { username: user.username, password: 'another-Strong-pass-42' },
    })
    expect(login.statusCode).toBe(200)
  })
})
