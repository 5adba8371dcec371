// Overlaps: two pending or confirmed reservations of one calendar (the business's when staff is null,
// else a staff member's) never overlap, over half-open periods, under any number of concurrent
// requests, and the database enforces it even for writes that bypass the code. On PostgreSQL the app's
// pool gives parallel requests real parallel connections; on PGlite they interleave on one. Passwords
// use a trivial hasher so that many customers are cheap.
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PasswordHasher } from '../../../src/modules/accounts/hasher.js'
import { databaseError } from '../../../src/platform/db/errors.js'
import { queryRows } from '../../../src/platform/db/index.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { addMemberAs, makeBusiness, type TenantBusiness } from '../../helpers/tenants.js'

const plainHasher: PasswordHasher = {
  hash: async (password) => `plain$${password}`,
  verify: async (encoded, password) => encoded === `plain$${password}`,
}
const ctx = useTestApp({ deps: { passwordHasher: plainHasher } })
const db = () => ctx.app.deps.database.db

const HOUR = 3_600_000
const MINUTE = 60_000

/** A fresh far-future day per test, so tests never share a calendar period. */
let dayCounter = 0
function nextDay(): (hours: number, minutes?: number) => string {
  dayCounter += 1
  const midnight = Date.UTC(2099, 0, 1) + dayCounter * 24 * HOUR
  return (hours, minutes = 0) => new Date(midnight + hours * HOUR + minutes * MINUTE).toISOString()
}

const reserve = (user: TestUser, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: 'POST', url: '/api/reservations/', headers: user.auth, payload })

async function reserved(user: TestUser, payload: Record<string, unknown>): Promise<string> {
  const response = await reserve(user, payload)
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data.id
}

async function expectSlotTaken(user: TestUser, payload: Record<string, unknown>) {
  const response = await reserve(user, payload)
  expect(response.statusCode, response.body).toBe(409)
  expect(response.json().code).toBe('slot_taken')
}

const act = (user: TestUser, id: string, action: 'confirm' | 'complete' | 'cancel') =>
  ctx.app.inject({ method: 'POST', url: `/api/reservations/${id}/${action}/`, headers: user.auth })

let biz: TenantBusiness
let other: TenantBusiness
const customers: TestUser[] = []

beforeAll(async () => {
  ;[biz, other] = await Promise.all([makeBusiness(ctx.app), makeBusiness(ctx.app)])
  customers.push(...(await Promise.all(Array.from({ length: 20 }, () => makeUser(ctx.app)))))
})

const first = () => customers[0] as TestUser
const second = () => customers[1] as TestUser

describe('half-open periods', () => {
  it('lets back-to-back reservations touch: [10:00, 11:00) and [11:00, 12:00)', async () => {
    const at = nextDay()
    await reserved(first(), { business: biz.id, start_time: at(10), end_time: at(11) })
    await reserved(second(), { business: biz.id, start_time: at(11), end_time: at(12) })
    await reserved(second(), { business: biz.id, start_time: at(9), end_time: at(10) })
  })

  it('refuses one minute of overlap, a period inside and a period around with 409 slot_taken', async () => {
    const at = nextDay()
    await reserved(first(), { business: biz.id, start_time: at(10), end_time: at(11) })
    await expectSlotTaken(second(), { business: biz.id, start_time: at(10, 59), end_time: at(12) })
    await expectSlotTaken(second(), { business: biz.id, start_time: at(9), end_time: at(10, 1) })
    await expectSlotTaken(second(), { business: biz.id, start_time: at(10, 15), end_time: at(10, 45) })
    await expectSlotTaken(second(), { business: biz.id, start_time: at(9), end_time: at(12) })
    // The same customer is no exception.
    await expectSlotTaken(first(), { business: biz.id, start_time: at(10), end_time: at(11) })
  })
})

