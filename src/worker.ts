// `npm run worker`: the job worker and the schedule, as a process of its own. It is needed with
// REDIS_URL; without Redis the web process runs the jobs itself.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import { openQueue, startJobs } from './jobs.js'
import { createSettingsService } from './modules/settings/service.js'
import { systemClock } from './platform/clock.js'
import { loadConfigOrExit } from './platform/config.js'
import { openDatabase } from './platform/db/index.js'
import { loggerOptions } from './platform/logging.js'
import { openRedis } from './platform/redis.js'
import { openTotals } from './platform/totals.js'

const HEARTBEAT_EVERY_MS = 15_000

/**
 * Touches DATA_DIR/worker-heartbeat while the database and the queue answer: the container's health
 * check reads its age.
 */
function beat(path: string, check: () => Promise<unknown>, log: pino.Logger): NodeJS.Timeout {
  mkdirSync(join(path, '..'), { recursive: true })
  const once = () =>
    check().then(
      () => writeFileSync(path, new Date().toISOString()),
      (error) => log.warn({ err: error }, 'heartbeat check failed; not touching the heartbeat file'),
    )
  void once()
  const timer = setInterval(once, HEARTBEAT_EVERY_MS)
  timer.unref()
  return timer
}

export async function main(): Promise<void> {
  const config = loadConfigOrExit()
  const log = pino({ ...loggerOptions(config.logLevel), base: { process: 'worker' } })
  if (!config.redisUrl) {
    log.error(
      'REDIS_URL is not set: without Redis the web process (npm start) runs the jobs and the schedule itself, so there is nothing for a worker to do.',
    )
    process.exitCode = 1
    return
  }
  const database = await openDatabase(config, (error) => log.warn({ err: error }, 'database pool error'))
  const redis = openRedis(config.redisUrl, log)
  const settings = createSettingsService(database.db, systemClock, redis)
  const queue = openQueue(config, log)
  try {
    // Usually already done by the web process; under the migration lock a second run is a no-op.
    await database.migrate()
    const totals = openTotals(redis)
    const jobs = await startJobs({ config, database, queue, clock: systemClock, settings, totals, log })
    log.info(
      `tessera worker: queue "${config.queueName}" on Redis, ${config.workerConcurrency} at a time, schedule ${config.scheduler ? 'on' : 'off'}`,
    )
    const heartbeat = beat(
      join(config.dataDir, 'worker-heartbeat'),
      () => Promise.all([database.ping(), queue.counts()]),
      log,
    )
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        log.info(`${signal} received; finishing running jobs`)
        clearInterval(heartbeat)
        const deadline = setTimeout(() => {
          log.warn(`jobs still running after ${config.shutdownTimeoutMs} ms; exiting (they will be retried)`)
          process.exit(1)
        }, config.shutdownTimeoutMs)
        deadline.unref()
        jobs
          .stop()
          .then(async () => {
            settings.close()
            redis.disconnect()
            await database.close()
            process.exit(0)
          })
          .catch((error) => {
            log.error({ err: error }, 'shutdown failed')
            process.exit(1)
          })
      })
    }
  } catch (error) {
    await queue.close()
    settings.close()
    redis.disconnect()
    await database.close()
    throw error
  }
}
