// Webhooks end to end, into a real HTTP receiver on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE=true): changes made
// through the API reach the endpoints subscribed to them, signed per Standard Webhooks, carrying the
// object as the API answered it; a failing receiver is retried with backoff (the injected clock moves
// the time), each try logged; an event can be sent again; an endpoint failing for 5 days is switched
// off and its business's owners are emailed. Jobs run as in production: in the app, or a worker of
// this file's own on the Redis queue.
import { eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { describe, expect, it } from 'vitest'
import { retryDelay } from '../../../src/modules/webhooks/attempts.js'
import { WEBHOOK_EVENTS, webhookEvents } from '../../../src/modules/webhooks/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { book, businessOf, makeSession } from '../../helpers/factories.js'
import { eventually, useWorker } from '../../helpers/jobs.js'
import { useSmtpPeer } from '../../helpers/smtp.js'
import { addMemberDirectly } from '../../helpers/tenants.js'
import {
  deliveriesOf,
  makeWebhook,
  type ReceivedHook,
  signedWith,
  useReceiver,
} from '../../helpers/webhooks.js'

const BACKOFF_MS = 1000
const DAY_MS = 86_400_000
const config: Record<string, string> = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  JOB_BACKOFF: `${BACKOFF_MS}ms`,
  // The clock moves days ahead here; the tokens must outlive it.
  JWT_ACCESS_TTL: '3650d',
}
const clock = new ManualClock(new Date())
const smtp = useSmtpPeer(config)
const ctx = useTestApp({ config, deps: { clock } })
useWorker(() => ctx.app)
const receiver = useReceiver()

const call = async (user: TestUser, options: InjectOptions, status = 200) => {
  const response = await ctx.app.inject({ ...options, headers: { ...user.auth, ...options.headers } })
  expect(response.statusCode, response.body).toBe(status)
  return response.json().data
}

/** A creator who owns a business of their own, a session of it, and a customer. */
async function freshBusiness() {
  const [owner, customer] = await Promise.all([makeUser(ctx.app, { role: 'creator' }), makeUser(ctx.app)])
  const business = await businessOf(ctx.app, owner)
  const session = await makeSession(ctx.app, owner, { title: 'Harbour yoga' })
  return { owner, customer, business, session }
}

/** A new hour of 2030 per call: no two bookings of this file share a slot. */
let hour = 0
const nextHour = () => new Date(Date.UTC(2030, 0, 7, 9) + ++hour * 3_600_000).toISOString()

const received = (path: string, count: number) =>
  eventually(`${count} request(s) at ${path}`, () => {
    const hooks = receiver().at(path)
    return hooks.length >= count ? hooks : null
  })

const bodyOf = (hook: ReceivedHook) => JSON.parse(hook.body)

/** The endpoint's delivery log once its newest attempt has succeeded. */
const loggedSuccess = (owner: TestUser, businessId: string, webhookId: string) =>
  eventually('the newest attempt recorded as succeeded', async () => {
    const rows = await deliveriesOf(ctx.app, owner, businessId, webhookId)
    return rows[0]?.status === 'succeeded' ? rows : null
  })

describe('an endpoint subscribed to booking.created', () => {
  it('receives a booking made through the API, signed, as the API answered it', async () => {
    const { owner, customer, business, session } = await freshBusiness()
    const hook = await makeWebhook(ctx.app, owner, business.id, {
      url: receiver().url('/booked'),
      events: ['booking.created'],
    })
    const booking = await book(ctx.app, customer, session.id, nextHour())

    const [request] = await received('/booked', 1)
    if (!request) throw new Error('unreachable')
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['user-agent']).toBe('Tessera-Webhooks')
    expect(signedWith(hook.secret, request)).toBe(true)
    expect(signedWith(`whsec_${Buffer.alloc(32).toString('base64')}`, request)).toBe(false)
    const timestamp = Number(request.headers['webhook-timestamp'])
    expect(Math.abs(timestamp - clock.now().getTime() / 1000)).toBeLessThan(300)
    expect(bodyOf(request)).toEqual({
      id: request.headers['webhook-id'],
      type: 'booking.created',
      created_at: clock.now().toISOString(),
      business_id: business.id,
      data: booking,
    })

    const [delivery] = await loggedSuccess(owner, business.id, hook.id)
    expect(delivery).toMatchObject({
      event_id: request.headers['webhook-id'],
      event: 'booking.created',
      attempt: 1,
      response_status: 200,
      error: null,
      at: clock.now().toISOString(),
    })
    expect(delivery?.duration_ms).toBeGreaterThanOrEqual(0)
  })

  it('is not written at all for a business without an endpoint that wants it', async () => {
    const { owner, customer, business, session } = await freshBusiness()
    await makeWebhook(ctx.app, owner, business.id, {
      url: receiver().url('/sessions-only'),
      events: ['session.created'],
    })
    await book(ctx.app, customer, session.id, nextHour())
    const events = await ctx.app.deps.database.db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.businessId, business.id))
    expect(events).toEqual([])
  })
})

