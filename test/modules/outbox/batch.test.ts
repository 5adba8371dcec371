// The outbox in batches, against a real SMTP peer: the dispatcher hands a burst of rows over as one
// job; the batch job sends every row's email with the row's Message-ID and marks the sent rows; a row
// whose email failed keeps its token, gets its attempt and error, and goes on to a job of its own, which
// sends only that row again. The queue here is an in-process one of the test's own, so each step shows.
import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { users } from '../../../src/modules/accounts/tables.js'
import { sealMailToken } from '../../../src/modules/mail/messages.js'
import { createMailTransport, type MailTransport } from '../../../src/modules/mail/transport.js'
import { dispatchOutbox } from '../../../src/modules/outbox/dispatcher.js'
import {
  deliverOutboxBatch,
  emailBatchJobId,
  type OutboxJobDeps,
  registerOutboxJobs,
} from '../../../src/modules/outbox/jobs.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { createSettingsService } from '../../../src/modules/settings/service.js'
import { systemClock } from '../../../src/platform/clock.js'
import type { DatabaseHandle } from '../../../src/platform/db/index.js'
import { inProcessQueue } from '../../../src/platform/jobs/in-process.js'
import type { JobQueue } from '../../../src/platform/jobs/queue.js'
import { JobRegistry } from '../../../src/platform/jobs/registry.js'
import { MemoryTotals } from '../../../src/platform/totals.js'
import { uniqueName } from '../../helpers/accounts.js'
import { openTestDatabase, testConfig } from '../../helpers/app.js'
import { eventually } from '../../helpers/jobs.js'
import { type SmtpPeer, smtpConfig, startSmtpPeer } from '../../helpers/smtp.js'

const policy = { attempts: 3, backoffMs: 50 }
const silent = { info: () => {}, warn: () => {} }

let peer: SmtpPeer
let database: DatabaseHandle
let smtp: MailTransport
let queue: JobQueue
/** Message-IDs the test transport refuses, as a server refusing those messages would. */
const refused = new Set<string>()

beforeAll(async () => {
  peer = await startSmtpPeer()
  database = await openTestDatabase()
  smtp = createMailTransport(
    testConfig({ ...smtpConfig(peer.port), EMAIL_FROM: 'Tessera <noreply@tessera.test>' }),
    silent,
  )
})
afterEach(async () => {
  await queue?.close()
  refused.clear()
})
afterAll(async () => {
  smtp?.close()
  await database?.close()
  await peer?.close()
})

const db = () => database.db
const messageId = (outboxId: string) => `<${outboxId}@tessera.test>`
const received = (outboxId: string) => peer.messages.filter((mail) => mail.messageId === messageId(outboxId))

function depsWith(openQueue: JobQueue): OutboxJobDeps {
  const config = testConfig({
    ...smtpConfig(peer.port),
    EMAIL_FROM: 'Tessera <noreply@tessera.test>',
    JOB_BACKOFF: `${policy.backoffMs}ms`,
  })
  const transport: MailTransport = {
    send: (mail) =>
      refused.has(mail.messageId)
        ? Promise.reject(new Error('451 4.3.0 try again later (test transport)'))
        : smtp.send(mail),
    close() {},
  }
  const settings = createSettingsService(db(), systemClock, null)
  const totals = new MemoryTotals()
  return { db: db(), config, clock: systemClock, settings, transport, totals, queue: openQueue }
}

async function makeUser(fields: { isActive?: boolean } = {}) {
  const username = uniqueName('batch')
  const [user] = await db()
    .insert(users)
    .values({ username, email: `${username}@example.com`, password: 'not-a-hash', ...fields })
    .returning({ id: users.id, email: users.email })
  if (!user) throw new Error('no user')
  return user
}

/** `count` verification emails to `userId`, written at once; their ids. */
async function writeRows(userId: string, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, () => ({
    id: randomUUID(),
    template: 'verify_email',
    params: { userId, token: sealMailToken(testConfig().secretKey, randomUUID()) },
  }))
  await db().insert(outbox).values(rows)
  return rows.map(({ id }) => id)
}

const rowsOf = (ids: string[]) => db().select().from(outbox).where(sql`${outbox.id} in ${ids}`)

