// `npm run bench:mail [-- --messages 2000] [--bookings 50]`: how fast the jobs machinery delivers email.
// Against a local SMTP server (smtp-server, accepting and counting), it measures
//   1. throughput: N outbox rows written at once, until the SMTP server has received all N;
//   2. delay: one booking at a time (at random moments) through the HTTP app, from the 201 to its
//      owner email's arrival.
// Embedded mode (no DATABASE_URL/REDIS_URL): PGlite in a temporary directory, jobs in the app's process.
// With DATABASE_URL and REDIS_URL: a scratch database on that server (created and dropped), BullMQ on
// Redis, and a worker (startJobs, as `npm run worker` runs it) in this process beside the app.
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SMTPServer } from 'smtp-server'
import { buildApp } from '../src/app.js'
import { openQueue, type RunningJobs, startJobs } from '../src/jobs.js'
import { sealMailToken } from '../src/modules/mail/messages.js'
import { outbox } from '../src/modules/outbox/tables.js'
import { createSettingsService } from '../src/modules/settings/service.js'
import { loadConfig } from '../src/platform/config.js'
import { scratchDatabase } from './scratch.js'

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '2000' }, bookings: { type: 'string', default: '50' } },
})
const MESSAGES = Number(values.messages)
const BOOKINGS = Number(values.bookings)

/** Message-IDs received, and a way to wait for one. */
function startSmtp() {
  const received = new Map<string, number>()
  const waiters = new Map<string, () => void>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = ''
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('utf8')
      })
      stream.on('end', () => {
        const id = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? ''
        received.set(id, performance.now())
        waiters.get(id)?.()
        callback()
      })
    },
  })
  return new Promise<{
    port: number
    received: Map<string, number>
    arrival(id: string): Promise<number>
    close(): void
  }>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.server.address() as AddressInfo).port,
        received,
        arrival: (id) =>
          new Promise((done) => {
            const at = received.get(id)
            if (at !== undefined) return done(at)
            waiters.set(id, () => done(received.get(id) as number))
          }),
        close: () => server.close(() => {}),
      }),
    )
  })
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

async function main(): Promise<void> {
  const smtp = await startSmtp()
  const scratch = await scratchDatabase('mailbench')
  const database = scratch.handle
  await database.migrate()
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-mailbench-data-')),
    QUEUE_NAME: `mailbench-${randomUUID()}`,
    THROTTLE_AUTH: 'off',
    THROTTLE_ANON: 'off',
    THROTTLE_USER: 'off',
    SCHEDULER: 'false',
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY,
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(smtp.port),
    EMAIL_USE_TLS: 'false',
    EMAIL_FROM: 'Tessera <noreply@bench.test>',
  })
  const app = await buildApp(config, { database })
  await app.ready()
  let worker: RunningJobs | undefined
  let closeSettings = () => {}
  if (config.redisUrl) {
    const settings = createSettingsService(database.db, app.deps.clock, app.deps.redis)
    closeSettings = () => settings.close()
    worker = await startJobs({
      config,
      database,
      queue: openQueue(config, app.log),
      clock: app.deps.clock,
      settings,
      log: app.log,
    })
  }
  const mode = config.redisUrl
    ? 'PostgreSQL + BullMQ on Redis (worker in this process)'
    : 'embedded (PGlite, in-process queue)'
  console.log(
    `mode: ${mode}; SMTP: smtp-server on 127.0.0.1:${smtp.port}; WORKER_CONCURRENCY=${config.workerConcurrency}`,
  )

  const register = async (role: 'user' | 'creator') => {
    const name = `mb${randomUUID().slice(0, 8)}`
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/register/',
      payload: { username: name, email: `${name}@bench.test`, password: 'correct-Horse-battery-9', role },
    })
    if (response.statusCode !== 201) throw new Error(`register: ${response.statusCode} ${response.body}`)
    const body = response.json().data
    return { id: body.user.id as string, auth: { authorization: `Bearer ${body.tokens.access}` } }
  }
  const [creator, customer] = [await register('creator'), await register('user')]

  // Throughput: N rows committed at once, each a verification email to the customer.
  const rows = Array.from({ length: MESSAGES }, () => ({
    id: randomUUID(),
    template: 'verify_email',
    params: { userId: customer.id, token: sealMailToken(config.secretKey, randomUUID()) },
  }))
  const expected = rows.map((row) => `<${row.id}@bench.test>`)
  const delivered = () => expected.filter((id) => smtp.received.has(id)).length
  const started = performance.now()
  for (let i = 0; i < rows.length; i += 500) await database.db.insert(outbox).values(rows.slice(i, i + 500))
  let last = 0
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    if (performance.now() - started > 300_000) throw new Error('throughput run did not finish in 5 minutes')
    const done = delivered()
    if (done === MESSAGES) break
    if (done - last >= 500) {
      console.log(`  ${done}/${MESSAGES} delivered`)
      last = done
    }
  }
  const seconds = (performance.now() - started) / 1000
  console.log(
    `throughput: ${MESSAGES} emails in ${seconds.toFixed(2)} s = ${(MESSAGES / seconds).toFixed(0)} messages/s`,
  )

  // Delay: a booking, then its owner email.
  const session = await app.inject({
    method: 'POST',
    url: '/api/sessions/',
    headers: creator.auth,
    payload: { title: 'Bench class', duration: 30, price: '10.00', max_participants: 1 },
  })
  const sessionId = session.json().data.id as string
  const delays: number[] = []
  for (let i = 0; i < BOOKINGS; i++) {
    // A random pause, so the bookings do not fall in step with the dispatcher's 250 ms looks.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 300))
    const response = await app.inject({
      method: 'POST',
      url: '/api/bookings/',
      headers: customer.auth,
      payload: {
        session: sessionId,
        booking_date: new Date(Date.UTC(2031, 0, 1) + i * 3_600_000).toISOString(),
      },
    })
    const answered = performance.now()
    if (response.statusCode !== 201) throw new Error(`booking: ${response.statusCode} ${response.body}`)
    const [row] = await database.db
      .execute<{ id: string }>(
        // The booking's outbox row, found by the booking id in its params.
        (await import('drizzle-orm'))
          .sql`select id from outbox where params->>'bookingId' = ${response.json().data.id}`,
      )
      .then((result) => (result as unknown as { rows: { id: string }[] }).rows)
    const arrived = await smtp.arrival(`<${row?.id}@bench.test>`)
    delays.push(arrived - answered)
  }
  delays.sort((a, b) => a - b)
  console.log(
    `booking -> email delay over ${BOOKINGS} bookings: p50 ${percentile(delays, 50).toFixed(1)} ms, p95 ${percentile(delays, 95).toFixed(1)} ms, max ${(delays.at(-1) ?? 0).toFixed(1)} ms`,
  )

  await worker?.stop()
  closeSettings()
  await app.close()
  await database.close()
  await scratch.drop()
  smtp.close()
}

await main()
