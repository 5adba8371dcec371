// Redis stopped under booking load and started again, empty (it keeps nothing on disk): the web answers
// 503 with Retry-After where it needs Redis, never a 500 or a hang; it books again within 10 s of
// Redis's return; every booking's email still arrives (the outbox hands the rows of the lost queue to
// the new one), and no booking was made twice.
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { running } from '../../bench/processes.js'
import { queryRows } from '../../src/platform/db/index.js'
import {
  type BookingDeployment,
  bookingDeployment,
  expectOutageRidden,
  outageUnderLoad,
} from './support/load.js'
import { checkEmails } from './support/tessera.js'

let deployment: BookingDeployment

beforeAll(async () => {
  deployment = await bookingDeployment()
})

afterAll(() => deployment?.stack.teardown())

describe('Redis restarted under booking load', () => {
  it('503 with Retry-After while it is away, bookings again within 10 s, no email lost', async () => {
    const { stack, web, worker, customers, session } = deployment
    const { report, answers } = await outageUnderLoad({
      what: 'Redis restart',
      base: web.url,
      session,
      customers,
      concurrency: 16,
      breakIt: () => stack.redis.stop(),
      restore: () => stack.redis.start(),
      downMs: 5000,
      afterMs: 12_000,
    })
    expectOutageRidden(report)
    expect([web, worker].filter((child) => !running(child)).map((child) => child.name)).toEqual([])

    const created = answers.filter((answer) => answer.status === 201).length
    const [stored] = await queryRows<{ n: number }>(
      stack.database.db,
      sql`select count(*)::int as n from bookings`,
    )
    const emails = await checkEmails(stack.database, stack.sink.arrivals, 120_000)
    console.log(
      `after the Redis restart: ${created} bookings answered 201, ${stored?.n} stored; ${emails.written} emails written, ` +
        `${emails.missing.length} missing, ${emails.duplicates} delivered twice; outbox drained in ${emails.drainSeconds.toFixed(1)} s`,
    )
    expect(stored?.n).toBe(created)
    expect(emails.missing).toEqual([])
  })
})
