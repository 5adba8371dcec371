// GET /api/businesses/{id}/availability/: free start times from the opening hours minus the calendar's
// pending and confirmed reservations, in the business's timezone (DST days included), the past left
// out, and the validation of the query. Reservations are inserted directly; time moves only through
// the ManualClock, and access tokens live long enough for its jumps.
import { randomUUID } from 'node:crypto'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { reservations } from '../../../src/modules/reservations/tables.js'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeUser, type TestUser, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs } from '../../helpers/tenants.js'

const START = new Date('2026-01-01T00:00:00Z')
const clock = new ManualClock(START)
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock } })
const call = (options: InjectOptions) => ctx.app.inject(options)

type Hours = Record<string, [string, string][]>
const CLOSED: Hours = {
  monday: [],
  tuesday: [],
  wednesday: [],
  thursday: [],
  friday: [],
  saturday: [],
  sunday: [],
}

let owner: TestUser
let staff: TestUser
let otherStaff: TestUser
let customer: TestUser
let outsider: TestUser
beforeAll(async () => {
  owner = await makeUser(ctx.app)
  staff = await makeUser(ctx.app)
  otherStaff = await makeUser(ctx.app)
  customer = await makeUser(ctx.app)
  outsider = await makeUser(ctx.app)
})

async function newBusiness(timezone: string, opening_hours?: Hours): Promise<string> {
  const response = await call({
    method: 'POST',
    url: '/api/businesses/',
    headers: owner.auth,
    payload: { name: uniqueName('Salon '), timezone, ...(opening_hours && { opening_hours }) },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data.id
}

const availability = (businessId: string, query: string, headers = {}) =>
  call({ url: `/api/businesses/${businessId}/availability/?${query}`, headers })

async function slots(businessId: string, query: string): Promise<string[]> {
  const response = await availability(businessId, query)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.slots
}

/** Local times `from`..`to` (inclusive) every `step` minutes on `date`, with a fixed offset. */
function times(date: string, offset: string, from: string, to: string, step = 15): string[] {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3))
  const out: string[] = []
  for (let at = minutes(from); at <= minutes(to); at += step) {
    const hhmm = `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`
    out.push(`${date}T${hhmm}:00${offset}`)
  }
  return out
}

const without = (all: string[], ...gone: string[]) => {
  for (const slot of gone) expect(all, slot).toContain(slot)
  return all.filter((slot) => !gone.includes(slot))
}

type ReservationRow = {
  start: string
  end: string
  staffId?: string | null
  status?: 'pending' | 'confirmed' | 'cancelled' | 'completed'
  isDeleted?: boolean
}

async function reserve(businessId: string, ...rows: ReservationRow[]) {
  await ctx.app.deps.database.db.insert(reservations).values(
    rows.map((row) => ({
      businessId,
      customerId: customer.id,
      staffId: row.staffId ?? null,
      startTime: new Date(row.start),
      endTime: new Date(row.end),
      status: row.status ?? 'pending',
      isDeleted: row.isDeleted ?? false,
    })),
  )
}

