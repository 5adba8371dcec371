// Tessera as deployed, started by a fault scenario: web processes and workers (from the sources, through
// tsx), the accounts a scenario needs, and a client whose every request is bounded in time.
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { type Child, startChild } from '../../../bench/processes.js'
import { createTokenService } from '../../../src/modules/accounts/tokens.js'
import { systemClock } from '../../../src/platform/clock.js'
import { loadConfig } from '../../../src/platform/config.js'
import { type DatabaseHandle, openDatabase, queryRows } from '../../../src/platform/db/index.js'

const root = new URL('../../../', import.meta.url).pathname
/** The deployment's SECRET_KEY: tokens and sealed email params made here are valid there. */
export const SECRET_KEY = `faults-${randomBytes(24).toString('hex')}`
const REQUEST_TIMEOUT_MS = 15_000

export type Deployment = { databaseUrl: string; redisUrl: string; smtpPort: number } & Record<
  string,
  string | number
>

/** The environment of every process of a deployment: production settings, loopback, quiet logs. */
export function deploymentEnv(deployment: Deployment): NodeJS.ProcessEnv {
  const { databaseUrl, redisUrl, smtpPort, ...extra } = deployment
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SECRET_KEY,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ALLOWED_HOSTS: '127.0.0.1,localhost',
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(smtpPort),
    EMAIL_USE_TLS: 'false',
    EMAIL_FROM: 'Tessera <noreply@faults.test>',
    ...Object.fromEntries(Object.entries(extra).map(([name, value]) => [name, String(value)])),
  }
}

/** One web process (`node src/main.ts server`), ready once /health/ready/ answers 200. */
export function startWeb(env: NodeJS.ProcessEnv, name = 'web'): Promise<Child> {
  return startChild({
    name,
    args: ['--import', 'tsx', 'src/main.ts', 'server'],
    cwd: root,
    env,
    readyPath: '/health/ready/',
    timeoutMs: 90_000,
  })
}

/** One worker (`node src/main.ts worker`), ready once it touches its heartbeat file. */
export function startWorker(env: NodeJS.ProcessEnv): Promise<Child> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-faults-worker-'))
  const heartbeat = join(dataDir, 'worker-heartbeat')
  return startChild({
    name: 'worker',
    args: ['--import', 'tsx', 'src/main.ts', 'worker'],
    cwd: root,
    env: { ...env, DATA_DIR: dataDir },
    timeoutMs: 90_000,
    ready: async () => existsSync(heartbeat),
  }).finally(() => rmSync(heartbeat, { force: true }))
}

export type Answer = { status: number; body: Record<string, unknown>; headers: Headers; at: number }

/**
 * A request to `base` with a JSON body; a network failure or no answer within 15 s is status 0 (a hang
 * counts as a failure, never as a wait).
 */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  try {
    const response = await fetch(base + path, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    const text = await response.text()
    const body = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text }
    return { status: response.status, body, headers: response.headers, at: performance.now() }
  } catch (error) {
    return { status: 0, body: { error: String(error) }, headers: new Headers(), at: performance.now() }
  }
}

/** The `data` of an answer that must have `status`. */
export function dataOf<T>(answer: Answer, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body.data as T
}

/** Opens the deployment's database from this process, for setting up and for checks by SQL. */
export function openDeploymentDatabase(databaseUrl: string): Promise<DatabaseHandle> {
  return openDatabase(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }))
}

const tokens = createTokenService(SECRET_KEY, systemClock, { accessMs: 4 * 3_600_000, refreshMs: 86_400_000 })

export type Account = { id: string; username: string; token: string }

/**
 * `count` verified accounts written straight into the database, each with an access token signed with
 * the deployment's key (what login would answer, without 1,000 Argon2 verifications). They cannot log
 * in: their password field is no hash.
 */
