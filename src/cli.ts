// Management commands: `npm run migrate`, `npm run check`, `npm run createsuperuser`, `npm run seed`,
// `npm run mail-preview` (and the `cli` entry for the rest). Each command is a file of its own under
// commands/; this picks one by name.
import { check } from './commands/check.js'
import { type Command, UsageError } from './commands/command.js'
import { createsuperuser } from './commands/createsuperuser.js'
import { mailPreview } from './commands/mail-preview.js'
import { migrate } from './commands/migrate.js'
import { seed } from './commands/seed.js'
import { loadConfigOrExit } from './platform/config.js'

// The argument parsers, which the tests hold to their contract, keep their address here.
export { UsageError } from './commands/command.js'
export { parseSuperuserArgs } from './commands/createsuperuser.js'
export { parseSeedArgs } from './commands/seed.js'

const commands: Record<string, Command> = {
  migrate,
  check,
  createsuperuser,
  seed,
  'mail-preview': mailPreview,
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
  try {
    process.exitCode = await command.run(loadConfigOrExit(), rest)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`${name}: ${error.message}`)
    process.exitCode = 2
  }
}
