// `npm run bench [-- --duration <s>] [--connections <n>] [--only <name>[,<name>]] [--profile]
// [--production]`: builds dist/ if the sources changed, starts the compiled server (and, on PostgreSQL,
// the yardstick) as child processes, drives every scenario with autocannon and prints the table; the JSON
// goes to .bench/results.json. `--profile` writes the V8 CPU profiles of the servers (and the worker) to
// .bench/profiles/ (open them in Chrome DevTools or speedscope). `--production` runs the deployed shape
// instead of one process (bench/production.ts).

import { spawnSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { buildIfNeeded } from '../scripts/build.mjs'
import { BENCH_DEFAULTS, BENCH_PASSWORD, planBench } from '../src/modules/seed/bench.js'
import { ConfigError, loadConfig } from '../src/platform/config.js'
import { openDatabase, queryRows } from '../src/platform/db/index.js'
import { type BenchUser, benchUsername, login, loginLatency, registerBenchUser } from './accounts.js'
import { feedWithEvents } from './calendar.js'
import { type LoadOptions, type Measurement, measure, stopLoad } from './load.js'
import { type Child, startChild, stopAll, watchMemory } from './processes.js'
import {
  checkEmails,
  drainOutbox,
  type EmailCheck,
  PRODUCTION_WEB_CONCURRENCY,
  type ProductionShape,
  startProductionServices,
  startWorker,
} from './production.js'
import { buildReport, formatReport, type Measured, writeReport } from './report.js'
import {
  type BenchContext,
  BOOKING_SLOTS,
  type Scenario,
  scenarioNames,
  scenarios,
  uuidFor,
  yardstickScenario,
} from './scenarios.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const WARMUP_SECONDS = 2

function positiveInteger(flag: string, value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1) fail(`--${flag} must be a positive integer, not "${value}"`)
  return number
}

function fail(message: string, code = 2): never {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(code)
}

function flags() {
  try {
    return parseArgs({
      options: {
        duration: { type: 'string', default: '10' },
        connections: { type: 'string', default: '64' },
        only: { type: 'string', multiple: true },
        profile: { type: 'boolean', default: false },
        production: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    return fail((error as Error).message)
  }
}

function parseOptions(): { load: LoadOptions; selected: string[]; profile: boolean; production: boolean } {
  const values = flags()
  const load = {
    warmup: WARMUP_SECONDS,
    duration: positiveInteger('duration', values.duration),
    connections: positiveInteger('connections', values.connections),
  }
  const names = values.only?.flatMap((value) => value.split(',')).filter(Boolean)
  const known: readonly string[] = scenarioNames
  const unknown = names?.filter((name) => !known.includes(name)) ?? []
  if (unknown.length > 0) fail(`unknown scenario ${unknown.join(', ')}; known: ${known.join(', ')}`)
  return {
    load,
    selected: names ?? [...known],
    profile: values.profile ?? false,
    production: values.production ?? false,
  }
}

// The server reads .env too; resolving the config the same way keeps the bench on the server's database.
function databaseSettings(): { url: string | undefined; poolSize: number } {
  try {
    const config = loadConfig()
    return { url: config.databaseUrl, poolSize: config.databasePoolSize }
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message)
    throw error
  }
}

function serverEnv(databaseUrl: string | undefined, production?: ProductionShape) {
  // Blank values win over .env: embedded mode really is embedded, without Redis.
  return {
    ...process.env,
    LOG_LEVEL: 'warn',
    WEB_CONCURRENCY: production ? String(PRODUCTION_WEB_CONCURRENCY) : '1',
    // The bench measures throughput, not the throttles that would refuse it.
    THROTTLE_AUTH: 'off',
    THROTTLE_ANON: 'off',
    THROTTLE_USER: 'off',
    // Emails the scenarios cause are written as files there (no EMAIL_HOST), not under ./data.
    DATA_DIR: join(root, '.bench', 'data'),
    // The minute schedule would complete and cancel the seeded past bookings (with their audit rows and
    // emails) in the middle of a scenario: it measures the requests, so the schedule stays off.
    SCHEDULER: 'false',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '', REDIS_URL: '' }),
    // The production shape's own Redis and SMTP sink; otherwise no Redis, so emails are files.
    ...(production ? production.env : { REDIS_URL: '', EMAIL_HOST: '' }),
  }
}

