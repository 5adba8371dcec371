// Nothing lost when the machinery fails (PostgreSQL + Redis run only: these are BullMQ's paths).
// Redis away: the dispatcher keeps the rows and hands them over once it is back. A worker killed in
// the middle of sending: its job's lock expires and another worker runs the job (stalled-job recovery),
// so the email arrives; the Message-ID of the row makes a repeated delivery recognizable.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../../src/app.js'
import type { RunningJobs } from '../../../src/jobs.js'
import { dispatchOutbox } from '../../../src/modules/outbox/dispatcher.js'
import { outbox } from '../../../src/modules/outbox/tables.js'
import { type DatabaseHandle, openPostgres } from '../../../src/platform/db/index.js'
import { bullmqQueue } from '../../../src/platform/jobs/bullmq.js'
import { makeUser } from '../../helpers/accounts.js'
import { testConfig } from '../../helpers/app.js'
import { eventually, startWorker as startTestWorker } from '../../helpers/jobs.js'
import { createDatabase, dropDatabase } from '../../helpers/postgres.js'
import { type SmtpPeer, smtpConfig, startSmtpPeer } from '../../helpers/smtp.js'

const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL)

describe.skipIf(!enabled)('outbox delivery through failures (BullMQ)', () => {
  let peer: SmtpPeer
  let url: string
  let database: DatabaseHandle
  let app: App
  let env: Record<string, string>
  const workers: RunningJobs[] = []
  let child: ChildProcess | undefined

  beforeAll(async () => {
    peer = await startSmtpPeer()
    url = await createDatabase(process.env.DATABASE_URL as string)
    env = {
      DATABASE_URL: url,
      REDIS_URL: process.env.REDIS_URL as string,
      QUEUE_NAME: `test-crash-${randomUUID()}`,
      JOB_STALLED_AFTER: '2s',
      JOB_BACKOFF: '100ms',
      SCHEDULER: 'false',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-worker-')),
      ...smtpConfig(peer.port),
    }
    database = openPostgres(url, 4)
    app = await buildApp(testConfig(env), { database })
    await app.ready()
  })

  afterAll(async () => {
    child?.kill('SIGKILL')
    for (const worker of workers) await worker.stop()
    await app?.close()
    await database?.close()
    if (url) await dropDatabase(url)
    await peer?.close()
  })

  async function startWorker(): Promise<void> {
    workers.push(await startTestWorker(app))
  }

  async function welcomeRowOf(userId: string) {
    const [row] = await database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.template, 'welcome'), sql`${outbox.params}->>'userId' = ${userId}`))
    if (!row) throw new Error('no welcome row')
    return row
  }

  it('keeps the rows while Redis is away and hands them over once it answers', async () => {
    const user = await makeUser(app, { verified: false })
    const row = await welcomeRowOf(user.id)
    const away = bullmqQueue({
      url: 'redis://127.0.0.1:1',
      name: env.QUEUE_NAME as string,
      policy: { attempts: 3, backoffMs: 100 },
      stalledAfterMs: 2000,
      log: { warn: () => {}, error: () => {} },
      commandTimeoutMs: 300,
    })
    try {
      await expect(dispatchOutbox(database.db, away, new Date())).rejects.toThrow()
    } finally {
      await away.close()
    }
    expect((await welcomeRowOf(user.id)).dispatchedAt).toBeNull()

    await startWorker()
    await eventually('the welcome email delivered after Redis came back', () =>
      peer.messages.find((mail) => mail.messageId.startsWith(`<${row.id}@`)),
    )
    await eventually('the row marked sent', async () => (await welcomeRowOf(user.id)).sentAt)
  })

  it('delivers the email of a worker killed in the middle of sending it', async () => {
    for (const worker of workers.splice(0)) await worker.stop()
    peer.hold(true)
    const user = await makeUser(app, { verified: false })
    const row = await welcomeRowOf(user.id)

    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
      env: { ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    })
    await eventually('the worker process in the middle of SMTP DATA', () => peer.held() > 0, 30_000)
    const exited = new Promise((resolve) => child?.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    child = undefined
    expect((await welcomeRowOf(user.id)).sentAt).toBeNull()

    peer.hold(false)
    await startWorker()
    await eventually(
      'the email delivered by the second worker',
      () => peer.messages.find((mail) => mail.messageId.startsWith(`<${row.id}@`)),
      20_000,
    )
    await eventually('the row marked sent', async () => (await welcomeRowOf(user.id)).sentAt)
  }, 60_000)
})