describe('opening hours', () => {
  it('default hours: Monday to Saturday 09:00-18:00 local, Sunday closed; offsets follow the season', async () => {
    const london = await newBusiness('Europe/London')
    const response = await availability(london, 'date=2026-03-30')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({
      data: {
        date: '2026-03-30',
        timezone: 'Europe/London',
        duration: 30,
        staff: null,
        slots: times('2026-03-30', '+01:00', '09:00', '17:30'),
      },
    })
    expect(await slots(london, 'date=2026-01-05')).toEqual(times('2026-01-05', '+00:00', '09:00', '17:30'))
    expect(await slots(london, 'date=2026-03-28&duration=60')).toEqual(
      times('2026-03-28', '+00:00', '09:00', '17:00'),
    )
    expect(await slots(london, 'date=2026-04-05')).toEqual([])
    // Nine hours open: a twelve-hour reservation never fits.
    expect(await slots(london, 'date=2026-03-30&duration=720')).toEqual([])
    expect(await slots(london, 'date=2026-03-30&duration=540')).toEqual(['2026-03-30T09:00:00+01:00'])
  })

  it('custom hours: every 15 minutes from each interval’s own open time while the reservation fits', async () => {
    const id = await newBusiness('Asia/Tokyo', {
      ...CLOSED,
      wednesday: [
        ['08:00', '12:00'],
        ['13:10', '15:00'],
      ],
    })
    expect(await slots(id, 'date=2026-06-03&duration=45')).toEqual([
      ...times('2026-06-03', '+09:00', '08:00', '11:15'),
      ...times('2026-06-03', '+09:00', '13:10', '14:10'),
    ])
  })

  it('a day closed in the opening hours gives no slots', async () => {
    const id = await newBusiness('Europe/Paris', { ...CLOSED, thursday: [['10:00', '11:00']] })
    expect(await slots(id, 'date=2026-06-03')).toEqual([])
    expect(await slots(id, 'date=2026-06-04')).toEqual(times('2026-06-04', '+02:00', '10:00', '10:30'))
  })

  it('follows a change of the opening hours', async () => {
    const id = await newBusiness('UTC')
    expect(await slots(id, 'date=2026-06-01&duration=60')).toHaveLength(33)
    const response = await call({
      method: 'PATCH',
      url: `/api/businesses/${id}/`,
      headers: owner.auth,
      payload: { opening_hours: { ...CLOSED, monday: [['22:00', '24:00']] } },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(await slots(id, 'date=2026-06-01&duration=60')).toEqual(
      times('2026-06-01', '+00:00', '22:00', '23:00'),
    )
  })
})

describe('reservations', () => {
  it('excludes slots overlapping a pending or confirmed reservation, edges half-open', async () => {
    const id = await newBusiness('Europe/London')
    // 10:00-11:00 and 14:00-14:20 local (BST) on Monday 2026-06-01.
    await reserve(
      id,
      { start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z' },
      { start: '2026-06-01T13:00:00Z', end: '2026-06-01T13:20:00Z', status: 'confirmed' },
    )
    const day = times('2026-06-01', '+01:00', '09:00', '17:30')
    const at = (hhmm: string) => `2026-06-01T${hhmm}:00+01:00`
    const free = await slots(id, 'date=2026-06-01')
    expect(free).toContain(at('09:30'))
    expect(free).toContain(at('11:00'))
    expect(free).toContain(at('13:30'))
    expect(free).toContain(at('14:30'))
    expect(free).toEqual(
      without(day, ...['09:45', '10:00', '10:15', '10:30', '10:45', '13:45', '14:00', '14:15'].map(at)),
    )
    expect(await slots(id, 'date=2026-06-01&duration=60')).toEqual(
      without(
        times('2026-06-01', '+01:00', '09:00', '17:00'),
        ...['09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45'].map(at),
        ...['13:15', '13:30', '13:45', '14:00', '14:15'].map(at),
      ),
    )
  })

  it('cancelled, completed and deleted reservations do not block', async () => {
    const id = await newBusiness('Europe/London')
    await reserve(
      id,
      { start: '2026-06-01T09:00:00Z', end: '2026-06-01T10:00:00Z', status: 'cancelled' },
      { start: '2026-06-01T11:00:00Z', end: '2026-06-01T12:00:00Z', status: 'completed' },
      { start: '2026-06-01T13:00:00Z', end: '2026-06-01T14:00:00Z', isDeleted: true },
      { start: '2026-06-01T14:00:00Z', end: '2026-06-01T15:00:00Z', status: 'confirmed', isDeleted: true },
    )
    expect(await slots(id, 'date=2026-06-01')).toEqual(times('2026-06-01', '+01:00', '09:00', '17:30'))
  })

  it('a reservation of another day or another business does not block', async () => {
    const id = await newBusiness('UTC')
    const other = await newBusiness('UTC')
    await reserve(id, { start: '2026-06-02T09:00:00Z', end: '2026-06-02T18:00:00Z' })
    await reserve(other, { start: '2026-06-01T09:00:00Z', end: '2026-06-01T18:00:00Z' })
    expect(await slots(id, 'date=2026-06-01')).toEqual(times('2026-06-01', '+00:00', '09:00', '17:30'))
    expect(await slots(id, 'date=2026-06-02')).toEqual([])
  })

  it('the business calendar and each staff member’s calendar are separate', async () => {
    const id = await newBusiness('UTC')
    await addMemberAs(ctx.app, owner, id, staff, 'agent')
    await addMemberAs(ctx.app, owner, id, otherStaff, 'manager')
    await reserve(
      id,
      { start: '2026-06-01T10:00:00Z', end: '2026-06-01T11:00:00Z', staffId: staff.id },
      { start: '2026-06-01T12:00:00Z', end: '2026-06-01T13:00:00Z' },
      { start: '2026-06-01T15:00:00Z', end: '2026-06-01T16:00:00Z', staffId: otherStaff.id },
    )
    const day = times('2026-06-01', '+00:00', '09:00', '17:30')
    const hour = (from: string) => times('2026-06-01', '+00:00', from, `${from.slice(0, 2)}:45`)
    const at = (hhmm: string) => `2026-06-01T${hhmm}:00+00:00`

    const business = await availability(id, 'date=2026-06-01')
    expect(business.json().data.staff).toBeNull()
    expect(business.json().data.slots).toEqual(without(day, at('11:45'), ...hour('12:00')))

    const mine = await availability(id, `date=2026-06-01&staff=${staff.id}`)
    expect(mine.statusCode, mine.body).toBe(200)
    expect(mine.json().data.staff).toBe(staff.id)
    expect(mine.json().data.slots).toEqual(without(day, at('09:45'), ...hour('10:00')))

    expect(await slots(id, `date=2026-06-01&staff=${otherStaff.id}`)).toEqual(
      without(day, at('14:45'), ...hour('15:00')),
    )
    // The owner is a member too, with a calendar of their own that is empty.
    expect(await slots(id, `date=2026-06-01&staff=${owner.id}`)).toEqual(day)
    // An empty staff parameter is the business calendar.
    expect(await slots(id, 'date=2026-06-01&staff=')).toEqual(business.json().data.slots)
  })
})

describe('the past', () => {
  it('leaves out start times at or before now', async () => {
    const id = await newBusiness('Europe/London')
    try {
      // 10:20 local (BST).
      clock.set(new Date('2026-06-01T09:20:00Z'))
      expect(await slots(id, 'date=2026-06-01')).toEqual(times('2026-06-01', '+01:00', '10:30', '17:30'))
      // Exactly 10:30 local: that start has come, 10:45 is the first.
      clock.set(new Date('2026-06-01T09:30:00Z'))
      expect(await slots(id, 'date=2026-06-01')).toEqual(times('2026-06-01', '+01:00', '10:45', '17:30'))
      expect(await slots(id, 'date=2026-05-30')).toEqual([])
      expect(await slots(id, 'date=2026-06-02')).toHaveLength(35)
      clock.set(new Date('2026-06-01T17:00:00Z'))
      expect(await slots(id, 'date=2026-06-01')).toEqual([])
    } finally {
      clock.set(START)
    }
  })
})

describe('daylight saving time', () => {
  const nightHours = (day: string): Hours => ({ ...CLOSED, [day]: [['00:00', '04:00']] })

  it('Europe/London springs forward: 01:00-01:59 does not exist, the night is an hour shorter', async () => {
    const id = await newBusiness('Europe/London', nightHours('sunday'))
    const night = [
      ...times('2026-03-29', '+00:00', '00:00', '00:45'),
      ...times('2026-03-29', '+01:00', '02:00', '03:30'),
    ]
    expect(await slots(id, 'date=2026-03-29')).toEqual(night)
    // Two real hours fit only until 01:00 UTC (02:00 BST): 02:00 + 2h = 04:00 BST, the close.
    expect(await slots(id, 'date=2026-03-29&duration=120')).toEqual([
      ...times('2026-03-29', '+00:00', '00:00', '00:45'),
      '2026-03-29T02:00:00+01:00',
    ])
    expect(await slots(id, 'date=2026-03-29&duration=240')).toEqual([])
    // A reservation 00:30-02:30 local is 00:30-01:30 UTC: one real hour.
    await reserve(id, { start: '2026-03-29T00:30:00Z', end: '2026-03-29T01:30:00Z' })
    expect(await slots(id, 'date=2026-03-29')).toEqual(
      without(
        night,
        '2026-03-29T00:15:00+00:00',
        '2026-03-29T00:30:00+00:00',
        '2026-03-29T00:45:00+00:00',
        '2026-03-29T02:00:00+01:00',
        '2026-03-29T02:15:00+01:00',
      ),
    )
  })

  it('Europe/London falls back: 01:00-01:59 happens twice, once per offset, the night an hour longer', async () => {
    const id = await newBusiness('Europe/London', nightHours('sunday'))
    const night = [
      ...times('2026-10-25', '+01:00', '00:00', '01:45'),
      ...times('2026-10-25', '+00:00', '01:00', '03:30'),
    ]
    expect(night).toHaveLength(19)
    expect(await slots(id, 'date=2026-10-25')).toEqual(night)
    // Five real hours, 23:00 to 04:00 UTC: exactly one five-hour slot.
    expect(await slots(id, 'date=2026-10-25&duration=300')).toEqual(['2026-10-25T00:00:00+01:00'])
    // The second 01:00-01:30 (GMT) is taken; the first (BST) stays free.
    await reserve(id, { start: '2026-10-25T01:00:00Z', end: '2026-10-25T01:30:00Z' })
    expect(await slots(id, 'date=2026-10-25')).toEqual(
      without(night, '2026-10-25T01:45:00+01:00', '2026-10-25T01:00:00+00:00', '2026-10-25T01:15:00+00:00'),
    )
  })

  it('America/New_York springs forward at 02:00 and falls back at 02:00', async () => {
    const id = await newBusiness('America/New_York', nightHours('sunday'))
    expect(await slots(id, 'date=2026-03-08')).toEqual([
      ...times('2026-03-08', '-05:00', '00:00', '01:45'),
      ...times('2026-03-08', '-04:00', '03:00', '03:30'),
    ])
    expect(await slots(id, 'date=2026-11-01')).toEqual([
      ...times('2026-11-01', '-04:00', '00:00', '01:45'),
      ...times('2026-11-01', '-05:00', '01:00', '03:30'),
    ])
    // Daytime hours on the change days and the days around them carry the offset of that instant.
    const daytime = await newBusiness('America/New_York', {
      ...CLOSED,
      saturday: [['09:00', '10:00']],
      sunday: [['09:00', '10:00']],
    })
    expect(await slots(daytime, 'date=2026-03-07')).toEqual(times('2026-03-07', '-05:00', '09:00', '09:30'))
    expect(await slots(daytime, 'date=2026-03-08')).toEqual(times('2026-03-08', '-04:00', '09:00', '09:30'))
    expect(await slots(daytime, 'date=2026-10-31')).toEqual(times('2026-10-31', '-04:00', '09:00', '09:30'))
    expect(await slots(daytime, 'date=2026-11-01')).toEqual(times('2026-11-01', '-05:00', '09:00', '09:30'))
  })

  it('an open or close time the spring-forward skips is reached at the jump', async () => {
    const opensInGap = await newBusiness('America/New_York', { ...CLOSED, sunday: [['02:30', '04:00']] })
    expect(await slots(opensInGap, 'date=2026-03-08')).toEqual(
      times('2026-03-08', '-04:00', '03:00', '03:30'),
    )
    const closesInGap = await newBusiness('Europe/London', { ...CLOSED, sunday: [['00:30', '01:30']] })
    expect(await slots(closesInGap, 'date=2026-03-29&duration=15')).toEqual(
      times('2026-03-29', '+00:00', '00:30', '00:45'),
    )
  })

  it('a close time the fall-back repeats is its second occurrence', async () => {
    const id = await newBusiness('Europe/London', { ...CLOSED, sunday: [['00:30', '01:30']] })
    // Open from 00:30 BST (23:30 UTC) to the second 01:30, in GMT (01:30 UTC): two real hours.
    expect(await slots(id, 'date=2026-10-25')).toEqual([
      ...times('2026-10-25', '+01:00', '00:30', '01:45'),
      '2026-10-25T01:00:00+00:00',
    ])
  })
})

describe('access and validation', () => {
  it('is public: no login needed, a logged-in caller gets the same', async () => {
    const id = await newBusiness('UTC')
    const anonymous = await availability(id, 'date=2026-06-01')
    const loggedIn = await availability(id, 'date=2026-06-01', outsider.auth)
    expect(anonymous.statusCode).toBe(200)
    expect(loggedIn.json()).toEqual(anonymous.json())
  })

  it('404 for an unknown, deleted or inactive business', async () => {
    expect((await availability(randomUUID(), 'date=2026-06-01')).statusCode).toBe(404)
    const inactive = await newBusiness('UTC')
    const deactivate = await call({
      method: 'PATCH',
      url: `/api/businesses/${inactive}/`,
      headers: owner.auth,
      payload: { is_active: false },
    })
    expect(deactivate.statusCode).toBe(200)
    expect((await availability(inactive, 'date=2026-06-01')).statusCode).toBe(404)
    const deleted = await newBusiness('UTC')
    const remove = await call({ method: 'DELETE', url: `/api/businesses/${deleted}/`, headers: owner.auth })
    expect(remove.statusCode).toBe(200)
    expect((await availability(deleted, 'date=2026-06-01')).statusCode).toBe(404)
  })

  it('400 naming each bad parameter', async () => {
    const id = await newBusiness('UTC')
    const other = await newBusiness('UTC')
    await addMemberAs(ctx.app, owner, other, otherStaff, 'agent')
    const cases: [string, string[]][] = [
      ['', ['date']],
      ['date=', ['date']],
      ['date=2026-02-29', ['date']],
      ['date=2026-04-31', ['date']],
      ['date=2026-13-01', ['date']],
      ['date=01-06-2026', ['date']],
      ['date=2026-06-01T09:00:00Z', ['date']],
      ['date=1969-12-31', ['date']],
      ['date=2026-06-01&duration=4', ['duration']],
      ['date=2026-06-01&duration=721', ['duration']],
      ['date=2026-06-01&duration=30.5', ['duration']],
      ['date=2026-06-01&duration=half', ['duration']],
      ['date=2026-13-01&duration=0', ['date', 'duration']],
      ['date=2026-06-01&staff=nobody', ['staff']],
      [`date=2026-06-01&staff=${outsider.id}`, ['staff']],
      [`date=2026-06-01&staff=${otherStaff.id}`, ['staff']],
      [`date=1969-12-31&staff=${randomUUID()}`, ['date', 'staff']],
    ]
    for (const [query, fields] of cases) {
      const response = await availability(id, query)
      expect(response.statusCode, query).toBe(400)
      expect(response.json().code, query).toBe('validation_error')
      expect(Object.keys(response.json().errors).sort(), query).toEqual(fields)
    }
    expect((await availability(id, 'date=2028-02-29')).statusCode).toBe(200)
    expect((await availability(id, 'date=2026-06-01&duration=5')).statusCode).toBe(200)
    expect((await availability(id, 'date=2026-06-01&duration=720')).statusCode).toBe(200)
  })
})
