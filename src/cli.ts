// Management commands: `npm run migrate`, `npm run check`, `npm run createsuperuser`, `npm run seed`
// (and the `cli` entry for the rest).

import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { openQueue } from './jobs.js'
import { createSuperuser } from './modules/accounts/create-superuser.js'
import { argon2Hasher } from './modules/accounts/hasher.js'
import { passwordProblems } from './modules/accounts/password-policy.js'
import { checkReadiness } from './modules/health/service.js'
import { writeMailPreviews } from './modules/mail/preview.js'
import { BENCH_DEFAULTS, type BenchSizes, planBench, seedBench } from './modules/seed/bench.js'
import { seedDashboardBusiness } from './modules/seed/bench-dashboard.js'
import { formatDemoLogins, seedDemo } from './modules/seed/demo.js'
import { systemClock } from './platform/clock.js'
import { type Config, describeConfig, loadConfigOrExit } from './platform/config.js'
import { openDatabase } from './platform/db/index.js'
import { AppError } from './platform/errors.js'
import { openRedis } from './platform/redis.js'

const quietLog = { warn: () => {}, info: () => {} }

async function migrate(config: Config): Promise<number> {
  const database = await openDatabase(config)
  try {
    const started = Date.now()
    await database.migrate()
    console.log(`migrations applied (${database.driver}) in ${Date.now() - started} ms`)
    return 0
  } finally {
    await database.close()
  }
}

async function check(config: Config): Promise<number> {
  console.log('Effective settings (secrets masked):')
  for (const [name, value] of describeConfig()) console.log(`  ${name}=${value}`)
  const database = await openDatabase(config)
  const redis = config.redisUrl ? openRedis(config.redisUrl, quietLog) : null
  const queue = openQueue(config, { ...quietLog, error: () => {} })
  try {
    const report = await checkReadiness({ database, redis, queue }, config.readinessTimeoutMs)
    console.log('Connections:')
    for (const [part, result] of Object.entries(report.checks)) console.log(`  ${part}: ${result}`)
    if (!redis) console.log('  redis: not configured (in-process queue, cache and counters)')
    if (report.backlog.outbox) console.log(`Unsent emails: ${report.backlog.outbox.unsent}`)
    return report.status === 'ok' ? 0 : 1
  } finally {
    await queue.close()
    redis?.disconnect()
    await database.close()
  }
}

const SUPERUSER_FIELDS = ['username', 'email', 'password'] as const
type SuperuserField = (typeof SUPERUSER_FIELDS)[number]

export type SuperuserArgs = {
  username?: string
  email?: string
  password?: string
  force: boolean
  /** Fields not given on the command line, to be prompted for. */
  missing: SuperuserField[]
}

/** A command-line mistake: printed as is, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

const SUPERUSER_USAGE = 'usage: createsuperuser --username U --email E --password P [--force]'

/**
 * Reads `createsuperuser`'s arguments. Whatever is missing is prompted for when `interactive` (stdin
 * is a terminal); otherwise a missing field is a UsageError naming it.
 */
