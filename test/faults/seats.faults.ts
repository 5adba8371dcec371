// Seats and time slots under a crowd: 1,000 customers booking one slot of 10 seats at the same moment
// (ten times over), and 500 customers reserving overlapping times with one staff member. The database
// decides; every loser gets the business answer, nobody an error.
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Child } from '../../bench/processes.js'
import { queryRows } from '../../src/platform/db/index.js'
import { ownStack, type Stack } from './support/stack.js'
import {
  type Account,
  call,
  dayFromNow,
  makeAccounts,
  makeOwner,
  makeSession,
  startWeb,
  tally,
} from './support/tessera.js'

const CUSTOMERS = 1000
const SEATS = 10
const ROUNDS = 10
const RESERVERS = 500

let stack: Stack
let web: Child
let customers: Account[]
let owner: Awaited<ReturnType<typeof makeOwner>>

beforeAll(async () => {
  // Two web processes share the crowd, as in a deployment.
  stack = await ownStack({ WEB_CONCURRENCY: 2 })
  web = await startWeb(stack.env)
  customers = await makeAccounts(stack.database, CUSTOMERS)
  owner = await makeOwner(web.url)
})

afterAll(() => stack?.teardown())

describe('seats and slots under concurrency', () => {
  it(`${CUSTOMERS} concurrent bookings of one ${SEATS}-seat slot, ${ROUNDS} times: exactly ${SEATS} each time`, async () => {
    const session = await makeSession(web.url, owner.token, SEATS)
    for (let round = 1; round <= ROUNDS; round++) {
      const date = dayFromNow(round)
      const started = performance.now()
      const answers = await Promise.all(
        customers.map((customer) =>
          call(web.url, 'POST', '/api/bookings/', {
            token: customer.token,
            body: { session, booking_date: date },
          }),
        ),
      )
      const seconds = (performance.now() - started) / 1000
      const counts = tally(answers)
      const [stored] = await queryRows<{ bookings: number; counter: number | null }>(
        stack.database.db,
        sql`select (select count(*)::int from bookings
                     where session_id = ${session} and booking_date = ${date} and status in ('pending', 'confirmed')) as bookings,
                   (select booked from session_slots where session_id = ${session} and booking_date = ${date}) as counter`,
      )
      console.log(
        `round ${round}: ${JSON.stringify(counts)} in ${seconds.toFixed(2)} s; stored ${stored?.bookings} bookings, counter ${stored?.counter}`,
      )
      expect(counts).toEqual({ 201: SEATS, '409 session_full': CUSTOMERS - SEATS })
      expect(stored).toEqual({ bookings: SEATS, counter: SEATS })
    }
  })

  it(`${RESERVERS} concurrent overlapping reservations with one staff member: exactly 1`, async () => {
    const start = new Date(Date.now() + 3 * 86_400_000)
    start.setUTCHours(10, 0, 0, 0)
    const answers = await Promise.all(
      customers.slice(0, RESERVERS).map((customer, n) => {
        // Every request overlaps every other: all contain 10:30-10:35, with different ends.
        const startTime = new Date(start.getTime() + (n % 30) * 60_000)
        const endTime = new Date(start.getTime() + 35 * 60_000 + (n % 7) * 60_000)
        return call(web.url, 'POST', '/api/reservations/', {
          token: customer.token,
          body: {
            business: owner.business,
            staff: owner.id,
            start_time: startTime.toISOString(),
            end_time: endTime.toISOString(),
          },
        })
      }),
    )
    const counts = tally(answers)
    const [overlaps] = await queryRows<{ n: number }>(
      stack.database.db,
      sql`select count(*)::int as n from reservations a join reservations b
          on a.id < b.id and a.staff_id = b.staff_id and a.business_id = b.business_id
         and tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time)
       where a.status in ('pending', 'confirmed') and b.status in ('pending', 'confirmed')`,
    )
    console.log(`reservations: ${JSON.stringify(counts)}; overlapping pairs by SQL: ${overlaps?.n}`)
    expect(counts).toEqual({ 201: 1, '409 slot_taken': RESERVERS - 1 })
    expect(overlaps?.n).toBe(0)
  })
})
