// Reservations: creation and its rules (times with offsets, 5 minutes to 12 hours, a future start, a
// live business, staff from the business, who may reserve for whom, every invalid field at once), who
// sees a reservation, changing it (customer while pending: times and notes; staff: also the staff
// member), the status machine with DELETE as cancel, and the audit rows. Time moves only through the
// ManualClock; access tokens live long enough for the jumps below.
import { and, asc, eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { createBusinessAs, makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const START = new Date('2026-03-01T09:00:00Z')
const clock = new ManualClock(START)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const db = () => ctx.app.deps.database.db
const call = (options: InjectOptions) => ctx.app.inject(options)

type ReservationOut = {
  id: string
  business: { id: string; name: string; slug: string }
  customer: { id: string; username: string; email: string }
  staff: { id: string; username: string } | null
  start_time: string
  end_time: string
  status: 'pending' | 'confirmed' | 'cancelled' | 'completed'
  notes: string
  created_at: string
  updated_at: string
}

const HOUR = 3_600_000
const MINUTE = 60_000

/** A distinct future hour per call (two hours apart), so tests never share a period by accident. */
let periodCounter = 0
function nextPeriod(lengthMs = HOUR): { start_time: string; end_time: string } {
  periodCounter += 1
  const start = Date.UTC(2026, 5, 1) + periodCounter * 2 * HOUR
  return { start_time: new Date(start).toISOString(), end_time: new Date(start + lengthMs).toISOString() }
}

const reserve = (user: TestUser, payload: Record<string, unknown>) =>
  call({ method: 'POST', url: '/api/reservations/', headers: user.auth, payload })

async function reserved(user: TestUser, payload: Record<string, unknown>): Promise<ReservationOut> {
  const response = await reserve(user, payload)
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}

const act = (user: TestUser, id: string, action: 'confirm' | 'complete' | 'cancel') =>
  call({ method: 'POST', url: `/api/reservations/${id}/${action}/`, headers: user.auth })

const patch = (user: TestUser, id: string, payload: Record<string, unknown>) =>
  call({ method: 'PATCH', url: `/api/reservations/${id}/`, headers: user.auth, payload })

const detail = (user: TestUser, id: string) => call({ url: `/api/reservations/${id}/`, headers: user.auth })

let biz: TenantBusiness
let other: TenantBusiness
let customer: TestUser
let stranger: TestUser
let platformAdmin: TestUser
/** A pending reservation of `customer` in `biz`'s calendar. */
const fresh = (payload: Record<string, unknown> = {}) =>
  reserved(customer, { business: biz.id, ...nextPeriod(), ...payload })

beforeAll(async () => {
  ;[biz, other, customer, stranger, platformAdmin] = await Promise.all([
    makeBusiness(ctx.app),
    makeBusiness(ctx.app),
    makeUser(ctx.app),
    makeUser(ctx.app),
    makeAdmin(ctx.app),
  ])
})

describe('POST /api/reservations/', () => {
  it('creates a pending reservation in the business calendar with the full shape', async () => {
    const period = nextPeriod()
    const response = await reserve(customer, { business: biz.id, ...period, notes: 'Window seat' })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().message).toBeTruthy()
    const out = response.json().data as ReservationOut
    const business = (await call({ url: `/api/businesses/${biz.id}/`, headers: biz.owner.auth })).json().data
    expect(out).toEqual({
      id: expect.any(String),
      business: { id: biz.id, name: business.name, slug: business.slug },
      customer: { id: customer.id, username: customer.username, email: customer.email },
      staff: null,
      start_time: period.start_time,
      end_time: period.end_time,
      status: 'pending',
      notes: 'Window seat',
      created_at: START.toISOString(),
      updated_at: START.toISOString(),
    })
  })

  it('takes times with any offset and answers them in UTC', async () => {
    const out = await reserved(customer, {
      business: biz.id,
      start_time: '2026-07-01T10:00:00+02:00',
      end_time: '2026-07-01T07:30:00-02:00',
    })
    expect([out.start_time, out.end_time]).toEqual(['2026-07-01T08:00:00.000Z', '2026-07-01T09:30:00.000Z'])
  })

  it('assigns a staff member of the business', async () => {
    const out = await fresh({ staff: biz.agent.id })
    expect(out.staff).toEqual({ id: biz.agent.id, username: biz.agent.username })
  })

  it('ignores a status given on create', async () => {
    expect((await fresh({ status: 'confirmed' })).status).toBe('pending')
  })

  it('accepts exactly 5 minutes and exactly 12 hours', async () => {
    await fresh({ ...nextPeriod(5 * MINUTE) })
    const long = nextPeriod(12 * HOUR)
    periodCounter += 6 // the next periods start after this one ends
    await fresh(long)
  })

  it('refuses periods shorter than 5 minutes, longer than 12 hours, or ending first, with 400 on end_time', async () => {
    for (const length of [5 * MINUTE - 1000, 12 * HOUR + MINUTE, 0, -HOUR]) {
      const response = await reserve(customer, { business: biz.id, ...nextPeriod(length) })
      expect(response.statusCode, `${length}: ${response.body}`).toBe(400)
      expect(Object.keys(response.json().errors)).toEqual(['end_time'])
    }
  })

  it('refuses a start now or in the past with 400 on start_time', async () => {
    for (const start of [START.getTime(), START.getTime() - HOUR]) {
      const response = await reserve(customer, {
        business: biz.id,
        start_time: new Date(start).toISOString(),
        end_time: new Date(start + HOUR).toISOString(),
      })
      expect(response.statusCode, response.body).toBe(400)
      expect(Object.keys(response.json().errors)).toEqual(['start_time'])
    }
  })

  it('refuses times without an offset, dates alone and impossible days with 400', async () => {
    const { end_time } = nextPeriod()
    for (const start_time of ['2026-07-01T10:00:00', '2026-07-01', '2026-02-30T10:00:00Z', 'soon']) {
      const response = await reserve(customer, { business: biz.id, start_time, end_time })
      expect(response.statusCode, start_time).toBe(400)
      expect(response.json().errors, start_time).toHaveProperty('start_time')
    }
  })

  it('reports every invalid field at once', async () => {
    const unknown = await reserve(customer, {
      business: '00000000-0000-4000-8000-000000000000',
      start_time: '2026-02-01T10:00:00Z',
      end_time: '2026-02-01T09:00:00Z',
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().code).toBe('validation_error')
    expect(Object.keys(unknown.json().errors).sort()).toEqual(['business', 'end_time', 'start_time'])

    const badStaff = await reserve(customer, {
      business: biz.id,
      staff: stranger.id,
      start_time: '2026-02-01T10:00:00Z',
      end_time: '2026-02-01T10:01:00Z',
    })
    expect(Object.keys(badStaff.json().errors).sort()).toEqual(['end_time', 'staff', 'start_time'])

    const missing = await reserve(customer, { notes: 'x'.repeat(2001) })
    expect(missing.statusCode).toBe(400)
    expect(Object.keys(missing.json().errors).sort()).toEqual(['business', 'end_time', 'notes', 'start_time'])
  })

  it('refuses a staff member who is not a member of that business with 400 on staff', async () => {
    for (const staff of [stranger.id, other.agent.id]) {
      const response = await reserve(customer, { business: biz.id, staff, ...nextPeriod() })
      expect(response.statusCode, response.body).toBe(400)
      expect(Object.keys(response.json().errors)).toEqual(['staff'])
    }
  })

  it('refuses an unknown, deleted or inactive business with 400 on business', async () => {
    const owner = await makeUser(ctx.app)
    const deleted = await createBusinessAs(ctx.app, owner)
    const removed = await call({ method: 'DELETE', url: `/api/businesses/${deleted}/`, headers: owner.auth })
    expect(removed.statusCode, removed.body).toBe(200)
    const inactive = await createBusinessAs(ctx.app, owner)
    const paused = await call({
      method: 'PATCH',
      url: `/api/businesses/${inactive}/`,
      headers: { ...owner.auth, 'x-business-id': inactive },
      payload: { is_active: false },
    })
    expect(paused.statusCode, paused.body).toBe(200)
    for (const business of ['00000000-0000-4000-8000-000000000000', deleted, inactive]) {
      const response = await reserve(customer, { business, ...nextPeriod() })
      expect(response.statusCode, response.body).toBe(400)
      expect(Object.keys(response.json().errors)).toEqual(['business'])
    }
  })

  it('lets staff of the business (any role) and platform admins reserve for a customer', async () => {
    for (const booker of [biz.agent, biz.manager, biz.owner, platformAdmin]) {
      const out = await reserved(booker, { business: biz.id, customer: customer.id, ...nextPeriod() })
      expect(out.customer.id, booker.username).toBe(customer.id)
      const [created] = await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, out.id), eq(auditLog.action, 'create')))
      expect(created?.actorId).toBe(booker.id)
    }
  })

  it('refuses a customer reserving for someone else with 403, also staff of another business', async () => {
    for (const booker of [stranger, other.owner]) {
      const response = await reserve(booker, { business: biz.id, customer: customer.id, ...nextPeriod() })
      expect(response.statusCode, response.body).toBe(403)
      expect(response.json().code).toBe('permission_denied')
    }
    // Naming oneself is reserving for oneself.
    const own = await reserved(stranger, { business: biz.id, customer: stranger.id, ...nextPeriod() })
    expect(own.customer.id).toBe(stranger.id)
  })

  it('refuses an unknown customer with 400 on customer', async () => {
    const response = await reserve(biz.agent, {
      business: biz.id,
      customer: '00000000-0000-4000-8000-000000000000',
      ...nextPeriod(),
    })
    expect(response.statusCode, response.body).toBe(400)
    expect(Object.keys(response.json().errors)).toEqual(['customer'])
  })

  it('needs a login', async () => {
    const response = await call({
      method: 'POST',
      url: '/api/reservations/',
      payload: { business: biz.id, ...nextPeriod() },
    })
    expect(response.statusCode).toBe(401)
  })
})