/** Seeds the bench data set (the command skips when it is already there). */
function seed(databaseUrl: string | undefined): void {
  const result = spawnSync(process.execPath, ['dist/main.js', 'cli', 'seed', '--bench'], {
    cwd: root,
    env: serverEnv(databaseUrl),
    stdio: 'inherit',
  })
  if (result.status !== 0) fail('seeding the bench data failed', 1)
}

/** What the scenarios need from the running server: tokens and a deep cursor. */
async function prepare(url: string, benchUser: BenchUser): Promise<BenchContext> {
  // The first user after the business owners: a customer with about a hundred bookings.
  const customer = await login(
    url,
    benchUsername(planBench(BENCH_DEFAULTS).plan.businesses + 1),
    BENCH_PASSWORD,
  )
  const deep = await fetch(`${url}/api/sessions/?page=2000&page_size=20`)
  const body = (await deep.json()) as { meta?: { pagination?: { next_cursor?: string } } }
  const deepCursor = body.meta?.pagination?.next_cursor
  if (!deepCursor) fail('the seeded catalog has no page 2000', 1)
  const ownerAccess = await login(url, benchUsername(1), BENCH_PASSWORD)
  return {
    access: benchUser.access,
    customerAccess: customer,
    ownerAccess,
    businesses: planBench(BENCH_DEFAULTS).plan.businesses,
    sessions: BENCH_DEFAULTS.sessions,
    deepCursor,
    slotOffset: randomInt(BOOKING_SLOTS),
    feedPath: await feedWithEvents(url, ownerAccess),
  }
}

/**
 * Drops the unsent emails earlier bench runs left (runs with Redis start no worker, so theirs pile up):
 * sending tens of thousands of them would load the server through every scenario of this run.
 */
async function discardBenchEmails(databaseUrl: string | undefined): Promise<void> {
  const config = loadConfig({ ...serverEnv(databaseUrl), LOG_LEVEL: 'silent' })
  const database = await openDatabase(config)
  try {
    await database.db.execute(sql`delete from outbox where sent_at is null`)
  } finally {
    await database.close()
  }
}

/** Slots holding more active bookings than seats, or whose counter disagrees with the bookings. */
async function overbookedSlots(databaseUrl: string | undefined): Promise<number> {
  const config = loadConfig({ ...serverEnv(databaseUrl), LOG_LEVEL: 'silent' })
  const database = await openDatabase(config)
  try {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from session_slots slot
          join sessions s on s.id = slot.session_id
          where slot.booked > s.max_participants
             or slot.booked <> (select count(*) from bookings b
                                where b.session_id = slot.session_id and b.booking_date = slot.booking_date
                                  and b.status in ('pending', 'confirmed') and not b.is_deleted)`,
    )
    return row?.n ?? 0
  } finally {
    await database.close()
  }
}

/** Pending or confirmed reservations of one calendar that overlap another (the constraint forbids it). */
async function overlappingReservations(databaseUrl: string | undefined): Promise<number> {
  const config = loadConfig({ ...serverEnv(databaseUrl), LOG_LEVEL: 'silent' })
  const database = await openDatabase(config)
  try {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from reservations a join reservations b
          on a.id < b.id and a.business_id = b.business_id
         and a.staff_id is not distinct from b.staff_id and a.period && b.period
          where a.status in ('pending', 'confirmed') and not a.is_deleted
            and b.status in ('pending', 'confirmed') and not b.is_deleted`,
    )
    return row?.n ?? 0
  } finally {
    await database.close()
  }
}

async function startServers(
  databaseUrl: string | undefined,
  poolSize: number,
  options: { profile: boolean; uncached: boolean; production?: ProductionShape },
) {
  const env = serverEnv(databaseUrl, options.production)
  const profiling = options.profile ? ['--cpu-prof', '--cpu-prof-dir', join(root, '.bench', 'profiles')] : []
  const start = (name: string, extraEnv: Record<string, string>) =>
    startChild({
      name,
      args: [...profiling, 'dist/main.js', 'server'],
      cwd: root,
      env: { ...env, ...extraEnv },
      readyPath: '/health/ready/',
    })
  const server = await start('web', {})
  // Embedded mode keeps one PGlite data directory, which only one process may open.
  const uncached =
    options.uncached && databaseUrl ? await start('web without cache', { CATALOG_CACHE_TTL: '0s' }) : null
  const worker = options.production ? await startWorker(root, env, profiling) : null
  const yardstick = databaseUrl
    ? await startChild({
        name: 'yardstick',
        args: ['--import', 'tsx', 'bench/yardstick.ts'],
        cwd: root,
        env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(poolSize) },
        readyPath: `/session/${uuidFor(1)}`,
      })
    : null
  return { server, uncached, worker, yardstick }
}

