// PostgreSQL crashed (immediate shutdown: no checkpoint, WAL recovery at start) under booking load and
// started again: 503 with Retry-After while it is away, bookings again within 10 s of its return, and
// afterwards every slot's counter equals its active bookings, every booking has its audit row and its
// outbox row, and every booking answered 201 is there.
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
  deployment = await bookingDeployment({ ownPostgres: true })
})

afterAll(() => deployment?.stack.teardown())

describe('PostgreSQL crashed and restarted under booking load', () => {
  it('503 with Retry-After while it is away, bookings again within 10 s, nothing lost or miscounted', async () => {
    const { stack, web, worker, customers, session } = deployment
    const { report, answers } = await outageUnderLoad({
      what: 'PostgreSQL crash and restart',
      base: web.url,
      session,
      customers,
      concurrency: 16,
      breakIt: () => stack.postgres?.crash(),
      restore: () => stack.postgres?.start(),
      downMs: 5000,
      afterMs: 12_000,
    })
    expectOutageRidden(report)
    expect([web, worker].filter((child) => !running(child)).map((child) => child.name)).toEqual([])

    const { database } = stack
    const answered = answers
      .filter((answer) => answer.status === 201)
      .map((answer) => (answer.body.data as { id: string }).id)
    const [stored] = await queryRows<{ id: string }[]>(
      database.db,
      sql`select array_agg(id) as id from bookings`,
    )
    const storedIds = new Set((stored as unknown as { id: string[] }).id)
    const [checks] = await queryRows<{ miscounted: number; without_audit: number; without_outbox: number }>(
      database.db,
      sql`select
        (select count(*)::int from session_slots s where s.booked <> (select count(*) from bookings b
           where b.session_id = s.session_id and b.booking_date = s.booking_date and b.status in ('pending', 'confirmed'))) as miscounted,
        (select count(*)::int from bookings b where not exists (select 1 from audit_log a
           where a.entity = 'booking' and a.entity_id = b.id::text and a.action = 'create')) as without_audit,
        (select count(*)::int from bookings b where not exists (select 1 from outbox o
           where o.template = 'booking_created' and o.params->>'bookingId' = b.id::text)) as without_outbox`,
    )
    const emails = await checkEmails(database, stack.sink.arrivals, 120_000)
    const lost = answered.filter((id) => !storedIds.has(id))
    console.log(
      `after the PostgreSQL restart: ${answered.length} bookings answered 201, ${storedIds.size} stored, ${lost.length} of the 201s missing; ` +
        `slots miscounted ${checks?.miscounted}, bookings without audit row ${checks?.without_audit}, without outbox row ${checks?.without_outbox}; ` +
        `${emails.written} emails, ${emails.missing.length} missing, ${emails.duplicates} delivered twice`,
    )
    expect(lost).toEqual([])
    expect(checks).toEqual({ miscounted: 0, without_audit: 0, without_outbox: 0 })
    expect(emails.missing).toEqual([])
  })
})
