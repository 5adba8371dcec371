// Running the jobs in tests the way production does: without Redis the test app runs them itself;
// with Redis (the PostgreSQL + Redis run) a worker of the test's own consumes the app's BullMQ queue,
// as `npm run worker` would.
import { afterAll, beforeAll } from 'vitest'
import type { App } from '../../src/app.js'
import { openQueue, type RunningJobs, startJobs } from '../../src/jobs.js'
import { createSettingsService } from '../../src/modules/settings/service.js'

/** A worker on the app's database and queue, as `npm run worker` starts one; stop() also closes its settings. */
export async function startWorker(app: App): Promise<RunningJobs> {
  const { database, clock, redis, totals } = app.deps
  const settings = createSettingsService(database.db, clock, redis)
  const jobs = await startJobs({
    config: app.config,
    database,
    queue: openQueue(app.config, app.log),
    clock,
    settings,
    totals,
    log: app.log,
    ...(app.deps.mailTransport ? { transport: app.deps.mailTransport } : {}),
  })
  return {
    async stop() {
      await jobs.stop()
      settings.close()
    },
  }
}

/** Starts a worker on the app's queue when the app does not run its jobs itself (REDIS_URL set). */
export function useWorker(getApp: () => App) {
  let worker: RunningJobs | undefined
  beforeAll(async () => {
    const app = getApp()
    if (app.config.redisUrl) worker = await startWorker(app)
  })
  afterAll(async () => {
    await worker?.stop()
  })
}

/** Polls `check` every 10 ms until it holds; fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await check()
    if (result) return result as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
