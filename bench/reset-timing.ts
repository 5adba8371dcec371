// `npm run bench:reset-timing [-- --requests 30]`: whether a password reset request answers as fast for
// an address with an account as for one without (a difference tells a caller which addresses exist).
// It builds the app (embedded PGlite in a temporary directory, or a scratch database on the server of
// DATABASE_URL), registers one user, then sends N reset requests for the user's address and N for an
// unknown one, interleaved (the order alternating each round) after a warm-up, and prints median, p90
// and mean of both and their difference. The app's clock moves an hour between rounds, so the hourly
// cap of reset emails per address never cuts a request short.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { buildApp } from '../src/app.js'
import { ManualClock } from '../src/platform/clock.js'
import { loadConfig } from '../src/platform/config.js'
import { scratchDatabase } from './scratch.js'

const { values } = parseArgs({ options: { requests: { type: 'string', default: '30' } } })
const REQUESTS = Number(values.requests)
if (!Number.isInteger(REQUESTS) || REQUESTS < 1) throw new Error('--requests takes a positive integer')
const WARM_UP = 5
const HOUR_MS = 60 * 60_000

type Stats = { median: number; p90: number; mean: number }

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0
  const middle = sorted.length / 2
  const median = sorted.length % 2 ? at(0.5) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
  return { median, p90: at(0.9), mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length }
}

async function main(): Promise<void> {
  const scratch = await scratchDatabase('resetbench')
  const database = scratch.handle
  await database.migrate()
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-resetbench-data-'))
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: process.env.DATABASE_URL,
    DATA_DIR: dataDir,
    THROTTLE_AUTH: 'off',
    THROTTLE_ANON: 'off',
    THROTTLE_USER: 'off',
    SCHEDULER: 'false',
  })
  const clock = new ManualClock(new Date())
  const app = await buildApp(config, { database, clock })
  await app.ready()
  console.log(
    `database: ${config.databaseUrl ? 'PostgreSQL (scratch database)' : 'embedded PGlite'}; ${REQUESTS} requests per address after ${WARM_UP} warm-up rounds`,
  )

  const name = `rt${randomUUID().slice(0, 8)}`
  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register/',
    payload: { username: name, email: `${name}@bench.test`, password: 'correct-Horse-battery-9' },
  })
  if (registered.statusCode !== 201) throw new Error(`register: ${registered.statusCode} ${registered.body}`)

  const addresses = { existing: `${name}@bench.test`, unknown: `nobody-${name}@bench.test` }
  const timings: Record<keyof typeof addresses, number[]> = { existing: [], unknown: [] }
  const timed = async (which: keyof typeof addresses): Promise<number> => {
    const started = performance.now()
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/password/reset/',
      payload: { email: addresses[which] },
    })
    const elapsed = performance.now() - started
    if (response.statusCode !== 200) throw new Error(`reset: ${response.statusCode} ${response.body}`)
    return elapsed
  }
  for (let round = 0; round < WARM_UP + REQUESTS; round++) {
    clock.advance(HOUR_MS + 1000)
    const order = round % 2 ? (['unknown', 'existing'] as const) : (['existing', 'unknown'] as const)
    for (const which of order) {
      const elapsed = await timed(which)
      if (round >= WARM_UP) timings[which].push(elapsed)
    }
  }

  const existing = stats(timings.existing)
  const unknown = stats(timings.unknown)
  const row = (label: string, s: Stats) =>
    `${label.padEnd(22)}${s.median.toFixed(2).padStart(9)}${s.p90.toFixed(2).padStart(9)}${s.mean.toFixed(2).padStart(9)}`
  console.log(`${''.padEnd(22)}${'median'.padStart(9)}${'p90'.padStart(9)}${'mean'.padStart(9)}   (ms)`)
  console.log(row('existing address', existing))
  console.log(row('unknown address', unknown))
  console.log(
    row('existing - unknown', {
      median: existing.median - unknown.median,
      p90: existing.p90 - unknown.p90,
      mean: existing.mean - unknown.mean,
    }),
  )

  await app.close()
  await database.close()
  await scratch.drop()
  rmSync(dataDir, { recursive: true, force: true })
}

await main()
