// startJobs, the entry of the worker and of a web process without Redis: it refuses to start while a
// declared job has no handler, naming it, instead of leaving that job's messages waiting forever.
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { openQueue, startJobs } from '../src/jobs.js'
import { createSettingsService } from '../src/modules/settings/service.js'
import { systemClock } from '../src/platform/clock.js'
import type { DatabaseHandle } from '../src/platform/db/index.js'
import { defineJob } from '../src/platform/jobs/registry.js'
import { MemoryTotals } from '../src/platform/totals.js'
import { openTestDatabase, testConfig } from './helpers/app.js'

describe('startJobs', () => {
  let database: DatabaseHandle | undefined
  afterAll(async () => {
    await database?.close()
  })

  it('refuses to start while a declared job has no handler', async () => {
    defineJob<{ report: string }>('test.orphan')
    database = await openTestDatabase()
    const config = testConfig()
    const log = pino({ level: 'silent' })
    const queue = openQueue(config, log)
    const settings = createSettingsService(database.db, systemClock, null)
    try {
      const totals = new MemoryTotals()
      await expect(
        startJobs({ config, database, queue, clock: systemClock, settings, totals, log }),
      ).rejects.toThrow('no handler registered for job(s): test.orphan')
      expect(await queue.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 })
    } finally {
      await queue.close()
      settings.close()
    }
  })
})