async function run(child: Child, scenario: Scenario, load: LoadOptions): Promise<Measurement> {
  process.stderr.write(
    `${scenario.name}: ${load.warmup} s warm-up + ${load.duration} s on ${child.name} ... `,
  )
  const result = await measure(child.url, scenario, load)
  process.stderr.write(`${result.requestsPerSecond.toFixed(0)} req/s, ${result.errors} errors\n`)
  return result
}

let stopping = false

async function main(): Promise<number> {
  const { load, selected, profile, production } = parseOptions()
  const database = databaseSettings()
  if (production && !database.url)
    fail('--production needs DATABASE_URL (several processes share the database)')
  await buildIfNeeded()
  seed(database.url)
  await discardBenchEmails(database.url)
  const since = new Date()
  const shape = production ? await startProductionServices(root) : undefined
  const wanted = scenarioNames.filter((name) => selected.includes(name))
  const { server, uncached, worker, yardstick } = await startServers(database.url, database.poolSize, {
    profile,
    uncached: wanted.some((name) => name.endsWith('-uncached')),
    production: shape,
  })
  const benchUser = await registerBenchUser(server.url)
  const logins = await loginLatency(server.url, benchUser)
  const context = await prepare(server.url, benchUser)
  if (shape) await drainOutbox(serverEnv(database.url, shape))
  // The deployed shape's memory is the web cluster's and the worker's; the cache-less web is the bench's.
  const memory = watchMemory(worker ? [server, worker] : [server])
  const uncachedMemory = uncached ? watchMemory([uncached]) : null
  const yardstickResult = yardstick ? await run(yardstick, yardstickScenario(context.sessions), load) : null
  // The yardstick again just before each scenario, for half as long: this machine's throughput fell by
  // half within one run (6,400 req/s at its start, 3,100 at its end), so a scenario is compared with
  // the yardstick of its own minute.
  const besideLoad = { ...load, warmup: 1, duration: Math.max(3, Math.ceil(load.duration / 2)) }
  const measured: Measured[] = []
  for (const scenario of scenarios(context).filter((s) => selected.includes(s.name))) {
    if (stopping) break
    if (scenario.uncached && !uncached) {
      process.stderr.write(`${scenario.name}: skipped (a second server needs DATABASE_URL)\n`)
      continue
    }
    const beside = yardstick ? await run(yardstick, yardstickScenario(context.sessions), besideLoad) : null
    const measurement = await run(scenario.uncached && uncached ? uncached : server, scenario, load)
    measured.push({ ...measurement, yardstickRps: beside?.requestsPerSecond ?? null })
  }
  const emails: EmailCheck | null = shape
    ? await checkEmails(serverEnv(database.url, shape), shape.sink, since)
    : null
  const report = buildReport({
    database: database.url ? 'postgresql' : 'pglite',
    shape: production
      ? `production: ${PRODUCTION_WEB_CONCURRENCY} web processes, a worker, Redis, an SMTP sink`
      : 'one web process',
    load,
    yardstick: yardstickResult,
    measured,
    memory: memory.stop(),
    uncachedMemory: uncachedMemory?.stop() ?? null,
    emails,
  })
  await stopAll()
  const overbooked = await overbookedSlots(database.url)
  const overlapping = await overlappingReservations(database.url)
  const path = join(root, '.bench', 'results.json')
  writeReport(path, report)
  const loginLine = `login latency: median ${logins.medianMs.toFixed(1)} ms, max ${logins.maxMs.toFixed(1)} ms over ${logins.count} sequential logins`
  const slotLine = [
    `overbooked or miscounted slots after the run (SQL check): ${overbooked}`,
    `overlapping reservations after the run (SQL check): ${overlapping}`,
  ].join('\n')
  process.stdout.write(`\n${formatReport(report)}\n${loginLine}\n${slotLine}\nresults: ${path}\n`)
  if (overbooked > 0 || overlapping > 0 || (emails && emails.lost > 0)) return 1
  const failed = [...(yardstickResult ? [yardstickResult] : []), ...measured].filter((m) => m.errors > 0)
  if (failed.length > 0) {
    process.stderr.write(`bench: errors in ${failed.map((m) => m.scenario).join(', ')}\n`)
    return 1
  }
  return 0
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    process.stderr.write(`\nbench: ${signal}; stopping the servers\n`)
    stopLoad()
    stopAll().finally(() => process.exit(130))
  })
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
    await stopAll()
    process.exit(1)
  },
)
