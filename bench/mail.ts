// `npm run bench:mail [-- --messages 5000] [--bookings 50] [--profile DIR]`: how fast the jobs
// machinery delivers email. Against a local SMTP server (bench/smtp-sink.ts, accepting and counting), it
// measures
//   1. throughput: N outbox rows written at once, until the SMTP server has received all N, and the CPU
//      time the worker spent on them: messages per second per worker core;
//   2. delay: one booking at a time (at random moments) through the HTTP app, from the 201 to its
//      owner email's arrival.
// Embedded mode (no DATABASE_URL/REDIS_URL): PGlite in a temporary directory, jobs in the app's process,
// whose CPU time is then the worker's. With DATABASE_URL and REDIS_URL: a scratch database on that
// server (created and dropped), BullMQ on Redis, and the worker (`src/main.ts worker`, what `npm run
// worker` runs) as a process of its own, its CPU time read from /proc; `--profile DIR` writes that
// worker's V8 CPU profile to DIR.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { buildApp } from '../src/app.js'
import { sealMailToken } from '../src/modules/mail/messages.js'
import { outboxBacklog } from '../src/modules/outbox/backlog.js'
import { outbox } from '../src/modules/outbox/tables.js'
import { type Config, loadConfig } from '../src/platform/config.js'
import { type Database, queryRows } from '../src/platform/db/index.js'
import { scratchDatabase } from './scratch.js'
import { startSmtpSink } from './smtp-sink.js'

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '5000' },
    bookings: { type: 'string', default: '50' },
    profile: { type: 'string' },
  },
})
const MESSAGES = Number(values.messages)
const BOOKINGS = Number(values.bookings)
const THROUGHPUT_TIMEOUT_MS = 300_000

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

/** The process that runs the jobs, and the CPU time (user + system, seconds) it has used so far. */
type JobsProcess = { cpuSeconds(): number; stop(): Promise<void> }

const thisProcess: JobsProcess = {
  cpuSeconds() {
    const { user, system } = process.cpuUsage()
    return (user + system) / 1e6
  },
  async stop() {},
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))

/** utime + stime of /proc/<pid>/stat (fields 14 and 15; the name in parentheses may hold spaces). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * The worker on the scratch database, the bench's queue and the sink, as its own process; ready once it
 * has touched its heartbeat file (after it started taking jobs).
 */
async function startWorkerProcess(config: Config, databaseUrl: string, profileDir?: string) {
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: config.redisUrl,
    QUEUE_NAME: config.queueName,
    DATA_DIR: config.dataDir,
    SECRET_KEY: config.secretKey,
    SCHEDULER: 'false',
    WORKER_CONCURRENCY: String(config.workerConcurrency),
    EMAIL_HOST: config.email.host,
    EMAIL_PORT: String(config.email.port),
    EMAIL_USE_TLS: 'false',
    EMAIL_FROM: config.email.from,
  }
  const profiling = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', 'src/main.ts', 'worker'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  // A bench that dies on an error must not leave its worker running.
  process.once('exit', () => child.kill('SIGKILL'))
  const heartbeat = join(config.dataDir, 'worker-heartbeat')
  const deadline = Date.now() + 60_000
  while (!existsSync(heartbeat)) {
    if (child.exitCode !== null)
      throw new Error(`the worker exited (code ${child.exitCode}) before it was ready`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error('the worker was not ready within 60 s')
    }
    await sleep(100)
  }
  const pid = child.pid as number
  return {
    cpuSeconds: () => processCpuSeconds(pid),
    async stop() {
      child.kill('SIGTERM')
      await exited(child)
    },
  } satisfies JobsProcess
}

/** The URL of the database `db` is connected to, on the server of DATABASE_URL. */
async function urlOf(db: Database, serverUrl: string): Promise<string> {
  const [row] = await queryRows<{ name: string }>(db, sql`select current_database() as name`)
  const url = new URL(serverUrl)
  url.pathname = `/${row?.name}`
  return url.toString()
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL
  if (process.env.REDIS_URL && !serverUrl)
    throw new Error('REDIS_URL needs DATABASE_URL: a worker process cannot share PGlite')
  const smtp = await startSmtpSink()
  const scratch = await scratchDatabase('mailbench')
  const database = scratch.handle
  await database.migrate()
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: serverUrl,
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
  const jobs = config.redisUrl
    ? await startWorkerProcess(config, await urlOf(database.db, serverUrl as string), values.profile)
    : thisProcess
  const mode = config.redisUrl
    ? 'PostgreSQL + BullMQ on Redis, the worker as a process of its own'
    : `${database.driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}, in-process queue, jobs in this process`
  console.log(
    `mode: ${mode}; SMTP: smtp-sink on 127.0.0.1:${smtp.port}; WORKER_CONCURRENCY=${config.workerConcurrency}`,
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
  // The welcome emails of the two registrations, out of the way before the measurement starts.
  while ((await outboxBacklog(database.db)).unsent > 0) await sleep(50)

  // Throughput: N rows committed at once, each a verification email to the customer.
  const rows = Array.from({ length: MESSAGES }, () => ({
    id: randomUUID(),
    template: 'verify_email',
    params: { userId: customer.id, token: sealMailToken(config.secretKey, randomUUID()) },
  }))
  const expected = rows.map((row) => `<${row.id}@bench.test>`)
  const progress = setInterval(() => {
    console.log(`  ${expected.filter((id) => smtp.received.has(id)).length}/${MESSAGES} delivered`)
  }, 2000)
  const cpuBefore = jobs.cpuSeconds()
  const started = performance.now()
  for (let i = 0; i < rows.length; i += 500) await database.db.insert(outbox).values(rows.slice(i, i + 500))
  const arrivals = await Promise.race([
    Promise.all(expected.map((id) => smtp.arrival(id))),
    sleep(THROUGHPUT_TIMEOUT_MS, undefined, { ref: false }).then(() => {
      throw new Error('throughput run did not finish in 5 minutes')
    }),
  ])
  const cpu = jobs.cpuSeconds() - cpuBefore
  clearInterval(progress)
  const seconds = (Math.max(...arrivals) - started) / 1000
  const expectedIds = new Set(expected)
  const redelivered = smtp.arrivals.filter((id) => expectedIds.has(id)).length - MESSAGES
  console.log(
    `throughput: ${MESSAGES} emails in ${seconds.toFixed(2)} s = ${(MESSAGES / seconds).toFixed(0)} messages/s; ` +
      `worker CPU ${cpu.toFixed(2)} s = ${(MESSAGES / cpu).toFixed(0)} messages/s per worker core` +
      (redelivered > 0 ? ` (${redelivered} delivered twice)` : ''),
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
    await sleep(Math.random() * 300)
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
    // The booking's outbox row, found by the booking id in its params.
    const [row] = await queryRows<{ id: string }>(
      database.db,
      sql`select id from outbox where params->>'bookingId' = ${response.json().data.id}`,
    )
    const arrived = await smtp.arrival(`<${row?.id}@bench.test>`)
    delays.push(arrived - answered)
  }
  delays.sort((a, b) => a - b)
  console.log(
    `booking -> email delay over ${BOOKINGS} bookings: p50 ${percentile(delays, 50).toFixed(1)} ms, p95 ${percentile(delays, 95).toFixed(1)} ms, max ${(delays.at(-1) ?? 0).toFixed(1)} ms`,
  )

  await jobs.stop()
  await app.close()
  await database.close()
  await scratch.drop()
  smtp.close()
}

await main()
