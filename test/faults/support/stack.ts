// The services one scenario runs on, all its own: a database (on DATABASE_URL's server, or a whole
// PostgreSQL instance for a scenario that restarts it), a Redis and an SMTP sink; the environment of the
// processes that use them; and one teardown for everything.
import { stopAll } from '../../../bench/processes.js'
import type { DatabaseHandle } from '../../../src/platform/db/index.js'
import {
  type OwnPostgres,
  type OwnRedis,
  ownDatabase,
  ownPostgres,
  ownRedis,
  type RefusingSmtpSink,
  smtpSink,
} from './services.js'
import { deploymentEnv, openDeploymentDatabase } from './tessera.js'

export type Stack = {
  env: NodeJS.ProcessEnv
  /** The deployment's database, opened from the test for setting up and checking by SQL. */
  database: DatabaseHandle
  redis: OwnRedis
  sink: RefusingSmtpSink
  /** Only with `ownPostgres`. */
  postgres?: OwnPostgres
  /** Stops every process the scenario started, then the services; drops the database. */
  teardown(): Promise<void>
}

export async function ownStack(
  settings: Record<string, string | number> = {},
  options: { ownPostgres?: boolean } = {},
): Promise<Stack> {
  const postgres = options.ownPostgres ? await ownPostgres() : undefined
  const database = postgres ? undefined : await ownDatabase()
  const databaseUrl = postgres?.url ?? (database?.url as string)
  const redis = await ownRedis()
  const sink = await smtpSink()
  const handle = await openDeploymentDatabase(databaseUrl)
  await handle.migrate()
  return {
    env: deploymentEnv({ databaseUrl, redisUrl: redis.url, smtpPort: sink.port, ...settings }),
    database: handle,
    redis,
    sink,
    ...(postgres ? { postgres } : {}),
    async teardown() {
      await stopAll()
      await handle.close()
      await sink.close()
      await database?.drop()
      postgres?.remove()
    },
  }
}
