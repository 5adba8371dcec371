// `npm run check`: the effective settings (secrets masked) and whether the database and Redis answer.
import { openQueue } from '../jobs.js'
import { checkReadiness } from '../modules/health/service.js'
import { type Config, describeConfig } from '../platform/config.js'
import { openDatabase } from '../platform/db/index.js'
import { openRedis } from '../platform/redis.js'
import type { Command } from './command.js'

const quietLog = { warn: () => {}, info: () => {} }

async function run(config: Config): Promise<number> {
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

export const check: Command = {
  help: 'print the effective settings (secrets masked) and test the connections',
  run,
}
