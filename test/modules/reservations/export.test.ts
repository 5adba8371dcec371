// GET /api/reservations/export/: who may export (staff of the business, any role; platform admins,
// every business without X-Business-ID), CSV and JSON content with the list's filters, and times in
// the business's zone with the offset in force at each instant, on both sides of DST changes in
// Europe/London and America/New_York.
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { parseCsv } from '../../helpers/csv.js'
import { addMemberAs, makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const START = new Date('2026-03-01T09:00:00Z')
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock: new ManualClock(START) } })
const call = (options: InjectOptions) => ctx.app.inject(options)

type Exported = Record<string, string | null>

const EXPORT_HEADER = [
  'id',
  'business',
  'customer',
  'customer_email',
  'staff',
  'start_time',
  'end_time',
  'timezone',
  'status',
  'notes',
  'created_at',
  'updated_at',
]

async function reserved(user: TestUser, payload: Record<string, unknown>) {
  const response = await call({ method: 'POST', url: '/api/reservations/', headers: user.auth, payload })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data as { id: string; start_time: string; end_time: string }
}

async function setTimezone(business: TenantBusiness, timezone: string) {
  const response = await call({
    method: 'PATCH',
    url: `/api/businesses/${business.id}/`,
    headers: business.owner.auth,
    payload: { timezone },
  })
  expect(response.statusCode, response.body).toBe(200)
}

const exportAs = (user: TestUser | null, query = 'format=json', headers: Record<string, string> = {}) =>
  call({ url: `/api/reservations/export/?${query}`, headers: { ...user?.auth, ...headers } })

async function exported(user: TestUser, query = '', headers: Record<string, string> = {}) {
  const response = await exportAs(user, `format=json&${query}`, headers)
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as Exported[]
}

let london: TenantBusiness
let newYork: TenantBusiness
let customer: TestUser
const dst = {} as Record<'londonSpring' | 'londonFall' | 'newYorkSpring' | 'newYorkFall', string>

beforeAll(async () => {
  ;[london, newYork, customer] = await Promise.all([
    makeBusiness(ctx.app),
    makeBusiness(ctx.app),
    makeUser(ctx.app),
  ])
  await setTimezone(london, 'Europe/London')
  await setTimezone(newYork, 'America/New_York')
  // Each period crosses its zone's DST change, given in local time with the offset on each side.
  const periods = {
    // 00:30 GMT → 03:30 BST on 2026-03-29: 2 hours, though the wall clock moves 3.
    londonSpring: [london, '2026-03-29T00:30:00+00:00', '2026-03-29T03:30:00+01:00'],
    // 01:30 BST → 01:30 GMT on 2026-10-25: 1 hour, the same wall-clock time twice.
    londonFall: [london, '2026-10-25T01:30:00+01:00', '2026-10-25T01:30:00+00:00'],
    // 01:30 EST → 03:30 EDT on 2026-03-08: 1 hour.
    newYorkSpring: [newYork, '2026-03-08T01:30:00-05:00', '2026-03-08T03:30:00-04:00'],
    // 01:30 EDT → 01:30 EST on 2026-11-01: 1 hour.
    newYorkFall: [newYork, '2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00-05:00'],
  } as const
  for (const [name, [business, start_time, end_time]] of Object.entries(periods)) {
    dst[name as keyof typeof dst] = (
      await reserved(customer, { business: business.id, start_time, end_time, notes: name })
    ).id
  }
})

describe('DST', () => {
  it('stores each period in UTC with its true length', async () => {
    const expected: Record<string, [string, string, number]> = {
      [dst.londonSpring]: ['2026-03-29T00:30:00.000Z', '2026-03-29T02:30:00.000Z', 2],
      [dst.londonFall]: ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', 1],
      [dst.newYorkSpring]: ['2026-03-08T06:30:00.000Z', '2026-03-08T07:30:00.000Z', 1],
      [dst.newYorkFall]: ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z', 1],
    }
    for (const [id, [start, end, hours]] of Object.entries(expected)) {
      const out = (await call({ url: `/api/reservations/${id}/`, headers: customer.auth })).json().data
      expect([out.start_time, out.end_time]).toEqual([start, end])
      expect(new Date(out.end_time).getTime() - new Date(out.start_time).getTime()).toBe(hours * 3_600_000)
    }
  })

  it('exports local times with the offset on each side of the change', async () => {
    const times = (rows: Exported[]) =>
      Object.fromEntries(rows.map((row) => [row.id, [row.start_time, row.end_time, row.timezone]]))
    expect(times(await exported(london.owner))).toEqual({
      [dst.londonSpring]: ['2026-03-29T00:30:00+00:00', '2026-03-29T03:30:00+01:00', 'Europe/London'],
      [dst.londonFall]: ['2026-10-25T01:30:00+01:00', '2026-10-25T01:30:00+00:00', 'Europe/London'],
    })
    expect(times(await exported(newYork.agent))).toEqual({
      [dst.newYorkSpring]: ['2026-03-08T01:30:00-05:00', '2026-03-08T03:30:00-04:00', 'America/New_York'],
      [dst.newYorkFall]: ['2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00-05:00', 'America/New_York'],
    })
    const [row] = await exported(newYork.agent)
    expect([row?.created_at, row?.updated_at]).toEqual([
      '2026-03-01T04:00:00-05:00',
      '2026-03-01T04:00:00-05:00',
    ])
  })

  it("filters the export by whole days in the business's zone", async () => {
    const only = async (business: TenantBusiness, day: string) =>
      (await exported(business.owner, `date_from=${day}&date_to=${day}`)).map((row) => row.id)
    expect(await only(london, '2026-10-25')).toEqual([dst.londonFall])
    expect(await only(newYork, '2026-03-08')).toEqual([dst.newYorkSpring])
    expect(await only(newYork, '2026-11-02')).toEqual([])
  })
})

