// `npm run createsuperuser`: a platform admin (role admin, staff, superuser, email verified), from the
// command line or, for whatever is missing there, from prompts on a terminal.
import { createInterface } from 'node:readline/promises'
import { Writable } from 'node:stream'
import { createSuperuser } from '../modules/accounts/create-superuser.js'
import { argon2Hasher } from '../modules/accounts/hasher.js'
import { passwordProblems } from '../modules/accounts/password-policy.js'
import type { Config } from '../platform/config.js'
import { openDatabase } from '../platform/db/index.js'
import { AppError } from '../platform/errors.js'
import { type Command, readFlags, UsageError } from './command.js'

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

const SUPERUSER_USAGE = 'usage: createsuperuser --username U --email E --password P [--force]'

/**
 * Reads `createsuperuser`'s arguments. Whatever is missing is prompted for when `interactive` (stdin
 * is a terminal); otherwise a missing field is a UsageError naming it.
 */
export function parseSuperuserArgs(args: string[], { interactive }: { interactive: boolean }): SuperuserArgs {
  const options = {
    username: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    force: { type: 'boolean' },
  } as const
  const values = readFlags(args, options, SUPERUSER_USAGE)
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

async function run(config: Config, argv: string[]): Promise<number> {
  const args = parseSuperuserArgs(argv, { interactive: Boolean(process.stdin.isTTY) })
  const input = await promptSuperuser(args)
  const database = await openDatabase(config)
  try {
    await database.migrate()
    const user = await createSuperuser(database.db, argon2Hasher, { ...input, force: args.force })
    console.log(`Superuser "${user.username}" created.`)
    return 0
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    console.error(`createsuperuser: no superuser created (${error.message.toLowerCase()}):`)
    for (const [field, messages] of Object.entries(error.errors ?? {})) {
      for (const message of messages) console.error(`  ${field}: ${message}`)
    }
    if (error.errors?.password && !args.force)
      console.error('  (--force accepts a password the policy refuses)')
    return 1
  } finally {
    await database.close()
  }
}

export const createsuperuser: Command = {
  help: 'create a platform admin: --username U --email E --password P [--force]; prompts for what is missing',
  run,
}