export async function makeAccounts(
  database: DatabaseHandle,
  count: number,
  role: 'user' | 'creator' | 'admin' = 'user',
): Promise<Account[]> {
  const batch = randomBytes(4).toString('hex')
  const rows = await queryRows<{ id: string; username: string }>(
    database.db,
    sql`insert into users (username, email, password, role, email_verified)
      select 'fault_' || ${batch} || '_' || g, 'fault_' || ${batch} || '_' || g || '@faults.test', '!', ${role}::user_role, true
      from generate_series(1, ${count}) g
      returning id, username`,
  )
  return rows.map((row) => ({ ...row, token: tokens.issueAccess(row.id) }))
}

/** A creator with a business of their own, registered through the API: their account and business id. */
export async function makeOwner(base: string): Promise<Account & { business: string; password: string }> {
  const username = `owner_${randomBytes(4).toString('hex')}`
  const password = `Faults-${randomUUID()}`
  const registered = dataOf<{ user: { id: string }; tokens: { access: string } }>(
    await call(base, 'POST', '/api/auth/register/', {
      body: { username, email: `${username}@faults.test`, password, role: 'creator' },
    }),
    201,
    'register the owner',
  )
  const token = registered.tokens.access
  const [business] = dataOf<{ id: string }[]>(
    await call(base, 'GET', '/api/businesses/', { token }),
    200,
    'the owner’s business',
  )
  if (!business) throw new Error('the owner has no business')
  return { id: registered.user.id, username, password, token, business: business.id }
}

/** A session of `owner`'s business (no schedule: any future date is a slot). */
export async function makeSession(base: string, token: string, maxParticipants: number): Promise<string> {
  const session = dataOf<{ id: string }>(
    await call(base, 'POST', '/api/sessions/', {
      token,
      body: { title: 'Fault class', duration: 60, price: '10.00', max_participants: maxParticipants },
    }),
    201,
    'create a session',
  )
  return session.id
}

/** 10:00 UTC `days` from today: a booking date (a slot of a session without schedule). */
export function dayFromNow(days: number): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T10:00:00.000Z`
}

/** Counts answers by status and error code: `201`, `409 session_full`, `0` (no answer). */
export function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const answer of answers) {
    const code = answer.status >= 400 ? (answer.body.code as string | undefined) : undefined
    const key = code ? `${answer.status} ${code}` : String(answer.status)
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

/** Message-IDs are `<outbox row id@faults.test>` (EMAIL_FROM's domain): the row id of each. */
const outboxIdOf = (messageId: string) => /^<([^@]+)@faults\.test>$/.exec(messageId)?.[1]

/** Waits for `done()` (checked every second, printing `progress()` every 5 s) or fails after `timeoutMs`. */
export async function waitFor(
  what: string,
  done: () => Promise<boolean>,
  timeoutMs: number,
  progress?: () => Promise<string>,
): Promise<number> {
  const started = performance.now()
  let printed = started
  while (!(await done())) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
    if (progress && performance.now() - printed >= 5000) {
      printed = performance.now()
      console.log(`  ${what}: ${await progress()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  return (performance.now() - started) / 1000
}

export type EmailCheck = { written: number; missing: string[]; duplicates: number; drainSeconds: number }

/**
 * Waits until the outbox has no unsent row, then checks that every row's Message-ID reached the sink
 * (`arrivals()`, in arrival order, repeats included).
 */
export async function checkEmails(
  database: DatabaseHandle,
  arrivals: () => string[],
  timeoutMs: number,
): Promise<EmailCheck> {
  const unsent = async () =>
    (
      await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from outbox where sent_at is null`,
      )
    )[0]?.n ?? 0
  const drainSeconds = await waitFor(
    'outbox drain',
    async () => (await unsent()) === 0,
    timeoutMs,
    async () => `${await unsent()} unsent`,
  )
  const rows = await queryRows<{ id: string }>(database.db, sql`select id from outbox`)
  const seen = arrivals()
  const received = new Set(seen.map(outboxIdOf))
  return {
    written: rows.length,
    missing: rows.map((row) => row.id).filter((id) => !received.has(id)),
    duplicates: seen.length - received.size,
    drainSeconds,
  }
}
