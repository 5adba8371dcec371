// GET /api/reservations/: whose reservations a caller gets (the business's with a business context,
// else their own), the filters (dates as whole days in the business's zone, datetimes as [from, to)),
// ordering by start, and page and cursor pagination that neither skips nor repeats rows whose starts tie.
import type { InjectOptions } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/platform/clock.js'
import { makeAdmin, makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs, makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const START = new Date('2026-03-01T09:00:00Z')
const ctx = useTestApp({ config: { JWT_ACCESS_TTL: '3650d' }, deps: { clock: new ManualClock(START) } })
const call = (options: InjectOptions) => ctx.app.inject(options)

type Listed = { id: string; start_time: string }

async function reserved(user: TestUser, payload: Record<string, unknown>): Promise<string> {
  const response = await call({ method: 'POST', url: '/api/reservations/', headers: user.auth, payload })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data.id
}

async function listResponse(url: string, user: TestUser, headers: Record<string, string> = {}) {
  const response = await call({ url, headers: { ...user.auth, ...headers } })
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200)
  return response.json() as { data: Listed[]; meta: { pagination: Record<string, unknown> } }
}

/** The ids of a list, in the order it gives them. */
const ids = async (url: string, user: TestUser, headers: Record<string, string> = {}) =>
  (await listResponse(url, user, headers)).data.map((row) => row.id)

async function setTimezone(business: TenantBusiness, timezone: string) {
  const response = await call({
    method: 'PATCH',
    url: `/api/businesses/${business.id}/`,
    headers: business.owner.auth,
    payload: { timezone },
  })
  expect(response.statusCode, response.body).toBe(200)
}

describe('scopes and filters', () => {
  // A business in Europe/London, where 2026-03-29 is the spring-forward day (23 hours long).
  let london: TenantBusiness
  let elsewhere: TenantBusiness
  let buyer: TestUser
  let buyer2: TestUser
  const r = {} as Record<'lateOn28th' | 'earlyOn30th' | 'confirmedOn29th' | 'elsewhere', string>

  beforeAll(async () => {
    ;[london, elsewhere, buyer, buyer2] = await Promise.all([
      makeBusiness(ctx.app),
      makeBusiness(ctx.app),
      makeUser(ctx.app),
      makeUser(ctx.app),
    ])
    await setTimezone(london, 'Europe/London')
    const staff = london.agent.id
    // 23:30 GMT on the 28th; 00:30 BST on the 30th (still the 29th in UTC); 11:00 BST on the 29th.
    r.lateOn28th = await reserved(buyer, {
      business: london.id,
      start_time: '2026-03-28T23:30:00Z',
      end_time: '2026-03-29T00:30:00Z',
    })
    r.earlyOn30th = await reserved(buyer, {
      business: london.id,
      staff,
      start_time: '2026-03-29T23:30:00Z',
      end_time: '2026-03-30T00:30:00Z',
    })
    r.confirmedOn29th = await reserved(buyer2, {
      business: london.id,
      staff,
      start_time: '2026-03-29T10:00:00Z',
      end_time: '2026-03-29T11:00:00Z',
    })
    const confirmed = await call({
      method: 'POST',
      url: `/api/reservations/${r.confirmedOn29th}/confirm/`,
      headers: london.agent.auth,
    })
    expect(confirmed.statusCode).toBe(200)
    r.elsewhere = await reserved(buyer, {
      business: elsewhere.id,
      start_time: '2026-04-01T10:00:00Z',
      end_time: '2026-04-01T11:00:00Z',
    })
  })

  it('gives a caller without a business their own reservations across businesses, by start', async () => {
    expect(await ids('/api/reservations/', buyer)).toEqual([r.lateOn28th, r.earlyOn30th, r.elsewhere])
    expect(await ids('/api/reservations/', buyer2)).toEqual([r.confirmedOn29th])
    expect(await ids('/api/reservations/?ordering=-start_time', buyer)).toEqual([
      r.elsewhere,
      r.earlyOn30th,
      r.lateOn28th,
    ])
  })

  it("gives every staff role its business's reservations, and none of another business's", async () => {
    const all = [r.lateOn28th, r.confirmedOn29th, r.earlyOn30th]
    for (const role of ['owner', 'admin', 'manager', 'agent'] as const)
      expect(await ids('/api/reservations/', london[role]), role).toEqual(all)
    expect(await ids('/api/reservations/', elsewhere.owner)).toEqual([r.elsewhere])
  })

  it('follows X-Business-ID: 404 for a business the caller is not staff of; platform admins any', async () => {
    const refused = await call({
      url: '/api/reservations/',
      headers: { ...elsewhere.owner.auth, 'x-business-id': london.id },
    })
    expect(refused.statusCode).toBe(404)
    const admin = await makeAdmin(ctx.app)
    expect(await ids('/api/reservations/', admin)).toEqual([])
    expect(await ids('/api/reservations/', admin, { 'x-business-id': elsewhere.id })).toEqual([r.elsewhere])
  })

  it('asks staff of several businesses to choose one (400 business_required)', async () => {
    const member = await makeUser(ctx.app)
    await addMemberAs(ctx.app, london.owner, london.id, member, 'agent')
    await addMemberAs(ctx.app, elsewhere.owner, elsewhere.id, member, 'agent')
    const response = await call({ url: '/api/reservations/', headers: member.auth })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('business_required')
    expect(await ids('/api/reservations/', member, { 'x-business-id': london.id })).toHaveLength(3)
  })

  it('filters by status and staff', async () => {
    const staff = london.agent
    expect(await ids('/api/reservations/?status=confirmed', staff)).toEqual([r.confirmedOn29th])
    expect(await ids('/api/reservations/?status=cancelled', staff)).toEqual([])
    expect(await ids(`/api/reservations/?staff=${staff.id}`, staff)).toEqual([
      r.confirmedOn29th,
      r.earlyOn30th,
    ])
    expect(await ids(`/api/reservations/?staff=${staff.id}&status=pending`, staff)).toEqual([r.earlyOn30th])
  })

  it("takes dates as whole days in the business's zone, across its DST change", async () => {
    const staff = london.agent
    const on = (query: string) => ids(`/api/reservations/?${query}`, staff)
    expect(await on('date_from=2026-03-29&date_to=2026-03-29')).toEqual([r.confirmedOn29th])
    expect(await on('date_from=2026-03-30')).toEqual([r.earlyOn30th])
    expect(await on('date_to=2026-03-28')).toEqual([r.lateOn28th])
    // The customer's own list has no business: UTC days.
    expect(await ids('/api/reservations/?date_from=2026-03-29&date_to=2026-03-29', buyer)).toEqual([
      r.earlyOn30th,
    ])
  })

  it('takes datetimes with an offset as instants, [date_from, date_to)', async () => {
    const staff = london.agent
    const on = (query: string) => ids(`/api/reservations/?${query}`, staff)
    expect(await on('date_from=2026-03-29T10:00:00Z')).toEqual([r.confirmedOn29th, r.earlyOn30th])
    expect(await on('date_to=2026-03-29T10:00:00Z')).toEqual([r.lateOn28th])
    expect(
      await on(`date_from=${encodeURIComponent('2026-03-29T11:00:00+01:00')}&date_to=2026-03-29T10:00:01Z`),
    ).toEqual([r.confirmedOn29th])
  })

  it('refuses bad filters with 400', async () => {
    for (const query of [
      'date_from=2026-03-10T10:00:00',
      'date_to=2026-13-01',
      'status=lost',
      'staff=nobody',
      'ordering=created_at',
    ]) {
      const response = await call({ url: `/api/reservations/?${query}`, headers: london.agent.auth })
      expect(response.statusCode, query).toBe(400)
    }
  })

  it('needs a login', async () => {
    expect((await call({ url: '/api/reservations/' })).statusCode).toBe(401)
  })
})

