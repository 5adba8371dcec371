// Management commands: `npm run migrate`, `npm run check` (and the `cli` entry for the rest).

import { checkReadiness } from './modules/health/service.js'
import { type Config, describeConfig, loadConfigOrExit } from './platform/config.js'
import { openDatabase } from './platform/db/index.js'
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
  try {
    const report = await checkReadiness({ database, redis }, config.readinessTimeoutMs)
    console.log('Connections:')
    for (const [part, result] of Object.entries(report.checks)) console.log(`  ${part}: ${result}`)
    if (!redis) console.log('  redis: not configured (in-process queue, cache and counters)')
    return report.status === 'ok' ? 0 : 1
  } finally {
    redis?.disconnect()
    await database.close()
  }
}

const commands: Record<string, { help: string; run(config: Config, args: string[]): Promise<number> }> = {
  migrate: { help: 'apply pending database migrations and exit', run: migrate },
  check: { help: 'print the effective settings (secrets masked) and test the connections', run: check },
}

// Listed so `npm run createsuperuser` and `npm run seed` say what they are waiting for.
const upcoming: Record<string, string> = {
  createsuperuser: 'arrives with the accounts module (users do not exist yet)',
  seed: 'arrives with the catalog module (there is nothing to seed yet)',
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, { help }]) => `  ${name.padEnd(16)} ${help}`)
  return `usage: cli <command> [args]\n\ncommands:\n${lines.join('\n')}`
}

export async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args
  const command = name ? commands[name] : undefined
  if (name && upcoming[name]) {
    console.error(`cli ${name}: ${upcoming[name]}`)
    process.exitCode = 1
    return
  }
  if (!command) {
    console.error(name ? `unknown command "${name}"\n\n${usage()}` : usage())
    process.exitCode = 2
    return
  }
  process.exitCode = await command.run(loadConfigOrExit(), rest)
}