describe('GET /api/reservations/{id}/', () => {
  it('shows a reservation to its customer, every staff role of its business and platform admins', async () => {
    const out = await fresh()
    for (const user of [customer, biz.agent, biz.manager, biz.admin, biz.owner, platformAdmin]) {
      const response = await detail(user, out.id)
      expect(response.statusCode, user.username).toBe(200)
      expect(response.json().data).toEqual(out)
    }
  })

  it('answers 404 to another customer, staff of another business and for an unknown id', async () => {
    const out = await fresh()
    for (const user of [stranger, other.owner]) expect((await detail(user, out.id)).statusCode).toBe(404)
    expect((await detail(biz.owner, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
  })
})

describe('PATCH /api/reservations/{id}/', () => {
  it('lets the customer change times and notes while pending, and audits the changed fields', async () => {
    const out = await fresh({ notes: 'first' })
    const moved = nextPeriod(90 * MINUTE)
    clock.advance(1000)
    try {
      const response = await patch(customer, out.id, { ...moved, notes: 'second' })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json().message).toBeTruthy()
      expect(response.json().data).toMatchObject({ ...moved, notes: 'second', status: 'pending' })
      expect(response.json().data.updated_at).toBe(clock.now().toISOString())
    } finally {
      clock.set(START)
    }
    const [update] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, out.id), eq(auditLog.action, 'update')))
    expect(update?.actorId).toBe(customer.id)
    expect(update?.changes).toEqual({
      start_time: [out.start_time, moved.start_time],
      end_time: [out.end_time, moved.end_time],
      notes: ['first', 'second'],
    })
  })

  it('refuses the customer a staff change with 403, and ignores status', async () => {
    const out = await fresh()
    const refused = await patch(customer, out.id, { staff: biz.agent.id })
    expect(refused.statusCode, refused.body).toBe(403)
    const ignored = await patch(customer, out.id, { status: 'confirmed', notes: 'hello' })
    expect(ignored.statusCode, ignored.body).toBe(200)
    expect(ignored.json().data).toMatchObject({ status: 'pending', notes: 'hello', staff: null })
  })

  it('refuses the customer once the reservation is no longer pending with 409 not_editable', async () => {
    const confirmed = await fresh()
    await act(biz.agent, confirmed.id, 'confirm')
    const cancelled = await fresh()
    await act(customer, cancelled.id, 'cancel')
    for (const id of [confirmed.id, cancelled.id]) {
      const response = await patch(customer, id, { notes: 'late change' })
      expect(response.statusCode, response.body).toBe(409)
      expect(response.json().code).toBe('not_editable')
    }
  })

  it('lets staff change times, notes and the staff member, also once confirmed', async () => {
    const out = await fresh()
    await act(biz.manager, out.id, 'confirm')
    const moved = nextPeriod()
    const response = await patch(biz.agent, out.id, { ...moved, staff: biz.manager.id, notes: 'by staff' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toMatchObject({
      ...moved,
      staff: { id: biz.manager.id, username: biz.manager.username },
      notes: 'by staff',
      status: 'confirmed',
    })
    const back = await patch(biz.agent, out.id, { staff: null })
    expect(back.statusCode, back.body).toBe(200)
    expect(back.json().data.staff).toBeNull()
  })

  it('applies the period rules to the resulting period', async () => {
    const out = await fresh()
    const start = new Date(out.start_time).getTime()
    const cases: [Record<string, string>, string][] = [
      [{ end_time: out.start_time }, 'end_time'],
      [{ end_time: new Date(start + 12 * HOUR + MINUTE).toISOString() }, 'end_time'],
      [{ start_time: new Date(start + HOUR - 4 * MINUTE).toISOString() }, 'end_time'],
      [{ start_time: '2026-02-01T10:00:00Z', end_time: '2026-02-01T11:00:00Z' }, 'start_time'],
      [{ start_time: '2026-07-01T10:00:00' }, 'start_time'],
    ]
    for (const [payload, field] of cases) {
      const response = await patch(biz.owner, out.id, payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(Object.keys(response.json().errors), JSON.stringify(payload)).toEqual([field])
    }
    const staff = await patch(biz.owner, out.id, { staff: other.agent.id })
    expect(Object.keys(staff.json().errors)).toEqual(['staff'])
  })

  it('lets staff extend a reservation under way (the start is checked only when it changes)', async () => {
    const out = await fresh()
    clock.set(new Date(new Date(out.start_time).getTime() + 30 * MINUTE))
    try {
      const end = new Date(new Date(out.end_time).getTime() + 30 * MINUTE).toISOString()
      const response = await patch(biz.agent, out.id, { end_time: end })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json().data.end_time).toBe(end)
    } finally {
      clock.set(START)
    }
  })

  it('records no audit row for a change that changes nothing', async () => {
    const out = await fresh({ notes: 'same' })
    const response = await patch(customer, out.id, { notes: 'same', start_time: out.start_time })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.updated_at).toBe(out.updated_at)
    const rows = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, out.id), eq(auditLog.action, 'update')))
    expect(rows).toEqual([])
  })

  it('answers 404 to another customer and to staff of another business', async () => {
    const out = await fresh()
    for (const user of [stranger, other.owner]) {
      expect((await patch(user, out.id, { notes: 'mine now' })).statusCode).toBe(404)
    }
  })
})