describe('status changes, reservations and sessions', () => {
  it('reach the endpoints subscribed to them, with the objects as the API answered them', async () => {
    const { owner, customer, business, session } = await freshBusiness()
    const path = '/everything-else'
    await makeWebhook(ctx.app, owner, business.id, {
      url: receiver().url(path),
      events: WEBHOOK_EVENTS.filter((type) => type !== 'booking.created'),
    })
    const booking = await book(ctx.app, customer, session.id, nextHour())
    const confirmed = await call(owner, { method: 'POST', url: `/api/bookings/${booking.id}/confirm/` })
    const reservation = await call(
      customer,
      {
        method: 'POST',
        url: '/api/reservations/',
        payload: { business: business.id, start_time: nextHour(), end_time: nextHour() },
      },
      201,
    )
    await call(customer, { method: 'DELETE', url: `/api/reservations/${reservation.id}/` })
    const cancelled = await call(customer, { url: `/api/reservations/${reservation.id}/` })
    const made = await call(
      owner,
      {
        method: 'POST',
        url: '/api/sessions/',
        payload: { title: 'Pilates', duration: 45, price: '20.00', max_participants: 5 },
      },
      201,
    )
    const changed = await call(owner, {
      method: 'PATCH',
      url: `/api/sessions/${made.id}/`,
      payload: { title: 'Reformer Pilates' },
    })
    await call(owner, { method: 'DELETE', url: `/api/sessions/${made.id}/` })

    const hooks = await received(path, 6)
    const byType = Object.fromEntries(hooks.map((hook) => [bodyOf(hook).type, bodyOf(hook).data]))
    expect(byType).toEqual({
      'booking.status_changed': confirmed,
      'reservation.created': reservation,
      'reservation.status_changed': cancelled,
      'session.created': made,
      'session.updated': changed,
      'session.deleted': changed,
    })
    expect(reservation.customer.email).toBe(customer.email)
  })
})

