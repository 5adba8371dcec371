// A business's opening_hours: the default, giving them at creation, changing them (owner/admin only,
// audited), and the validation of intervals, with every bad one named in `errors`.
import { and, eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../src/modules/audit/tables.js'
import { businesses, DEFAULT_OPENING_HOURS } from '../../../src/modules/businesses/tables.js'
import { makeAdmin, makeUser, type TestUser, uniqueName } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const ctx = useTestApp()
const db = () => ctx.app.deps.database.db
const call = (options: InjectOptions) => ctx.app.inject(options)

type Hours = Record<string, [string, string][]>
const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']

const SPLIT_WEEK: Hours = {
  monday: [
    ['08:00', '12:00'],
    ['13:00', '17:30'],
  ],
  tuesday: [['00:00', '24:00']],
  wednesday: [],
  thursday: [
    ['09:00', '12:00'],
    ['12:00', '18:00'],
  ],
  friday: [['10:15', '22:45']],
  saturday: [],
  sunday: [['11:00', '15:00']],
}

const create = (owner: TestUser, payload: Record<string, unknown>) =>
  call({ method: 'POST', url: '/api/businesses/', headers: owner.auth, payload })

const patch = (who: TestUser | null, id: string, payload: Record<string, unknown>, requestId?: string) =>
  call({
    method: 'PATCH',
    url: `/api/businesses/${id}/`,
    headers: { ...who?.auth, ...(requestId && { 'x-request-id': requestId }) },
    payload,
  })

const storedHours = async (id: string) => {
  const [row] = await db().select().from(businesses).where(eq(businesses.id, id))
  return row?.openingHours
}

/** The week with one day replaced. */
const weekWith = (day: string, intervals: unknown): Record<string, unknown> => ({
  ...DEFAULT_OPENING_HOURS,
  [day]: intervals,
})

describe('opening_hours on create and read', () => {
  it('defaults to Monday-Saturday 09:00-18:00, shown in weekday order in detail and list', async () => {
    const owner = await makeUser(ctx.app)
    const response = await create(owner, { name: uniqueName('Hours ') })
    expect(response.statusCode, response.body).toBe(201)
    const created = response.json().data
    expect(created.opening_hours).toEqual(DEFAULT_OPENING_HOURS)
    expect(Object.keys(created.opening_hours)).toEqual(WEEK)
    expect(created.opening_hours.sunday).toEqual([])

    const detail = await call({ url: `/api/businesses/${created.id}/`, headers: owner.auth })
    expect(detail.json().data.opening_hours).toEqual(DEFAULT_OPENING_HOURS)
    const list = await call({ url: '/api/businesses/', headers: owner.auth })
    expect(list.json().data[0].opening_hours).toEqual(DEFAULT_OPENING_HOURS)
  })

  it('takes them at creation (24:00 as a close, touching intervals) and audits them', async () => {
    const owner = await makeUser(ctx.app)
    const requestId = `hours-create-${uniqueName()}`
    const response = await call({
      method: 'POST',
      url: '/api/businesses/',
      headers: { ...owner.auth, 'x-request-id': requestId },
      payload: { name: uniqueName('Split '), opening_hours: SPLIT_WEEK },
    })
    expect(response.statusCode, response.body).toBe(201)
    const created = response.json().data
    expect(created.opening_hours).toEqual(SPLIT_WEEK)
    expect(await storedHours(created.id)).toEqual(SPLIT_WEEK)
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.requestId, requestId), eq(auditLog.entity, 'business')))
    expect(entry?.changes).toMatchObject({ opening_hours: [null, SPLIT_WEEK] })
  })

  it('refuses invalid hours at creation and creates nothing', async () => {
    const owner = await makeUser(ctx.app)
    const response = await create(owner, {
      name: uniqueName('Bad '),
      opening_hours: weekWith('monday', [['18:00', '09:00']]),
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual({
      'opening_hours.monday[0]': ['The opening time must be before the closing time.'],
    })
    const list = await call({ url: '/api/businesses/', headers: owner.auth })
    expect(list.json().data).toEqual([])
  })
})

