// Running the jobs in tests the way production does: without Redis the test app runs them itself;
// with Redis (the PostgreSQL + Redis run) a worker of the test's own consumes the app's BullMQ queue,
// as `npm run worker` would.
import { afterAll, beforeAll } from 'vitest'
import type { App } from '../../src/app.js'
import { openQueue, type RunningJobs, startJobs } from '../../src/jobs.js'
import { createSettingsService } from '../../src/modules/settings/service.js'

/** Starts a worker on the app's queue when the app does not run its jobs itself (REDIS_URL set). */
export function useWorker(getApp: () => App) {
  let jobs: RunningJobs | undefined
  let closeSettings = () => {}
  beforeAll(async () => {
    const app = getApp()
    if (!app.config.redisUrl) return
    const { database, clock, redis } = app.deps
    const settings = createSettingsService(database.db, clock, redis)
    closeSettings = () => settings.close()
    jobs = await startJobs({
      config: app.config,
      database,
      queue: openQueue(app.config, app.log),
      clock,
      settings,
      log: app.log,
      ...(app.deps.mailTransport ? { transport: app.deps.mailTransport } : {}),
    })
  })
  afterAll(async () => {
    await jobs?.stop()
    closeSettings()
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
