// `npm run seed`: the demo data (--demo) or the deterministic benchmark data set (--bench), with the
// dashboard business that the benchmark reads.
import { argon2Hasher } from '../modules/accounts/hasher.js'
import { BENCH_DEFAULTS, type BenchSizes, planBench, seedBench } from '../modules/seed/bench.js'
import { seedDashboardBusiness } from '../modules/seed/bench-dashboard.js'
import { formatDemoLogins, seedDemo } from '../modules/seed/demo.js'
import { systemClock } from '../platform/clock.js'
import type { Config } from '../platform/config.js'
import { openDatabase } from '../platform/db/index.js'
import { type Command, readFlags, UsageError } from './command.js'

export type SeedArgs = { mode: 'demo' } | ({ mode: 'bench' } & BenchSizes)

const SEED_USAGE =
  'usage: seed --demo\n       seed --bench [--sessions N] [--users M] [--bookings K]' +
  ` (defaults ${BENCH_DEFAULTS.sessions}/${BENCH_DEFAULTS.users}/${BENCH_DEFAULTS.bookings})`

/** Reads `seed`'s arguments: exactly one of --demo and --bench; the sizes only with --bench. */
export function parseSeedArgs(args: string[]): SeedArgs {
  const options = {
    demo: { type: 'boolean' },
    bench: { type: 'boolean' },
    sessions: { type: 'string' },
    users: { type: 'string' },
    bookings: { type: 'string' },
  } as const
  const values = readFlags(args, options, SEED_USAGE)
  if (Boolean(values.demo) === Boolean(values.bench)) {
    throw new UsageError(`give one of --demo and --bench\n${SEED_USAGE}`)
  }
  const sizeFlags = (['sessions', 'users', 'bookings'] as const).filter((flag) => values[flag] !== undefined)
  if (values.demo) {
    if (sizeFlags.length > 0) {
      throw new UsageError(
        `${sizeFlags.map((flag) => `--${flag}`).join(', ')} only go with --bench\n${SEED_USAGE}`,
      )
    }
    return { mode: 'demo' }
  }
  const size = (flag: 'sessions' | 'users' | 'bookings'): number => {
    const text = values[flag]
    if (text === undefined) return BENCH_DEFAULTS[flag]
    // Digits only (an optional _ or , as a thousands separator): "1e5" or "10.5" is a mistake.
    if (!/^\d[\d_,]*$/.test(text)) throw new UsageError(`--${flag} must be a positive integer, not "${text}"`)
    return Number(text.replace(/[_,]/g, ''))
  }
  const sizes = { sessions: size('sessions'), users: size('users'), bookings: size('bookings') }
  const { problems } = planBench(sizes)
  if (problems.length > 0) throw new UsageError(`${problems.join('\n')}\n${SEED_USAGE}`)
  return { mode: 'bench', ...sizes }
}

/** A `\r`-rewritten progress line on a terminal; one line per finished phase otherwise. */
function progressLine(): (phase: string, done: number, total: number) => void {
  const started = Date.now()
  const tty = Boolean(process.stderr.isTTY)
  return (phase, done, total) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    const line = phase === 'analyze' ? `analyze (${seconds} s)` : `${phase} ${done}/${total} (${seconds} s)`
    if (done === total) process.stderr.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`)
    else if (tty) process.stderr.write(`\r${line}\x1b[K`)
  }
}

async function run(config: Config, argv: string[]): Promise<number> {
  const args = parseSeedArgs(argv)
  const database = await openDatabase(config)
  try {
    await database.migrate()
    const started = Date.now()
    if (args.mode === 'demo') {
      const result = await seedDemo(database.db, argon2Hasher, systemClock)
      if (result.skipped) {
        console.log(
          `Demo data is already there (${result.existing.join(', ')}): nothing written. The demo password is ${result.password}`,
        )
        return 0
      }
      const { counts } = result
      console.log(
        `Demo data written (${database.driver}, ${Date.now() - started} ms): ${counts.businesses} businesses, ${counts.users} users, ${counts.sessions} sessions, ${counts.bookings} bookings.\n`,
      )
      console.log(formatDemoLogins(result.logins, result.password))
      return 0
    }
    const result = await seedBench(database.db, args, progressLine())
    if (result.skipped) {
      console.log(
        `Bench data is already there (${result.existingUsers} bench users, ${result.existingSessions} bench sessions): nothing written.`,
      )
    } else {
      const { plan } = result
      console.log(
        `Bench data written (${database.driver}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${plan.users} users (bench_user_1..${plan.users}), ${plan.businesses} businesses, ${plan.sessions} sessions, ${plan.bookings} bookings, ${result.slots} slots.`,
      )
    }
    const dashboard = await seedDashboardBusiness(
      database.db,
      planBench(args).plan,
      systemClock.now(),
      progressLine(),
    )
    if (!dashboard.skipped) {
      console.log(
        `Dashboard business written: ${dashboard.bookings} bookings and ${dashboard.reservations} reservations around today.`,
      )
    }
    console.log(`Every bench_user_<n> logs in with the password ${result.password}`)
    return 0
  } finally {
    await database.close()
  }
}

export const seed: Command = {
  help: 'write demo data (--demo) or the benchmark data set (--bench [--sessions N] [--users M] [--bookings K])',
  run,
}