describe('PATCH opening_hours', () => {
  let business: TenantBusiness
  let outsider: TestUser
  let platformAdmin: TestUser
  beforeAll(async () => {
    ;[business, outsider, platformAdmin] = await Promise.all([
      makeBusiness(ctx.app),
      makeUser(ctx.app),
      makeAdmin(ctx.app),
    ])
  })

  it('owner and admin change them; the audit row records the old and new week only', async () => {
    const requestId = `hours-${uniqueName()}`
    const response = await patch(business.owner, business.id, { opening_hours: SPLIT_WEEK }, requestId)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.opening_hours).toEqual(SPLIT_WEEK)
    expect(await storedHours(business.id)).toEqual(SPLIT_WEEK)
    const entries = await db().select().from(auditLog).where(eq(auditLog.requestId, requestId))
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ action: 'update', entity: 'business', entityId: business.id })
    expect(entries[0]?.changes).toEqual({ opening_hours: [DEFAULT_OPENING_HOURS, SPLIT_WEEK] })

    const closedSunday = { ...SPLIT_WEEK, sunday: [] }
    const byAdmin = await patch(business.admin, business.id, { opening_hours: closedSunday })
    expect(byAdmin.statusCode, byAdmin.body).toBe(200)
    expect(byAdmin.json().data.opening_hours).toEqual(closedSunday)

    const byPlatformAdmin = await patch(platformAdmin, business.id, { opening_hours: SPLIT_WEEK })
    expect(byPlatformAdmin.statusCode, byPlatformAdmin.body).toBe(200)
  })

  it('the same week again changes nothing and writes no audit row', async () => {
    expect((await patch(business.owner, business.id, { opening_hours: SPLIT_WEEK })).statusCode).toBe(200)
    const requestId = `hours-same-${uniqueName()}`
    const again = await patch(business.owner, business.id, { opening_hours: SPLIT_WEEK }, requestId)
    expect(again.statusCode).toBe(200)
    expect(await db().select().from(auditLog).where(eq(auditLog.requestId, requestId))).toEqual([])
  })

  it('manager and agent get 403, an outsider 404, an anonymous caller 401; nothing changes', async () => {
    const before = await storedHours(business.id)
    const change = { opening_hours: DEFAULT_OPENING_HOURS }
    expect((await patch(business.manager, business.id, change)).statusCode).toBe(403)
    expect((await patch(business.agent, business.id, change)).statusCode).toBe(403)
    expect((await patch(outsider, business.id, change)).statusCode).toBe(404)
    expect((await patch(null, business.id, change)).statusCode).toBe(401)
    expect(await storedHours(business.id)).toEqual(before)
  })

  it('a PATCH without opening_hours keeps them', async () => {
    const before = await storedHours(business.id)
    const response = await patch(business.owner, business.id, { name: uniqueName('Renamed ') })
    expect(response.statusCode).toBe(200)
    expect(response.json().data.opening_hours).toEqual(before)
  })

  it('ignores keys that are not weekdays', async () => {
    const response = await patch(business.owner, business.id, {
      opening_hours: { ...DEFAULT_OPENING_HOURS, holidays: [['10:00', '12:00']] },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.opening_hours).toEqual(DEFAULT_OPENING_HOURS)
    expect(await storedHours(business.id)).toEqual(DEFAULT_OPENING_HOURS)
  })

  const refused: [string, unknown, string[]][] = [
    [
      'a missing weekday (the whole week is required)',
      { monday: [['09:00', '18:00']] },
      WEEK.filter((day) => day !== 'monday').map((day) => `opening_hours.${day}`),
    ],
    ['a time that is not HH:MM', weekWith('monday', [['9:00', '18:00']]), ['opening_hours.monday[0][0]']],
    ['hour 25', weekWith('monday', [['09:00', '25:00']]), ['opening_hours.monday[0][1]']],
    ['minute 60', weekWith('friday', [['09:60', '18:00']]), ['opening_hours.friday[0][0]']],
    ['24:30', weekWith('friday', [['09:00', '24:30']]), ['opening_hours.friday[0][1]']],
    ['open equal to close', weekWith('tuesday', [['10:00', '10:00']]), ['opening_hours.tuesday[0]']],
    ['24:00 as an open time', weekWith('tuesday', [['24:00', '24:00']]), ['opening_hours.tuesday[0]']],
    [
      'overlapping intervals',
      weekWith('tuesday', [
        ['09:00', '13:00'],
        ['12:00', '18:00'],
      ]),
      ['opening_hours.tuesday[1]'],
    ],
    [
      'intervals out of order',
      weekWith('saturday', [
        ['14:00', '18:00'],
        ['09:00', '12:00'],
      ]),
      ['opening_hours.saturday[1]'],
    ],
    ['three times in a pair', weekWith('monday', [['09:00', '12:00', '18:00']]), ['opening_hours.monday[0]']],
    ['one time in a pair', weekWith('monday', [['09:00']]), ['opening_hours.monday[0]']],
    ['a day that is not a list', weekWith('sunday', { open: '09:00' }), ['opening_hours.sunday']],
    ['a string instead of a week', 'always', ['opening_hours']],
  ]
  for (const [what, hours, fields] of refused) {
    it(`refuses ${what}: 400 naming the field`, async () => {
      const before = await storedHours(business.id)
      const response = await patch(business.owner, business.id, { opening_hours: hours })
      expect(response.statusCode, response.body).toBe(400)
      expect(response.json().code).toBe('validation_error')
      expect(Object.keys(response.json().errors).sort()).toEqual([...fields].sort())
      expect(await storedHours(business.id)).toEqual(before)
    })
  }

  it('reports every bad interval of every day at once', async () => {
    const response = await patch(business.owner, business.id, {
      opening_hours: {
        ...DEFAULT_OPENING_HOURS,
        monday: [
          ['09:00', '12:00'],
          ['11:00', '10:00'],
          ['11:30', '13:00'],
        ],
        thursday: [['18:00', '08:00']],
      },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().errors).toEqual({
      'opening_hours.monday[1]': ['The opening time must be before the closing time.'],
      'opening_hours.monday[2]': ['Intervals must be in order and must not overlap.'],
      'opening_hours.thursday[0]': ['The opening time must be before the closing time.'],
    })
  })
})
