// Session schedules and slots (API.md, "Session schedules and slots"): the schedule on create, PATCH,
// bulk, detail, list, audit and export; its rules; and GET /api/sessions/{id}/slots/ with seats left,
// DST days, the window's rules, and booked slots a schedule change left behind.
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Schedule } from '../../../src/modules/catalog/schedule.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { book, makeSession, requestBooking, type SessionOut } from '../../helpers/factories.js'

const clock = new ManualClock(new Date('2027-03-20T12:00:00Z'))
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const call = (options: InjectOptions) => ctx.app.inject(options)

const MON_THU: Schedule = {
  weekly: [
    { weekday: 'mon', times: ['09:00', '18:30'] },
    { weekday: 'thu', times: ['07:15'] },
  ],
  starts_on: '2027-03-01',
  ends_on: '2027-06-30',
  exceptions: ['2027-04-01'],
}

let owner: TestUser
let customer: TestUser
let business: string

async function businessIn(user: TestUser, timezone: string): Promise<string> {
  const response = await call({
    method: 'POST',
    url: '/api/businesses/',
    headers: user.auth,
    payload: { name: uniqueName('Studio '), timezone },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data.id
}

beforeAll(async () => {
  ;[owner, customer] = await Promise.all([makeUser(ctx.app), makeUser(ctx.app)])
  business = await businessIn(owner, 'Europe/London')
})

const scheduled = (schedule: Schedule | null, fields: Record<string, unknown> = {}) =>
  makeSession(
    ctx.app,
    owner,
    { title: 'Circuits', duration: 45, max_participants: 3, schedule, ...fields },
    { business },
  )

async function slots(session: string, query = '') {
  const response = await call({ url: `/api/sessions/${session}/slots/${query}` })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data as {
    start: string
    end: string
    capacity: number
    booked: number
    seats_left: number
    scheduled: boolean
  }[]
}

const patch = (session: string, payload: Record<string, unknown>) =>
  call({
    method: 'PATCH',
    url: `/api/sessions/${session}/`,
    headers: { ...owner.auth, 'x-business-id': business },
    payload,
  })

describe('a session schedule', () => {
  it('is kept and shown in the detail, the list, the audit trail and the export', async () => {
    const session = await scheduled(MON_THU)
    expect(session.schedule).toEqual(MON_THU)
    const detail = await call({ url: `/api/sessions/${session.id}/` })
    expect(detail.json().data.schedule).toEqual(MON_THU)
    const list = await call({ url: `/api/sessions/?business=${session.business.slug}` })
    expect(list.json().data.find((row: SessionOut) => row.id === session.id).schedule).toEqual(MON_THU)
    const audit = await call({
      url: `/api/audit-log/?entity=session&entity_id=${session.id}`,
      headers: { ...owner.auth, 'x-business-id': business },
    })
    expect(audit.json().data[0].changes.schedule).toEqual([null, MON_THU])
    const exported = await call({
      url: '/api/sessions/export/?format=json',
      headers: { ...owner.auth, 'x-business-id': business },
    })
    const row = exported.json().find((item: { id: string }) => item.id === session.id)
    expect(JSON.parse(row.schedule)).toEqual(MON_THU)
    expect((await scheduled(null)).schedule).toBeNull()
  })

  it('changes and goes away through PATCH and bulk', async () => {
    const session = await scheduled(null)
    const set = await patch(session.id, { schedule: MON_THU })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json().data.schedule).toEqual(MON_THU)
    const bulk = await call({
      method: 'POST',
      url: '/api/sessions/bulk/',
      headers: { ...owner.auth, 'x-business-id': business },
      payload: { update: [{ id: session.id, schedule: null }] },
    })
    expect(bulk.statusCode, bulk.body).toBe(200)
    expect(bulk.json().data.updated[0].schedule).toBeNull()
  })

  it('refuses weekday names, times and dates it cannot read, and names the rules it breaks', async () => {
    const refused = async (schedule: unknown, field: string) => {
      const response = await patch((await scheduled(null)).id, { schedule })
      expect(response.statusCode, response.body).toBe(400)
      expect(Object.keys(response.json().errors)).toContain(field)
    }
    await refused(
      { ...MON_THU, weekly: [{ weekday: 'monday', times: ['09:00'] }] },
      'schedule.weekly[0].weekday',
    )
    await refused(
      { ...MON_THU, weekly: [{ weekday: 'mon', times: ['9:00'] }] },
      'schedule.weekly[0].times[0]',
    )
    await refused({ ...MON_THU, starts_on: '2027-02-30' }, 'schedule.starts_on')
    await refused({ ...MON_THU, ends_on: '2027-02-01' }, 'schedule.ends_on')
    await refused(
      { ...MON_THU, weekly: [...MON_THU.weekly, { weekday: 'mon', times: ['10:00'] }] },
      'schedule.weekly',
    )
    const every = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((weekday) => ({
      weekday,
      times: Array.from({ length: 8 }, (_, hour) => `${String(hour + 8).padStart(2, '0')}:00`),
    }))
    await refused({ ...MON_THU, weekly: every }, 'schedule.weekly')
    const days = Array.from({ length: 367 }, (_, day) =>
      new Date(Date.UTC(2027, 0, 1 + day)).toISOString().slice(0, 10),
    )
    await refused({ ...MON_THU, exceptions: days }, 'schedule.exceptions')
    const bulk = await call({
      method: 'POST',
      url: '/api/sessions/bulk/',
      headers: { ...owner.auth, 'x-business-id': business },
      payload: {
        create: [
          {
            title: 'A',
            duration: 30,
            price: '5.00',
            max_participants: 2,
            schedule: { ...MON_THU, ends_on: '2027-01-01' },
          },
        ],
      },
    })
    expect(bulk.statusCode, bulk.body).toBe(400)
    expect(bulk.json().errors).toHaveProperty(['create[0].schedule.ends_on'])
  })
})

describe('GET /api/sessions/{id}/slots/', () => {
  it('lists today and the next 13 days by default, in local time across the spring DST change', async () => {
    const session = await scheduled(MON_THU)
    const listed = await slots(session.id)
    expect(listed.map((slot) => slot.start)).toEqual([
      '2027-03-22T09:00:00.000Z',
      '2027-03-22T18:30:00.000Z',
      '2027-03-25T07:15:00.000Z',
      '2027-03-29T08:00:00.000Z',
      '2027-03-29T17:30:00.000Z',
    ])
    expect(listed[0]).toEqual({
      start: '2027-03-22T09:00:00.000Z',
      end: '2027-03-22T09:45:00.000Z',
      capacity: 3,
      booked: 0,
      held: 0,
      seats_left: 3,
      waiting: 0,
      scheduled: true,
    })
    const april = await slots(session.id, '?from=2027-03-29&to=2027-04-05')
    expect(april.map((slot) => slot.start)).not.toContain('2027-04-01T06:15:00.000Z')
  })

  it('counts pending and confirmed bookings in seats left, and leaves past slots out', async () => {
    const session = await scheduled(MON_THU)
    await book(ctx.app, customer, session.id, '2027-03-22T09:00:00.000Z')
    const [first] = await slots(session.id)
    expect(first).toMatchObject({ start: '2027-03-22T09:00:00.000Z', booked: 1, seats_left: 2 })
    clock.set(new Date('2027-03-22T09:00:00Z'))
    expect((await slots(session.id))[0]?.start).toBe('2027-03-22T18:30:00.000Z')
    clock.set(new Date('2027-03-20T12:00:00Z'))
  })

  it('keeps booked slots listed, unscheduled, after the schedule changes or goes', async () => {
    const session = await scheduled(MON_THU)
    await book(ctx.app, customer, session.id, '2027-03-25T07:15:00.000Z')
    expect(
      (await patch(session.id, { schedule: { ...MON_THU, weekly: [{ weekday: 'fri', times: ['12:00'] }] } }))
        .statusCode,
    ).toBe(200)
    const listed = await slots(session.id, '?from=2027-03-25&to=2027-03-26')
    expect(listed).toEqual([
      expect.objectContaining({ start: '2027-03-25T07:15:00.000Z', booked: 1, scheduled: false }),
      expect.objectContaining({ start: '2027-03-26T12:00:00.000Z', booked: 0, scheduled: true }),
    ])
    expect((await patch(session.id, { schedule: null })).statusCode).toBe(200)
    expect(await slots(session.id, '?from=2027-03-25&to=2027-03-26')).toEqual([
      expect.objectContaining({
        start: '2027-03-25T07:15:00.000Z',
        booked: 1,
        seats_left: 2,
        scheduled: false,
      }),
    ])
  })

  it('takes a window of at most 92 days, from its first day to its last', async () => {
    const session = await scheduled(MON_THU)
    expect(await slots(session.id, '?from=2027-04-01&to=2027-07-01')).toHaveLength(38)
    for (const [query, field] of [
      ['?from=2027-04-01&to=2027-07-02', 'to'],
      ['?from=2027-04-02&to=2027-04-01', 'to'],
      ['?from=2027-02-30', 'from'],
      ['?to=tomorrow', 'to'],
    ] as const) {
      const response = await call({ url: `/api/sessions/${session.id}/slots/${query}` })
      expect(response.statusCode, query).toBe(400)
      expect(response.json().errors, query).toHaveProperty(field)
    }
  })

  it('answers 404 for a session the caller may not see', async () => {
    const closed = await scheduled(MON_THU, { status: 'inactive' })
    expect((await call({ url: `/api/sessions/${closed.id}/slots/` })).statusCode).toBe(404)
    const staff = await call({
      url: `/api/sessions/${closed.id}/slots/`,
      headers: { ...owner.auth, 'x-business-id': business },
    })
    expect(staff.statusCode).toBe(200)
  })
})

describe('booking a scheduled session', () => {
  it('takes a scheduled start and refuses any other instant with 400 on booking_date', async () => {
    const session = await scheduled(MON_THU)
    await book(ctx.app, customer, session.id, '2027-03-22T18:30:00.000Z')
    for (const instant of [
      '2027-03-22T18:31:00.000Z',
      '2027-03-23T09:00:00.000Z',
      '2027-04-01T06:15:00.000Z',
    ]) {
      const refused = await requestBooking(ctx.app, customer, session.id, instant)
      expect(refused.statusCode, instant).toBe(400)
      expect(refused.json().errors, instant).toHaveProperty('booking_date')
    }
    const unscheduled = await scheduled(null)
    expect(
      (await requestBooking(ctx.app, customer, unscheduled.id, '2027-03-23T09:07:00.000Z')).statusCode,
    ).toBe(201)
  })

  it('books local times across the DST changes of London and New York', async () => {
    const daily: Schedule = {
      weekly: ['sun', 'mon'].map((weekday) => ({ weekday: weekday as 'sun', times: ['01:30', '09:00'] })),
      starts_on: '2027-03-01',
      ends_on: null,
      exceptions: [],
    }
    const london = await scheduled(daily)
    // 28 March 2027: 01:30 does not exist in London; 09:00 is 08:00 UTC.
    expect((await requestBooking(ctx.app, customer, london.id, '2027-03-28T01:30:00.000Z')).statusCode).toBe(
      400,
    )
    expect((await requestBooking(ctx.app, customer, london.id, '2027-03-28T08:00:00.000Z')).statusCode).toBe(
      201,
    )
    const newYork = await call({
      method: 'POST',
      url: '/api/sessions/',
      headers: { ...owner.auth, 'x-business-id': await businessIn(owner, 'America/New_York') },
      payload: {
        title: 'Spin',
        duration: 45,
        price: '9.00',
        max_participants: 4,
        schedule: { ...daily, starts_on: '2027-11-01' },
      },
    })
    const id = newYork.json().data.id
    // 7 November 2027: 01:30 happens twice in New York; the slot is the first (EDT, 05:30 UTC).
    expect((await requestBooking(ctx.app, customer, id, '2027-11-07T06:30:00.000Z')).statusCode).toBe(400)
    expect((await requestBooking(ctx.app, customer, id, '2027-11-07T05:30:00.000Z')).statusCode).toBe(201)
    expect((await requestBooking(ctx.app, customer, id, '2027-11-07T14:00:00.000Z')).statusCode).toBe(201)
  })

  it('follows the schedule as it is when booking, and keeps the seats of a changed one', async () => {
    const session = await scheduled(MON_THU)
    await book(ctx.app, customer, session.id, '2027-03-25T07:15:00.000Z')
    expect(
      (await patch(session.id, { schedule: { ...MON_THU, weekly: [{ weekday: 'fri', times: ['12:00'] }] } }))
        .statusCode,
    ).toBe(200)
    const other = await makeUser(ctx.app)
    expect((await requestBooking(ctx.app, other, session.id, '2027-03-25T07:15:00.000Z')).statusCode).toBe(
      400,
    )
    expect((await requestBooking(ctx.app, other, session.id, '2027-03-26T12:00:00.000Z')).statusCode).toBe(
      201,
    )
    expect((await patch(session.id, { schedule: null })).statusCode).toBe(200)
    expect((await requestBooking(ctx.app, other, session.id, '2027-03-25T07:15:00.000Z')).statusCode).toBe(
      201,
    )
  })
})
