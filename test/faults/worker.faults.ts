// A worker killed (kill -9) three times while it sends 10,000 emails, and started again each time: every
// email reaches the SMTP server at least once; a repeat is recognizable by its Message-ID (the outbox
// row's id), and none is missing.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Child, stop } from '../../bench/processes.js'
import { sealMailToken } from '../../src/modules/mail/messages.js'
import { outbox } from '../../src/modules/outbox/tables.js'
import { ownStack, type Stack } from './support/stack.js'
import { checkEmails, makeAccounts, SECRET_KEY, startWorker, waitFor } from './support/tessera.js'

const EMAILS = 10_000
// Kill the worker when this many distinct emails have arrived.
const KILL_AT = [1500, 4500, 7500]

let stack: Stack

// A killed worker's running batch is taken back after JOB_STALLED_AFTER (30 s by default).
beforeAll(async () => {
  stack = await ownStack({ JOB_STALLED_AFTER: '10s' })
})

afterAll(() => stack?.teardown())

const distinctArrivals = () => new Set(stack.sink.arrivals()).size

describe('a worker killed while it sends', () => {
  it(`delivers all ${EMAILS} emails through ${KILL_AT.length} kill -9s`, async () => {
    const [customer] = await makeAccounts(stack.database, 1)
    const ids = Array.from({ length: EMAILS }, () => randomUUID())
    for (let at = 0; at < EMAILS; at += 1000) {
      await stack.database.db.insert(outbox).values(
        ids.slice(at, at + 1000).map((id) => ({
          id,
          template: 'verify_email',
          params: { userId: customer?.id, token: sealMailToken(SECRET_KEY, randomUUID()) },
        })),
      )
    }
    const started = performance.now()
    let worker: Child = await startWorker(stack.env)
    for (const threshold of KILL_AT) {
      await waitFor(
        `${threshold} emails before the next kill`,
        async () => distinctArrivals() >= threshold,
        120_000,
      )
      await stop(worker, 'SIGKILL')
      console.log(`killed the worker (kill -9) with ${distinctArrivals()} distinct emails delivered`)
      worker = await startWorker(stack.env)
    }
    const emails = await checkEmails(stack.database, stack.sink.arrivals, 240_000)
    console.log(
      `worker killed ${KILL_AT.length} times: ${emails.written} emails, ${emails.missing.length} missing, ` +
        `${emails.duplicates} delivered twice (same Message-ID), ${((performance.now() - started) / 1000).toFixed(1)} s in all ` +
        `(${emails.drainSeconds.toFixed(1)} s after the last restart)`,
    )
    expect(emails.written).toBe(EMAILS)
    expect(emails.missing).toEqual([])
  })
})