describe('content', () => {
  let business: TenantBusiness
  let first: { id: string }
  let second: { id: string }

  beforeAll(async () => {
    business = await makeBusiness(ctx.app)
    first = await reserved(customer, {
      business: business.id,
      staff: business.agent.id,
      start_time: '2026-06-01T10:00:00Z',
      end_time: '2026-06-01T11:00:00Z',
      notes: '=HYPERLINK("x"), by the window\nsecond line',
    })
    second = await reserved(customer, {
      business: business.id,
      start_time: '2026-06-01T09:00:00Z',
      end_time: '2026-06-01T09:30:00Z',
      notes: '\r+ring twice',
    })
    const confirmed = await call({
      method: 'POST',
      url: `/api/reservations/${first.id}/confirm/`,
      headers: business.owner.auth,
    })
    expect(confirmed.statusCode).toBe(200)
  })

  it('streams CSV with a header row, by start, quoted per RFC 4180 with formulas defused', async () => {
    const response = await exportAs(business.manager, 'format=csv')
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/csv/)
    expect(response.headers['content-disposition']).toContain('reservations.csv')
    const slug = (await call({ url: `/api/businesses/${business.id}/`, headers: business.owner.auth })).json()
      .data.slug
    const [header, ...rows] = parseCsv(response.body)
    expect(header).toEqual(EXPORT_HEADER)
    expect(rows).toEqual([
      [
        second.id,
        slug,
        customer.username,
        customer.email,
        '',
        '2026-06-01T09:00:00+00:00',
        '2026-06-01T09:30:00+00:00',
        'UTC',
        'pending',
        "'\r+ring twice",
        '2026-03-01T09:00:00+00:00',
        '2026-03-01T09:00:00+00:00',
      ],
      [
        first.id,
        slug,
        customer.username,
        customer.email,
        business.agent.username,
        '2026-06-01T10:00:00+00:00',
        '2026-06-01T11:00:00+00:00',
        'UTC',
        'confirmed',
        `'=HYPERLINK("x"), by the window\nsecond line`,
        '2026-03-01T09:00:00+00:00',
        '2026-03-01T09:00:00+00:00',
      ],
    ])
  })

  it('streams JSON as an array of objects, with the list filters and ordering', async () => {
    const response = await exportAs(business.agent, 'format=json')
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    const rows = response.json() as Exported[]
    expect(rows.map((row) => Object.keys(row))).toEqual([EXPORT_HEADER, EXPORT_HEADER])
    expect(rows.map((row) => row.id)).toEqual([second.id, first.id])
    expect(rows[0]?.staff).toBeNull()
    expect(rows.map((row) => row.notes)).toEqual([
      "'\r+ring twice",
      `'=HYPERLINK("x"), by the window\nsecond line`,
    ])
    const filtered = async (query: string) => (await exported(business.agent, query)).map((row) => row.id)
    expect(await filtered('status=confirmed')).toEqual([first.id])
    expect(await filtered(`staff=${business.agent.id}`)).toEqual([first.id])
    expect(await filtered('date_from=2026-06-01T09:30:00Z')).toEqual([first.id])
    expect(await filtered('ordering=-start_time')).toEqual([first.id, second.id])
  })

  it('exports CSV when no format is given', async () => {
    const response = await call({ url: '/api/reservations/export/', headers: business.owner.auth })
    expect(response.statusCode).toBe(200)
    expect(response.body.startsWith(`${EXPORT_HEADER.join(',')}\r\n`)).toBe(true)
  })
})

describe('permissions', () => {
  it('lets every staff role export its own business only', async () => {
    for (const role of ['owner', 'admin', 'manager', 'agent'] as const) {
      const ids = (await exported(london[role])).map((row) => row.id).sort()
      expect(ids, role).toEqual([dst.londonSpring, dst.londonFall].sort())
    }
  })

  it('refuses a customer without a business with 403, and a login is needed', async () => {
    const response = await exportAs(customer)
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('permission_denied')
    expect((await exportAs(null)).statusCode).toBe(401)
  })

  it('answers 404 for X-Business-ID of a business the caller is not staff of', async () => {
    const response = await exportAs(newYork.owner, 'format=json', { 'x-business-id': london.id })
    expect(response.statusCode).toBe(404)
  })

  it('asks staff of several businesses to choose one (400 business_required)', async () => {
    const member = await makeUser(ctx.app)
    await addMemberAs(ctx.app, london.owner, london.id, member, 'agent')
    await addMemberAs(ctx.app, newYork.owner, newYork.id, member, 'agent')
    expect((await exportAs(member)).json().code).toBe('business_required')
    expect(await exported(member, '', { 'x-business-id': newYork.id })).toHaveLength(2)
  })

  it('gives platform admins every business without X-Business-ID, one business with it', async () => {
    const admin = await makeAdmin(ctx.app)
    const everything = (await exported(admin)).map((row) => row.id)
    expect(everything).toEqual(expect.arrayContaining(Object.values(dst)))
    // Ordered by start across businesses: New York's March change comes before London's.
    expect(everything.indexOf(dst.newYorkSpring)).toBeLessThan(everything.indexOf(dst.londonSpring))
    const one = (await exported(admin, '', { 'x-business-id': newYork.id })).map((row) => row.id)
    expect(one).toEqual([dst.newYorkSpring, dst.newYorkFall])
  })
})