describe('a receiver that fails', () => {
  it('gets the event again after each backoff until it answers 2xx: 4 attempts logged', async () => {
    const { owner, customer, business, session } = await freshBusiness()
    const path = '/flaky'
    const hook = await makeWebhook(ctx.app, owner, business.id, {
      url: receiver().url(path),
      events: ['booking.created'],
    })
    receiver().answer(path, [500, 500, 500])
    await book(ctx.app, customer, session.id, nextHour())
    for (let attempt = 1; attempt <= 3; attempt++) {
      await received(path, attempt)
      await eventually(`attempt ${attempt + 1} scheduled`, async () => {
        const [next] = await deliveriesOf(ctx.app, owner, business.id, hook.id)
        return next?.attempt === attempt + 1 && next.status === 'pending'
      })
      clock.advance(retryDelay(BACKOFF_MS, attempt))
    }
    const requests = await received(path, 4)
    expect(new Set(requests.map((request) => request.headers['webhook-id'])).size).toBe(1)
    expect(new Set(requests.map((request) => request.body)).size).toBe(1)
    expect(requests.every((request) => signedWith(hook.secret, request))).toBe(true)

    const log = await loggedSuccess(owner, business.id, hook.id)
    expect(log.map(({ attempt, status, response_status }) => [attempt, status, response_status])).toEqual([
      [4, 'succeeded', 200],
      [3, 'failed', 500],
      [2, 'failed', 500],
      [1, 'failed', 500],
    ])
    expect(log[1]?.error).toBe('Answered 500 Internal Server Error')
    const endpoint = await call(owner, { url: `/api/businesses/${business.id}/webhooks/${hook.id}/` })
    expect(endpoint.failing_since).toBeNull()
  })

  it('is deactivated after 5 days of failing, and the owners (not the admins) are emailed', async () => {
    const { owner, customer, business, session } = await freshBusiness()
    const [admin, platformAdmin] = await Promise.all([makeUser(ctx.app), makeAdmin(ctx.app)])
    await addMemberDirectly(ctx.app, platformAdmin, business.id, admin, 'admin')
    const path = '/down'
    const hook = await makeWebhook(ctx.app, owner, business.id, {
      url: receiver().url(path),
      events: ['booking.created'],
      description: 'Our CRM',
    })
    receiver().answer(path, Array(20).fill(503))
    await book(ctx.app, customer, session.id, nextHour())
    await received(path, 1)
    const failingSince = clock.now().toISOString()
    await eventually('the retry scheduled', async () => {
      const [next] = await deliveriesOf(ctx.app, owner, business.id, hook.id)
      return next?.status === 'pending'
    })
    clock.advance(5 * DAY_MS)

    const url = `/api/businesses/${business.id}/webhooks/${hook.id}/`
    const off = await eventually('the endpoint deactivated', async () => {
      const endpoint = await call(owner, { url })
      return endpoint.is_active ? null : endpoint
    })
    expect(off.failing_since).toBe(failingSince)
    const mail = await eventually('the email to the owners', () =>
      smtp.peer.messages.find((message) => message.subject.includes(hook.url)),
    )
    expect(mail.envelopeTo).toEqual([owner.email.toLowerCase()])
    expect(mail.subject).toBe(`Webhook endpoint deactivated: ${hook.url}`)
    expect(mail.text).toContain('Our CRM')
    expect(mail.text).toContain('Answered 503 Service Unavailable')

    const log = await deliveriesOf(ctx.app, owner, business.id, hook.id)
    expect(log.map(({ status }) => status)).toEqual(['failed', 'failed'])
    await book(ctx.app, customer, session.id, nextHour())
    expect(await deliveriesOf(ctx.app, owner, business.id, hook.id)).toHaveLength(2)

    const on = await call(owner, { method: 'PATCH', url, payload: { is_active: true } })
    expect(on).toMatchObject({ is_active: true, failing_since: null })
  })
})

describe('redelivery', () => {
  it('sends the event of an attempt again, as a new attempt with the same webhook-id', async () => {
    const { owner, customer, business, session } = await freshBusiness()
    const path = '/again'
    const hook = await makeWebhook(ctx.app, owner, business.id, {
      url: receiver().url(path),
      events: ['booking.created'],
    })
    await book(ctx.app, customer, session.id, nextHour())
    const [first] = await received(path, 1)
    const [done] = await loggedSuccess(owner, business.id, hook.id)
    const again = await call(owner, {
      method: 'POST',
      url: `/api/businesses/${business.id}/webhooks/${hook.id}/deliveries/${done?.id}/redeliver/`,
    })
    expect(again).toMatchObject({ event_id: done?.event_id, attempt: 2, status: 'pending' })
    const [, second] = await received(path, 2)
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id'])
    expect(second?.body).toBe(first?.body)
    const log = await loggedSuccess(owner, business.id, hook.id)
    expect(log.map(({ attempt }) => attempt)).toEqual([2, 1])

    await call(owner, {
      method: 'PATCH',
      url: `/api/businesses/${business.id}/webhooks/${hook.id}/`,
      payload: { is_active: false },
    })
    const refused = await ctx.app.inject({
      method: 'POST',
      url: `/api/businesses/${business.id}/webhooks/${hook.id}/deliveries/${done?.id}/redeliver/`,
      headers: owner.auth,
    })
    expect(refused.statusCode).toBe(409)
  })
})
