// The mail server refusing connections for a minute while bookings keep coming: the emails wait and
// retry with backoff, /health/ready/ and /api/jobs/ show the backlog meanwhile, and every email arrives
// once the server accepts again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Child } from '../../bench/processes.js'
import { ownStack, type Stack } from './support/stack.js'
import {
  type Account,
  call,
  checkEmails,
  dataOf,
  dayFromNow,
  makeAccounts,
  makeOwner,
  makeSession,
  startWeb,
  startWorker,
} from './support/tessera.js'

const REFUSING_MS = 60_000
const BOOKINGS = 30

let stack: Stack
let web: Child
let admin: Account

beforeAll(async () => {
  stack = await ownStack()
  web = await startWeb(stack.env)
  await startWorker(stack.env)
  ;[admin] = (await makeAccounts(stack.database, 1, 'admin')) as [Account]
})

afterAll(() => stack?.teardown())

type Backlog = { unsent: number; failing?: number }

describe('the SMTP server refusing for a minute', () => {
  it('emails retry, the backlog shows meanwhile, and all arrive afterwards', async () => {
    await stack.sink.refuse()
    const refusedAt = performance.now()
    const owner = await makeOwner(web.url)
    const session = await makeSession(web.url, owner.token, BOOKINGS)
    const customers = await makeAccounts(stack.database, BOOKINGS)
    for (const customer of customers) {
      dataOf(
        await call(web.url, 'POST', '/api/bookings/', {
          token: customer.token,
          body: { session, booking_date: dayFromNow(2) },
        }),
        201,
        'booking',
      )
    }

    const seen = { ready: 0, readyStatus: new Set<number>(), jobsUnsent: 0, jobsFailing: 0, delayed: 0 }
    while (performance.now() - refusedAt < REFUSING_MS) {
      const ready = await call(web.url, 'GET', '/health/ready/')
      seen.readyStatus.add(ready.status)
      const readyBacklog = (ready.body as { backlog?: { outbox?: Backlog } }).backlog?.outbox
      seen.ready = Math.max(seen.ready, readyBacklog?.unsent ?? 0)
      const jobs = dataOf<{ outbox: Backlog; counts: { delayed: number; waiting: number } }>(
        await call(web.url, 'GET', '/api/jobs/', { token: admin.token }),
        200,
        'jobs overview',
      )
      seen.jobsUnsent = Math.max(seen.jobsUnsent, jobs.outbox.unsent)
      seen.jobsFailing = Math.max(seen.jobsFailing, jobs.outbox.failing ?? 0)
      seen.delayed = Math.max(seen.delayed, jobs.counts.delayed)
      await new Promise((resolve) => setTimeout(resolve, 5000))
    }
    expect(stack.sink.arrivals()).toEqual([])
    await stack.sink.open()
    const emails = await checkEmails(stack.database, stack.sink.arrivals, 240_000)
    console.log(
      `SMTP refused ${REFUSING_MS / 1000} s: /health/ready/ answered ${[...seen.readyStatus].join(', ')} with up to ${seen.ready} unsent; ` +
        `/api/jobs/ showed up to ${seen.jobsUnsent} unsent, ${seen.jobsFailing} failing, ${seen.delayed} delayed jobs; ` +
        `after it accepted again: ${emails.written} emails, ${emails.missing.length} missing, ${emails.duplicates} delivered twice, ` +
        `all in ${emails.drainSeconds.toFixed(1)} s`,
    )
    expect(seen.ready).toBeGreaterThan(BOOKINGS)
    expect(seen.jobsUnsent).toBeGreaterThan(BOOKINGS)
    expect(seen.jobsFailing).toBeGreaterThan(0)
    expect(emails.written).toBeGreaterThan(BOOKINGS)
    expect(emails.missing).toEqual([])
  })
})
