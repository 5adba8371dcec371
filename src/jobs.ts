// Background work: the queue, its handlers, the dispatchers and the schedule. The worker process
// runs this; without Redis the web process runs it too (the embedded default has no separate worker).
import type { FastifyBaseLogger } from 'fastify'
import { registerAutomationJobs, scheduleTick } from './modules/automation/jobs.js'
import { createMailTransport, type MailTransport } from './modules/mail/transport.js'
import { startDispatcher } from './modules/outbox/dispatcher.js'
import { registerOutboxJobs } from './modules/outbox/jobs.js'
import type { createSettingsService } from './modules/settings/service.js'
import { startWebhookDispatcher } from './modules/webhooks/dispatcher.js'
import { registerWebhookJobs } from './modules/webhooks/jobs.js'
import { secretBox } from './modules/webhooks/signature.js'
import type { Clock } from './platform/clock.js'
import type { Config } from './platform/config.js'
import type { DatabaseHandle } from './platform/db/index.js'
import { type BullmqOptions, bullmqQueue } from './platform/jobs/bullmq.js'
import { inProcessQueue } from './platform/jobs/in-process.js'
import type { JobQueue } from './platform/jobs/queue.js'
import { JobRegistry } from './platform/jobs/registry.js'
import type { Totals } from './platform/totals.js'

export const SCHEDULE_EVERY_MS = 60_000

/** BullMQ on REDIS_URL, else the in-process queue; both with the configured retries and backoff. */
export function openQueue(config: Config, log: BullmqOptions['log']): JobQueue {
  const policy = { attempts: config.jobAttempts, backoffMs: config.jobBackoffMs }
  return config.redisUrl
    ? bullmqQueue({
        url: config.redisUrl,
        name: config.queueName,
        policy,
        stalledAfterMs: config.jobStalledAfterMs,
        log,
      })
    : inProcessQueue(policy, log)
}

export type JobsDeps = {
  config: Config
  database: DatabaseHandle
  queue: JobQueue
  clock: Clock
  settings: ReturnType<typeof createSettingsService>
  /** Where emails sent and failed are counted (for /metrics). */
  totals: Pick<Totals, 'add'>
  log: FastifyBaseLogger
  /** The mail transport; by default the one the config describes (SMTP, or .eml files). */
  transport?: MailTransport
}

export type RunningJobs = { stop(): Promise<void> }

/**
 * Registers every job's handler (refusing to start when a declared job has none), starts taking jobs,
 * the schedule (unless SCHEDULER is off) and the dispatchers of the email outbox and the webhooks.
 * `stop()` lets running jobs finish; the queue itself is closed by its owner.
 */
export async function startJobs(deps: JobsDeps): Promise<RunningJobs> {
  const { config, database, queue, clock, log } = deps
  const transport = deps.transport ?? createMailTransport(config, log)
  const registry = new JobRegistry()
  registerOutboxJobs(registry, {
    db: database.db,
    config,
    clock,
    transport,
    settings: deps.settings,
    totals: deps.totals,
    queue,
  })
  registerAutomationJobs(registry, { db: database.db, clock, settings: deps.settings, log })
  registerWebhookJobs(registry, {
    db: database.db,
    clock,
    secrets: secretBox(config.secretKey),
    allowPrivate: config.webhookAllowPrivate,
    backoffMs: config.jobBackoffMs,
  })
  try {
    registry.assertComplete()
  } catch (error) {
    if (!deps.transport) transport.close()
    throw error
  }

  await queue.process(registry, config.workerConcurrency)
  // Off also removes a schedule an earlier start left in Redis.
  if (config.scheduler) await queue.every(scheduleTick, {}, SCHEDULE_EVERY_MS)
  else await queue.unschedule(scheduleTick)
  const dispatchers = [
    startDispatcher({ db: database.db, queue, clock, log }),
    startWebhookDispatcher({ db: database.db, queue, clock, log }),
  ]
  return {
    async stop() {
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()))
      await queue.close()
      if (!deps.transport) transport.close()
    },
  }
}
