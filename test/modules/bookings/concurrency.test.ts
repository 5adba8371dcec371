// Seats under concurrency: many parallel booking requests for one slot never overbook it, one user never
// holds two bookings of a slot, and random interleavings of book/cancel keep the slot's counter equal to
// its active bookings. On PostgreSQL the app's pool gives the requests real parallel connections; on
// PGlite they interleave on one. Passwords use a trivial hasher so that many users are cheap.
import { sql } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PasswordHasher } from '../../../src/modules/accounts/hasher.js'
import { queryRows } from '../../../src/platform/db/index.js'
import { makeUser, type TestUser } from '../../helpers/accounts.js'
import { useTestApp } from '../../helpers/app.js'
import { makeSession, requestBooking } from '../../helpers/factories.js'

const plainHasher: PasswordHasher = {
  hash: async (password) => `plain$${password}`,
  verify: async (encoded, password) => encoded === `plain$${password}`,
}
const ctx = useTestApp({ deps: { passwordHasher: plainHasher } })
const db = () => ctx.app.deps.database.db

let creator: TestUser
const pool: TestUser[] = []

beforeAll(async () => {
  creator = await makeUser(ctx.app, { role: 'creator' })
  pool.push(...(await Promise.all(Array.from({ length: 50 }, () => makeUser(ctx.app)))))
})

const cancel = (user: TestUser, id: string) =>
  ctx.app.inject({ method: 'POST', url: `/api/bookings/${id}/cancel/`, headers: user.auth })

/** The slot's counter and its pending/confirmed bookings, straight from SQL. */
async function slotState(session: string, date: string) {
  const [slot] = await queryRows<{ booked: number }>(
    db(),
    sql`select booked from session_slots where session_id = ${session} and booking_date = ${date}::timestamptz`,
  )
  const [active] = await queryRows<{ n: number }>(
    db(),
    sql`select count(*)::int as n from bookings
        where session_id = ${session} and booking_date = ${date}::timestamptz
          and status in ('pending', 'confirmed') and not is_deleted`,
  )
  const perUser = await queryRows<{ n: number }>(
    db(),
    sql`select count(*)::int as n from bookings
        where session_id = ${session} and booking_date = ${date}::timestamptz
          and status in ('pending', 'confirmed') and not is_deleted
        group by user_id having count(*) > 1`,
  )
  return { booked: slot?.booked ?? 0, active: active?.n ?? 0, doubled: perUser.length }
}

function tally(responses: { statusCode: number; body: string }[]) {
  const counts: Record<string, number> = {}
  for (const response of responses) {
    const key =
      response.statusCode === 201 || response.statusCode === 200
        ? String(response.statusCode)
        : `${response.statusCode} ${JSON.parse(response.body).code}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

let slotCounter = 0
const nextSlot = () => {
  slotCounter += 1
  return new Date(Date.UTC(2099, 0, 1) + slotCounter * 3_600_000).toISOString()
}

describe('concurrent bookings of one slot', () => {
  it('50 parallel requests by 50 users for 5 seats: exactly 5 created, 45 session_full', async () => {
    const session = (await makeSession(ctx.app, creator, { max_participants: 5 })).id
    const date = nextSlot()
    const responses = await Promise.all(pool.map((user) => requestBooking(ctx.app, user, session, date)))
    expect(tally(responses)).toEqual({ '201': 5, '409 session_full': 45 })
    expect(await slotState(session, date)).toEqual({ booked: 5, active: 5, doubled: 0 })
  })

  it('20 parallel requests by one user: exactly one created, the rest 409', async () => {
    const session = (await makeSession(ctx.app, creator, { max_participants: 5 })).id
    const date = nextSlot()
    const user = pool[0] as TestUser
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => requestBooking(ctx.app, user, session, date)),
    )
    const counts = tally(responses)
    expect(counts['201']).toBe(1)
    expect((counts['409 already_booked'] ?? 0) + (counts['409 session_full'] ?? 0)).toBe(19)
    expect(Object.keys(counts).every((key) => key === '201' || key.startsWith('409 '))).toBe(true)
    expect(await slotState(session, date)).toEqual({ booked: 1, active: 1, doubled: 0 })
  })

  it('parallel cancels and bookings of a full slot hand freed seats on without overbooking', async () => {
    const session = (await makeSession(ctx.app, creator, { max_participants: 5 })).id
    const date = nextSlot()
    const holders = pool.slice(0, 5)
    const created = await Promise.all(holders.map((user) => requestBooking(ctx.app, user, session, date)))
    const ids = created.map((response) => response.json().data.id as string)
    const responses = await Promise.all([
      ...holders.slice(0, 3).map((user, i) => cancel(user, ids[i] as string)),
      ...pool.slice(5, 25).map((user) => requestBooking(ctx.app, user, session, date)),
    ])
    expect(responses.every((response) => response.statusCode < 500)).toBe(true)
    const counts = tally(responses.slice(3))
    expect(counts['201'] ?? 0).toBeLessThanOrEqual(3)
    const state = await slotState(session, date)
    expect(state.booked).toBe(state.active)
    expect(state.active).toBe(2 + (counts['201'] ?? 0))
  })
})

describe('random interleavings of book and cancel (property)', () => {
  const USERS = 4
  const op = fc.record({ user: fc.nat({ max: USERS - 1 }), kind: fc.constantFrom('book', 'cancel') })

  it('keep booked == count(active bookings) <= capacity after every batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        async (capacity, batches) => {
          const session = (await makeSession(ctx.app, creator, { max_participants: capacity })).id
          const date = nextSlot()
          const users = pool.slice(0, USERS)
          // The latest booking each user made of the slot (whatever its status now).
          const latest = new Map<number, string>()
          for (const batch of batches) {
            const responses = await Promise.all(
              batch.map(({ user, kind }) => {
                const caller = users[user] as TestUser
                const id = latest.get(user)
                if (kind === 'cancel' && id) return cancel(caller, id)
                return requestBooking(ctx.app, caller, session, date)
              }),
            )
            batch.forEach(({ user }, i) => {
              const response = responses[i]
              if (response?.statusCode === 201) latest.set(user, response.json().data.id)
            })
            for (const response of responses) {
              expect(response.statusCode, response.body).toBeLessThan(500)
              if (response.statusCode >= 400) {
                expect(response.statusCode, response.body).toBe(409)
                expect(['session_full', 'already_booked', 'invalid_transition']).toContain(
                  response.json().code,
                )
              }
            }
            const state = await slotState(session, date)
            expect(state.booked).toBe(state.active)
            expect(state.active).toBeLessThanOrEqual(capacity)
            expect(state.doubled).toBe(0)
          }
        },
      ),
      { numRuns: 15 },
    )
  })
})