describe('calendars', () => {
  it('keeps each staff member, the business calendar and each business apart', async () => {
    const at = nextDay()
    const period = { start_time: at(10), end_time: at(11) }
    await reserved(first(), { business: biz.id, staff: biz.agent.id, ...period })
    await reserved(first(), { business: biz.id, staff: biz.manager.id, ...period })
    await reserved(first(), { business: biz.id, ...period })
    await reserved(first(), { business: other.id, ...period })
    await expectSlotTaken(second(), { business: biz.id, staff: biz.agent.id, ...period })
    await expectSlotTaken(second(), { business: biz.id, staff: null, ...period })
    await expectSlotTaken(second(), { business: other.id, ...period })
  })

  it('refuses moving a reservation onto a taken period or staff member with 409 slot_taken', async () => {
    const at = nextDay()
    await reserved(first(), { business: biz.id, staff: biz.agent.id, start_time: at(10), end_time: at(11) })
    const id = await reserved(second(), { business: biz.id, start_time: at(10), end_time: at(11) })
    const patch = (user: TestUser, payload: Record<string, unknown>) =>
      ctx.app.inject({ method: 'PATCH', url: `/api/reservations/${id}/`, headers: user.auth, payload })
    const onto = await patch(biz.owner, { staff: biz.agent.id })
    expect(onto.statusCode, onto.body).toBe(409)
    expect(onto.json().code).toBe('slot_taken')
    await reserved(first(), { business: biz.id, start_time: at(12), end_time: at(13) })
    const later = await patch(second(), { start_time: at(11, 30), end_time: at(12, 30) })
    expect(later.statusCode, later.body).toBe(409)
    expect(later.json().code).toBe('slot_taken')
    // Moving within its own period never conflicts with itself.
    const within = await patch(second(), { start_time: at(10, 30) })
    expect(within.statusCode, within.body).toBe(200)
  })
})

describe('which statuses block', () => {
  it('frees the period when a reservation is cancelled, or deleted (DELETE cancels)', async () => {
    const at = nextDay()
    const period = { business: biz.id, start_time: at(10), end_time: at(11) }
    const cancelled = await reserved(first(), period)
    await expectSlotTaken(second(), period)
    expect((await act(first(), cancelled, 'cancel')).statusCode).toBe(200)
    const deleted = await reserved(second(), period)
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/reservations/${deleted}/`,
      headers: second().auth,
    })
    expect(removed.statusCode, removed.body).toBe(200)
    await reserved(first(), period)
  })

  it('blocks while confirmed; a completed reservation does not block', async () => {
    const at = nextDay()
    const period = { business: biz.id, start_time: at(10), end_time: at(11) }
    const id = await reserved(first(), period)
    expect((await act(biz.agent, id, 'confirm')).statusCode).toBe(200)
    await expectSlotTaken(second(), period)
    expect((await act(biz.agent, id, 'complete')).statusCode).toBe(200)
    await reserved(second(), period)
  })
})

describe('concurrency', () => {
  it('20 parallel overlapping requests: exactly one 201, 19 × 409 slot_taken', async () => {
    const at = nextDay()
    // Every pair overlaps: each starts a minute after the previous and lasts an hour.
    const responses = await Promise.all(
      customers.map((user, i) =>
        reserve(user, { business: biz.id, start_time: at(10, i), end_time: at(11, i) }),
      ),
    )
    const counts: Record<string, number> = {}
    for (const response of responses) {
      const key = response.statusCode === 201 ? '201' : `${response.statusCode} ${response.json().code}`
      counts[key] = (counts[key] ?? 0) + 1
    }
    expect(counts).toEqual({ '201': 1, '409 slot_taken': 19 })
    const [row] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from reservations
          where business_id = ${biz.id} and start_time >= ${at(10)}::timestamptz and start_time < ${at(12)}::timestamptz`,
    )
    expect(row?.n).toBe(1)
  })

  it('20 parallel requests for 20 different staff members all succeed', async () => {
    const at = nextDay()
    const staff = await Promise.all(
      customers.map(async (user) => {
        await addMemberAs(ctx.app, other.owner, other.id, user, 'agent')
        return user.id
      }),
    )
    const responses = await Promise.all(
      staff.map((staffId) =>
        reserve(first(), { business: other.id, staff: staffId, start_time: at(10), end_time: at(11) }),
      ),
    )
    expect(responses.map((response) => response.statusCode)).toEqual(staff.map(() => 201))
  })
})

describe('the database guarantee', () => {
  it('refuses an overlapping row written straight to the table (exclusion constraint)', async () => {
    const at = nextDay()
    const insert = (start: string, end: string) =>
      db().execute(
        sql`insert into reservations (business_id, customer_id, start_time, end_time)
            values (${biz.id}, ${first().id}, ${start}::timestamptz, ${end}::timestamptz)`,
      )
    await insert(at(10), at(11))
    await insert(at(11), at(12))
    const error = await insert(at(10, 30), at(11, 30)).then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(databaseError(error)).toMatchObject({ code: '23P01', constraint: 'reservations_no_overlap' })
  })
})