export function parseSuperuserArgs(args: string[], { interactive }: { interactive: boolean }): SuperuserArgs {
  let values: { username?: string; email?: string; password?: string; force?: boolean }
  try {
    ;({ values } = parseArgs({
      args,
      options: {
        username: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        force: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${SUPERUSER_USAGE}`)
  }
  const missing = SUPERUSER_FIELDS.filter((field) => values[field] === undefined)
  if (missing.length > 0 && !interactive) {
    const flags = missing.map((field) => `--${field}`).join(', ')
    throw new UsageError(
      `missing ${flags}: stdin is not a terminal, so there is nothing to prompt on.\n${SUPERUSER_USAGE}`,
    )
  }
  return {
    username: values.username,
    email: values.email,
    password: values.password,
    force: values.force ?? false,
    missing,
  }
}

/** Asks for the missing fields on the terminal; the password is not echoed and is asked twice. */
async function promptSuperuser(
  args: SuperuserArgs,
): Promise<{ username: string; email: string; password: string }> {
  // Everything given: no terminal is touched.
  if (args.username !== undefined && args.email !== undefined && args.password !== undefined) {
    return { username: args.username, email: args.email, password: args.password }
  }
  let muted = false
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stdout.write(chunk, encoding)
      done()
    },
  })
  const rl = createInterface({ input: process.stdin, output, terminal: true })
  rl.on('SIGINT', () => {
    process.stdout.write('\nOperation cancelled.\n')
    rl.close()
    process.exit(130)
  })
  const ask = async (question: string, hidden = false): Promise<string> => {
    if (!hidden) return rl.question(question)
    process.stdout.write(question)
    muted = true
    try {
      return await rl.question('')
    } finally {
      muted = false
      process.stdout.write('\n')
    }
  }
  const askRequired = async (question: string): Promise<string> => {
    for (;;) {
      const answer = (await ask(question)).trim()
      if (answer) return answer
      console.error('Error: This field cannot be blank.')
    }
  }
  try {
    const username = args.username ?? (await askRequired('Username: '))
    const email = args.email ?? (await askRequired('Email address: '))
    let password = args.password
    while (password === undefined) {
      const first = await ask('Password: ', true)
      const again = await ask('Password (again): ', true)
      if (first !== again) {
        console.error("Error: Your passwords didn't match.")
        continue
      }
      if (!first) {
        console.error("Error: Blank passwords aren't allowed.")
        continue
      }
      const problems = args.force ? [] : passwordProblems(first, { username, email })
      if (problems.length > 0) {
        for (const problem of problems) console.error(`Error: ${problem}`)
        console.error('Choose another password (or run again with --force to keep a weak one).')
        continue
      }
      password = first
    }
    return { username, email, password }
  } finally {
    rl.close()
  }
}

async function createsuperuser(config: Config, argv: string[]): Promise<number> {
  let input: { username: string; email: string; password: string }
  let force: boolean
  try {
    const args = parseSuperuserArgs(argv, { interactive: Boolean(process.stdin.isTTY) })
    force = args.force
    input = await promptSuperuser(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`createsuperuser: ${error.message}`)
    return 2
  }
  const database = await openDatabase(config)
  try {
    await database.migrate()
    const user = await createSuperuser(database.db, argon2Hasher, { ...input, force })
    console.log(`Superuser "${user.username}" created.`)
    return 0
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    console.error(`createsuperuser: no superuser created (${error.message.toLowerCase()}):`)
    for (const [field, messages] of Object.entries(error.errors ?? {})) {
      for (const message of messages) console.error(`  ${field}: ${message}`)
    }
    if (error.errors?.password && !force) console.error('  (--force accepts a password the policy refuses)')
    return 1
  } finally {
    await database.close()
  }
}

export type SeedArgs = { mode: 'demo' } | ({ mode: 'bench' } & BenchSizes)

const SEED_USAGE =
  'usage: seed --demo\n       seed --bench [--sessions N] [--users M] [--bookings K]' +
  ` (defaults ${BENCH_DEFAULTS.sessions}/${BENCH_DEFAULTS.users}/${BENCH_DEFAULTS.bookings})`

/** Reads `seed`'s arguments: exactly one of --demo and --bench; the sizes only with --bench. */
export function parseSeedArgs(args: string[]): SeedArgs {
  let values: { demo?: boolean; bench?: boolean; sessions?: string; users?: string; bookings?: string }
  try {
    ;({ values } = parseArgs({
      args,
      options: {
        demo: { type: 'boolean' },
        bench: { type: 'boolean' },
        sessions: { type: 'string' },
        users: { type: 'string' },
        bookings: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${SEED_USAGE}`)
  }
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

async function seed(config: Config, argv: string[]): Promise<number> {
  let args: SeedArgs
  try {
    args = parseSeedArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`seed: ${error.message}`)
    return 2
  }
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

const MAIL_PREVIEW_USAGE = 'usage: mail-preview [--out DIR]'

async function mailPreview(config: Config, argv: string[]): Promise<number> {
  let values: { out?: string }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    console.error(`mail-preview: ${(error as Error).message}\n${MAIL_PREVIEW_USAGE}`)
    return 2
  }
  const directory = resolve(values.out ?? join(config.dataDir, 'mail-preview'))
  for (const path of await writeMailPreviews(directory)) console.log(path)
  return 0
}

const commands: Record<string, { help: string; run(config: Config, args: string[]): Promise<number> }> = {
  migrate: { help: 'apply pending database migrations and exit', run: migrate },
  check: { help: 'print the effective settings (secrets masked) and test the connections', run: check },
  createsuperuser: {
    help: 'create a platform admin: --username U --email E --password P [--force]; prompts for what is missing',
    run: createsuperuser,
  },
  seed: {
    help: 'write demo data (--demo) or the benchmark data set (--bench [--sessions N] [--users M] [--bookings K])',
    run: seed,
  },
  'mail-preview': {
    help: 'render every email template with sample data to .html and .txt files (--out DIR, default DATA_DIR/mail-preview)',
    run: mailPreview,
  },
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, { help }]) => `  ${name.padEnd(16)} ${help}`)
  return `usage: cli <command> [args]\n\ncommands:\n${lines.join('\n')}`
}

export async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args
  const command = name ? commands[name] : undefined
  if (!command) {
    console.error(name ? `unknown command "${name}"\n\n${usage()}` : usage())
    process.exitCode = 2
    return
  }
  process.exitCode = await command.run(loadConfigOrExit(), rest)
}