describe('the dispatcher', () => {
  it('hands a burst of rows over as one batch job, and not again while they are in its hands', async () => {
    queue = inProcessQueue(policy)
    const user = await makeUser()
    const ids = await writeRows(user.id, 25)
    const now = new Date()
    expect(await dispatchOutbox(db(), queue, now)).toBeGreaterThanOrEqual(25)
    expect(await queue.counts()).toMatchObject({ waiting: 1, delayed: 0 })
    expect((await rowsOf(ids)).every((row) => row.dispatchedAt?.getTime() === now.getTime())).toBe(true)
    expect(await dispatchOutbox(db(), queue, now)).toBe(0)
    expect(emailBatchJobId(ids)).toBe(emailBatchJobId([...ids]))
    expect(emailBatchJobId(ids)).not.toBe(emailBatchJobId(ids.slice(1)))
  })

  it('hands rows over again at once to a queue that lost its jobs (a new generation)', async () => {
    const lost = inProcessQueue(policy)
    const user = await makeUser()
    const ids = await writeRows(user.id, 3)
    const now = new Date()
    expect(await dispatchOutbox(db(), lost, now)).toBeGreaterThanOrEqual(3)
    await lost.close()
    queue = inProcessQueue(policy)
    expect(await queue.generation()).not.toBe(await lost.generation())
    expect(await dispatchOutbox(db(), queue, now)).toBeGreaterThanOrEqual(3)
    const generation = await queue.generation()
    expect((await rowsOf(ids)).every((row) => row.dispatchedTo === generation)).toBe(true)
    expect(await dispatchOutbox(db(), queue, now)).toBe(0)
  })
})

describe('a batch', () => {
  it('sends every email with its row id as Message-ID and marks the rows sent, their tokens gone', async () => {
    queue = inProcessQueue(policy)
    const [first, second] = [await makeUser(), await makeUser()]
    const ids = [...(await writeRows(first.id, 3)), ...(await writeRows(second.id, 2))]
    await deliverOutboxBatch(depsWith(queue), ids)

    for (const id of ids) expect(received(id)).toHaveLength(1)
    expect(received(ids[0] as string)[0]?.envelopeTo).toEqual([first.email])
    expect(received(ids[4] as string)[0]?.envelopeTo).toEqual([second.email])
    for (const row of await rowsOf(ids)) {
      expect(row.sentAt).not.toBeNull()
      expect(row).toMatchObject({ attempts: 1, lastError: null, params: { userId: expect.any(String) } })
      expect(row.params).not.toHaveProperty('token')
    }
    expect(await queue.counts()).toMatchObject({ waiting: 0, delayed: 0 })
  })

  it('hands a failing row on to its own job, which later sends only that row, with the same Message-ID', async () => {
    queue = inProcessQueue(policy)
    const deps = depsWith(queue)
    const user = await makeUser()
    const ids = await writeRows(user.id, 4)
    const failing = ids[2] as string
    refused.add(messageId(failing))
    await deliverOutboxBatch(deps, ids)

    const rows = new Map((await rowsOf(ids)).map((row) => [row.id, row]))
    for (const id of ids.filter((id) => id !== failing)) {
      expect(rows.get(id)?.sentAt).not.toBeNull()
      expect(received(id)).toHaveLength(1)
    }
    expect(rows.get(failing)).toMatchObject({ sentAt: null, attempts: 1 })
    expect(rows.get(failing)?.lastError).toMatch(/451/)
    expect(rows.get(failing)?.params).toHaveProperty('token')
    expect(received(failing)).toHaveLength(0)
    // Its own job waits JOB_BACKOFF before its first try.
    expect(await queue.counts()).toMatchObject({ waiting: 0, delayed: 1 })

    refused.clear()
    const registry = new JobRegistry()
    registerOutboxJobs(registry, deps)
    await queue.process(registry, 2)
    await eventually('the failed row sent by its own job', async () => (await rowsOf([failing]))[0]?.sentAt)
    expect(received(failing)).toHaveLength(1)
    expect((await rowsOf([failing]))[0]).toMatchObject({ attempts: 2, lastError: null })
    for (const id of ids) expect(received(id)).toHaveLength(1)
  })

  it('tried again sends only the rows still unsent, and leaves rows that failed before to their own job', async () => {
    queue = inProcessQueue(policy)
    const deps = depsWith(queue)
    const user = await makeUser()
    const ids = await writeRows(user.id, 3)
    const failedBefore = ids[0] as string
    await db()
      .update(outbox)
      .set({ attempts: 1, lastError: '451 earlier' })
      .where(eq(outbox.id, failedBefore))
    await deliverOutboxBatch(deps, ids)
    await deliverOutboxBatch(deps, ids)

    for (const id of ids.slice(1)) expect(received(id)).toHaveLength(1)
    expect(received(failedBefore)).toHaveLength(0)
    expect(await queue.counts()).toMatchObject({ delayed: 1 })
    expect((await rowsOf([failedBefore]))[0]).toMatchObject({ sentAt: null, attempts: 1 })
  })

  it('marks a row that has nobody to send to any more done without sending, its token gone', async () => {
    queue = inProcessQueue(policy)
    const gone = await makeUser({ isActive: false })
    const [id] = await writeRows(gone.id, 1)
    await deliverOutboxBatch(depsWith(queue), [id as string])
    const [row] = await rowsOf([id as string])
    expect(row?.sentAt).not.toBeNull()
    expect(row).toMatchObject({ attempts: 1, lastError: 'nobody to send to any more' })
    expect(row?.params).not.toHaveProperty('token')
    expect(received(id as string)).toHaveLength(0)
  })
})
