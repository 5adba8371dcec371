// Lowering a session's capacity while its slot is being booked in parallel: whatever the interleaving,
// the change either succeeds and the slot then holds at most the new capacity, or it is refused (409
// conflict naming max_participants) and the slot holds at most the old one. On PostgreSQL the app's
// pool runs the requests on parallel connections (the real test: a booking statement that read the
// capacity with a plain subquery instead of its FOR SHARE row overbooks here within a round or two);
// on PGlite they interleave on one. Passwords use a trivial hasher so that many users are cheap.
import { sql } from 'drizzle-orm'
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

const BOOKERS = 30
const ROUNDS = 8
const BEFORE = 20
const AFTER = 10
const STAGGER_MS = 2

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let creator: TestUser
const pool: TestUser[] = []

beforeAll(async () => {
  creator = await makeUser(ctx.app, { role: 'creator' })
  pool.push(...(await Promise.all(Array.from({ length: BOOKERS }, () => makeUser(ctx.app)))))
})

const lower = (session: string) =>
  ctx.app.inject({
    method: 'PATCH',
    url: `/api/sessions/${session}/`,
    headers: creator.auth,
    payload: { max_participants: AFTER },
  })

/** The session's capacity, the slot's counter and its pending or confirmed bookings, from SQL. */
async function state(session: string, date: string) {
  const [row] = await queryRows<{ capacity: number; booked: number | null; active: number }>(
    ctx.app.deps.database.db,
    sql`select s.max_participants as capacity,
          (select booked from session_slots
            where session_id = s.id and booking_date = ${date}::timestamptz) as booked,
          (select count(*)::int from bookings
            where session_id = s.id and booking_date = ${date}::timestamptz
              and status in ('pending', 'confirmed') and not is_deleted) as active
        from sessions s where s.id = ${session}`,
  )
  if (!row) throw new Error('no such session')
  return { capacity: row.capacity, booked: row.booked ?? 0, active: row.active }
}

describe('a capacity change racing bookings of one slot', () => {
  it(`never leaves the slot above the final capacity (${ROUNDS} rounds of ${BOOKERS} bookings)`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const session = (await makeSession(ctx.app, creator, { max_participants: BEFORE })).id
      const date = new Date(Date.UTC(2099, 0, 1) + round * 3_600_000).toISOString()
      // The requests leave a little apart, so that bookings keep starting while the change runs; the
      // change leaves after 0, 2, ... 14 bookings (around the new capacity), so that it succeeds in
      // some rounds and is refused in others.
      const at = 2 * round
      const requests = pool.map((user) => () => requestBooking(ctx.app, user, session, date))
      requests.splice(at, 0, () => lower(session))
      const responses = await Promise.all(requests.map((send, i) => delay(i * STAGGER_MS).then(send)))
      const change = responses[at]
      const bookings = responses.filter((_, i) => i !== at)
      for (const response of bookings) {
        expect(response.statusCode, response.body).toBeLessThan(500)
        if (response.statusCode !== 201) expect(response.json().code, response.body).toBe('session_full')
      }
      const after = await state(session, date)
      const created = bookings.filter((response) => response.statusCode === 201).length
      expect(after.active).toBe(created)
      expect(after.booked).toBe(after.active)
      expect(after.active, `round ${round}: ${JSON.stringify(after)}`).toBeLessThanOrEqual(after.capacity)
      if (change?.statusCode === 200) {
        expect(after.capacity).toBe(AFTER)
      } else {
        expect(change?.statusCode, change?.body).toBe(409)
        expect(change?.json()).toMatchObject({
          code: 'conflict',
          errors: { max_participants: expect.any(Array) },
        })
        expect(after.capacity).toBe(BEFORE)
      }
    }
  })
})