describe('status transitions', () => {
  it('moves pending → confirmed → completed, and pending or confirmed → cancelled', async () => {
    const out = await fresh()
    expect((await act(biz.agent, out.id, 'confirm')).json().data.status).toBe('confirmed')
    expect((await act(biz.agent, out.id, 'complete')).json().data.status).toBe('completed')
    const pending = await fresh()
    expect((await act(biz.manager, pending.id, 'cancel')).json().data.status).toBe('cancelled')
    const confirmed = await fresh()
    await act(biz.owner, confirmed.id, 'confirm')
    const cancelled = await act(customer, confirmed.id, 'cancel')
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expect(cancelled.json().data.status).toBe('cancelled')
  })

  it('answers 409 invalid_transition for every other move', async () => {
    const expectInvalid = async (id: string, action: 'confirm' | 'complete' | 'cancel') => {
      const response = await act(biz.owner, id, action)
      expect(response.statusCode, `${action}: ${response.body}`).toBe(409)
      expect(response.json().code).toBe('invalid_transition')
    }
    const pending = await fresh()
    await expectInvalid(pending.id, 'complete')
    const confirmed = await fresh()
    await act(biz.owner, confirmed.id, 'confirm')
    await expectInvalid(confirmed.id, 'confirm')
    const completed = await fresh()
    await act(biz.owner, completed.id, 'confirm')
    await act(biz.owner, completed.id, 'complete')
    const cancelled = await fresh()
    await act(biz.owner, cancelled.id, 'cancel')
    for (const id of [completed.id, cancelled.id])
      for (const action of ['confirm', 'complete', 'cancel'] as const) await expectInvalid(id, action)
  })

  it('lets every staff role and platform admins act; the customer gets 403 on confirm and complete', async () => {
    const out = await fresh()
    expect((await act(customer, out.id, 'confirm')).statusCode).toBe(403)
    expect((await act(biz.agent, out.id, 'confirm')).statusCode).toBe(200)
    expect((await act(customer, out.id, 'complete')).statusCode).toBe(403)
    expect((await act(platformAdmin, out.id, 'complete')).statusCode).toBe(200)
  })

  it('answers 404 to another customer and to staff of another business', async () => {
    const out = await fresh()
    for (const user of [stranger, other.owner])
      for (const action of ['confirm', 'complete', 'cancel'] as const)
        expect((await act(user, out.id, action)).statusCode, `${user.username} ${action}`).toBe(404)
    expect((await detail(customer, out.id)).json().data.status).toBe('pending')
  })

  it('lets the customer cancel until the start, then 409 too_late; staff can still cancel', async () => {
    const early = await fresh()
    const late = await fresh({ start_time: early.start_time, end_time: early.end_time, staff: biz.agent.id })
    try {
      clock.set(new Date(early.start_time))
      for (const id of [early.id, late.id]) {
        const refused = await act(customer, id, 'cancel')
        expect(refused.statusCode, refused.body).toBe(409)
        expect(refused.json().code).toBe('too_late')
      }
      const byStaff = await act(biz.agent, late.id, 'cancel')
      expect(byStaff.statusCode, byStaff.body).toBe(200)
      expect(byStaff.json().data.status).toBe('cancelled')
      // Cancelled already: cancelling again is an invalid move, whatever the time.
      const again = await act(customer, late.id, 'cancel')
      expect(again.statusCode, again.body).toBe(409)
      expect(again.json().code).toBe('invalid_transition')
    } finally {
      clock.set(START)
    }
  })
})