describe('pagination', () => {
  let business: TenantBusiness
  /** Every reservation of the business, in (start_time, id) order. */
  let expected: string[]

  beforeAll(async () => {
    business = await makeBusiness(ctx.app)
    const customer = await makeUser(ctx.app)
    // Five starts × five calendars (the business's and each member's): starts tie five times over.
    const calendars = [null, business.owner.id, business.admin.id, business.manager.id, business.agent.id]
    const rows: { id: string; start: string }[] = []
    for (let day = 1; day <= 5; day++) {
      const start = `2026-05-0${day}T10:00:00.000Z`
      for (const staff of calendars) {
        const id = await reserved(customer, {
          business: business.id,
          staff,
          start_time: start,
          end_time: `2026-05-0${day}T11:00:00Z`,
        })
        rows.push({ id, start })
      }
    }
    expected = rows
      .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id))
      .map((row) => row.id)
  })

  /** Follows next_cursor from `url` to the end; answers the ids and each page's total. */
  async function walk(url: string) {
    const seen: string[] = []
    const totals: unknown[] = []
    let next: string | null = url
    while (next) {
      const body = await listResponse(next, business.owner)
      seen.push(...body.data.map((row) => row.id))
      totals.push(body.meta.pagination.total)
      const cursor = body.meta.pagination.next_cursor as string | null
      next = cursor ? `${url}&cursor=${cursor}` : null
    }
    return { seen, totals }
  }

  it('continues with cursors through tied starts without skipping or repeating', async () => {
    const { seen, totals } = await walk('/api/reservations/?page_size=10')
    expect(seen).toEqual(expected)
    // The first page counts; cursor pages continue it and count nothing.
    expect(totals).toEqual([25, null, null])
  })

  it('continues in descending order too', async () => {
    const { seen } = await walk('/api/reservations/?page_size=10&ordering=-start_time')
    expect(seen).toEqual([...expected].reverse())
  })

  it('gives the same rows by page number, with links', async () => {
    const pages = []
    for (const page of [1, 2, 3])
      pages.push(await listResponse(`/api/reservations/?page_size=10&page=${page}`, business.owner))
    expect(pages.flatMap((body) => body.data.map((row) => row.id))).toEqual(expected)
    expect(pages[1]?.meta.pagination).toMatchObject({ page: 2, total: 25, total_pages: 3 })
    expect(pages[2]?.meta.pagination).toMatchObject({ next: null, next_cursor: null })
    // The count rides with a page's rows; a page past the end has none, and counts on its own.
    const beyond = await listResponse('/api/reservations/?page_size=10&page=4', business.owner)
    expect(beyond.data).toEqual([])
    expect(beyond.meta.pagination).toMatchObject({ page: 4, total: 25, total_pages: 3 })
  })

  it('refuses cursor with page, and a forged cursor, with 400', async () => {
    const first = await listResponse('/api/reservations/?page_size=10', business.owner)
    const cursor = first.meta.pagination.next_cursor as string
    const both = await call({
      url: `/api/reservations/?page=2&cursor=${cursor}`,
      headers: business.owner.auth,
    })
    expect(both.statusCode).toBe(400)
    const forged = Buffer.from(JSON.stringify([1, 'yesterday', 'me'])).toString('base64url')
    const response = await call({ url: `/api/reservations/?cursor=${forged}`, headers: business.owner.auth })
    expect(response.statusCode, response.body).toBe(400)
  })
})
