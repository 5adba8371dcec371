// `npm run migrate`: applies pending migrations and exits.
import type { Config } from '../platform/config.js'
import { openDatabase } from '../platform/db/index.js'
import type { Command } from './command.js'

async function run(config: Config): Promise<number> {
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

export const migrate: Command = { help: 'apply pending database migrations and exit', run }