describe('DELETE /api/reservations/{id}/', () => {
  it('cancels: 200 with data null, and the reservation stays readable as cancelled', async () => {
    const out = await fresh()
    const response = await call({
      method: 'DELETE',
      url: `/api/reservations/${out.id}/`,
      headers: customer.auth,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ data: null, message: expect.any(String) })
    expect((await detail(customer, out.id)).json().data.status).toBe('cancelled')
    const again = await call({
      method: 'DELETE',
      url: `/api/reservations/${out.id}/`,
      headers: biz.owner.auth,
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('invalid_transition')
  })

  it('follows the cancel rules: too_late for the customer after the start, 404 for others', async () => {
    const out = await fresh()
    const remove = (user: TestUser) =>
      call({ method: 'DELETE', url: `/api/reservations/${out.id}/`, headers: user.auth })
    expect((await remove(stranger)).statusCode).toBe(404)
    try {
      clock.set(new Date(new Date(out.start_time).getTime() + MINUTE))
      expect((await remove(customer)).json().code).toBe('too_late')
      expect((await remove(biz.agent)).statusCode).toBe(200)
    } finally {
      clock.set(START)
    }
  })
})

describe('audit', () => {
  it('records the creation, the update and every status change of a reservation', async () => {
    const out = await fresh({ staff: biz.agent.id, notes: 'note' })
    clock.advance(1000)
    await patch(biz.manager, out.id, { notes: 'changed' })
    clock.advance(1000)
    await act(biz.agent, out.id, 'confirm')
    clock.advance(1000)
    await call({ method: 'DELETE', url: `/api/reservations/${out.id}/`, headers: customer.auth })
    clock.set(START)
    const rows = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'reservation'), eq(auditLog.entityId, out.id)))
      .orderBy(asc(auditLog.at))
    expect(rows.map((row) => [row.action, row.actorId, row.businessId, row.changes])).toEqual([
      [
        'create',
        customer.id,
        biz.id,
        {
          business: [null, biz.id],
          customer: [null, customer.id],
          staff: [null, biz.agent.id],
          start_time: [null, out.start_time],
          end_time: [null, out.end_time],
          status: [null, 'pending'],
          notes: [null, 'note'],
        },
      ],
      ['update', biz.manager.id, biz.id, { notes: ['note', 'changed'] }],
      ['status_change', biz.agent.id, biz.id, { status: ['pending', 'confirmed'] }],
      ['status_change', customer.id, biz.id, { status: ['confirmed', 'cancelled'] }],
    ])
  })

  it('records nothing for a refused reservation, change or move', async () => {
    const count = async () =>
      (await db().select().from(auditLog).where(eq(auditLog.entity, 'reservation'))).length
    const before = await count()
    await reserve(customer, {
      business: biz.id,
      start_time: '2026-02-01T10:00:00Z',
      end_time: '2026-02-01T11:00:00Z',
    })
    const out = await fresh()
    await reserve(stranger, { business: biz.id, start_time: out.start_time, end_time: out.end_time })
    await patch(customer, out.id, { staff: biz.agent.id })
    await act(customer, out.id, 'confirm')
    await act(biz.owner, out.id, 'complete')
    expect((await count()) - before).toBe(1)
  })
})
