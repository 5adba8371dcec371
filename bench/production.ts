// `npm run bench -- --production`: the shape a deployment runs in, started and stopped by the bench: a
// Redis of its own, the web server as a cluster of WEB_CONCURRENCY processes, one `npm run worker`
// sending every email to a local SMTP sink (bench/smtp-sink.ts, a process of its own). Afterwards the
// outbox must drain and every email the run caused must have reached the sink.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { loadConfig } from '../src/platform/config.js'
import { type DatabaseHandle, openDatabase, queryRows } from '../src/platform/db/index.js'
import { type Child, freePort, startChild } from './processes.js'

export const PRODUCTION_WEB_CONCURRENCY = 2
const EMAIL_FROM = 'Tessera <noreply@bench.test>'
const DRAIN_TIMEOUT_MS = 180_000

/** The image's NODE_OPTIONS (its heap cap), read from the Dockerfile so that the two cannot differ. */
function imageNodeOptions(root: string): string {
  const found = /^\s*NODE_OPTIONS=("[^"]*"|\S+)/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1]
  if (!found) throw new Error('the Dockerfile sets no NODE_OPTIONS')
  return found.replace(/^"|"$/g, '')
}

export type ProductionShape = {
  /** What the web servers and the worker add to the bench's server environment. */
  env: Record<string, string>
  redis: Child
  sink: Child
}

/** Whether a Redis server answers PING on `port` (a start-up probe). */
export async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } finally {
    client.disconnect()
  }
}

/** Redis (nothing kept on disk) and the SMTP sink, both on free loopback ports. */
export async function startProductionServices(root: string): Promise<ProductionShape> {
  const redis = await startChild({
    name: 'redis',
    command: 'redis-server',
    args: (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    cwd: root,
    env: process.env,
    service: true,
    ready: answersPing,
  })
  const smtpPort = await freePort()
  const sink = await startChild({
    name: 'smtp sink',
    args: ['--import', 'tsx', 'bench/smtp-sink.ts'],
    cwd: root,
    env: { ...process.env, SMTP_PORT: String(smtpPort) },
    service: true,
    readyPath: '/received',
  })
  const redisPort = new URL(redis.url).port
  return {
    redis,
    sink,
    env: {
      NODE_OPTIONS: imageNodeOptions(root),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(smtpPort),
      EMAIL_USE_TLS: 'false',
      EMAIL_FROM,
    },
  }
}

/** `npm run worker`: ready once it has touched its heartbeat file (after migrations and the queue). */
export function startWorker(root: string, env: NodeJS.ProcessEnv, profiling: string[]): Promise<Child> {
  const heartbeat = join(env.DATA_DIR ?? '', 'worker-heartbeat')
  rmSync(heartbeat, { force: true })
  return startChild({
    name: 'worker',
    args: [...profiling, 'dist/main.js', 'worker'],
    cwd: root,
    env,
    ready: async () => existsSync(heartbeat),
  })
}

export type EmailCheck = {
  /** Outbox rows written during the run. */
  written: number
  /** Of those, rows whose Message-ID reached the sink. */
  delivered: number
  /** Rows still unsent when the wait ended, or marked sent without reaching the sink. */
  lost: number
  /** Arrivals beyond the first of a Message-ID (a redelivery; allowed, recognizable). */
  duplicates: number
  /** From the end of the last scenario until no row was unsent. */
  drainSeconds: number
}

const unsentEmails = async (database: DatabaseHandle) =>
  (
    await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from outbox where sent_at is null`,
    )
  )[0]?.n ?? 0

/** Waits (printing progress) until the outbox has no unsent row; answers the seconds it took. */
async function drain(database: DatabaseHandle): Promise<number> {
  const started = performance.now()
  let left = await unsentEmails(database)
  while (left > 0 && performance.now() - started < DRAIN_TIMEOUT_MS) {
    process.stderr.write(`emails: ${left} still to send\n`)
    await sleep(2000)
    left = await unsentEmails(database)
  }
  return (performance.now() - started) / 1000
}

/** Lets the worker send what preparing the run caused, so that no scenario measures it. */
export async function drainOutbox(env: NodeJS.ProcessEnv): Promise<void> {
  const database = await openDatabase(loadConfig({ ...env, LOG_LEVEL: 'silent' }))
  try {
    await drain(database)
  } finally {
    await database.close()
  }
}

/**
 * Waits until the outbox has no unsent row, then compares the rows written since `since` with the
 * Message-IDs the sink received (`<outbox id@bench.test>`).
 */
export async function checkEmails(env: NodeJS.ProcessEnv, sink: Child, since: Date): Promise<EmailCheck> {
  const database = await openDatabase(loadConfig({ ...env, LOG_LEVEL: 'silent' }))
  try {
    const drainSeconds = await drain(database)
    const rows = await queryRows<{ id: string; sent: boolean }>(
      database.db,
      sql`select id, sent_at is not null as sent from outbox where created_at >= ${since.toISOString()}`,
    )
    const arrivals = (await (await fetch(`${sink.url}/received`)).json()) as string[]
    const received = new Set(arrivals.map((messageId) => /^<([^@]+)@/.exec(messageId)?.[1]))
    const delivered = rows.filter((row) => row.sent && received.has(row.id)).length
    return {
      written: rows.length,
      delivered,
      lost: rows.length - delivered,
      duplicates: arrivals.length - received.size,
      drainSeconds,
    }
  } finally {
    await database.close()
  }
}
