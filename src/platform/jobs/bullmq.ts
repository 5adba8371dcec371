// The Redis queue (REDIS_URL), on BullMQ: jobs survive restarts, a job whose worker died (its lock
// expired) is taken back by another worker (stalled-job recovery), and a job that used up its attempts
// stays in the failed set, listable and retryable.
import { randomUUID } from 'node:crypto'
import { type Job, Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { withTimeout } from '../timeout.js'
import type { AddOptions, FailedJob, JobCounts, JobQueue, RetryPolicy } from './queue.js'
import type { JobDefinition, JobRegistry } from './registry.js'

export type BullmqOptions = {
  url: string
  /** The queue's name; deployments sharing one Redis use different names. */
  name: string
  policy: RetryPolicy
  /** How long a running job's lock lives without renewal: a dead worker's job is recovered after it. */
  stalledAfterMs: number
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }
  /** How long adding or reading may wait for Redis before it fails (default 5 s). */
  commandTimeoutMs?: number
}

// Finished jobs kept for inspection.
const COMPLETED_KEPT = { age: 3600, count: 1000 }
const FAILED_KEPT = { count: 5000 }

// BullMQ waits for a connection without end while Redis is away; callers need an answer.
const bounded = <T>(work: Promise<T>, ms: number) => withTimeout(work, ms, 'Redis')

export function bullmqQueue(options: BullmqOptions): JobQueue {
  const timeoutMs = options.commandTimeoutMs ?? 5000
  // The producer fails fast while Redis is away: the caller (the outbox dispatcher) keeps its rows and
  // tries again, rather than piling commands up in memory.
  const producer = new Redis(options.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  producer.on('error', () => {})
  const queue = new Queue(options.name, {
    connection: producer,
    defaultJobOptions: {
      attempts: options.policy.attempts,
      backoff: { type: 'exponential', delay: options.policy.backoffMs },
      removeOnComplete: COMPLETED_KEPT,
      removeOnFail: FAILED_KEPT,
    },
  })
  queue.on('error', (error) => options.log.warn({ err: error }, 'job queue connection error'))
  let worker: Worker | undefined
  let consumer: Redis | undefined
  let closing: Promise<void> | undefined

  // Kept beside the queue's own keys: gone with them when Redis loses its data.
  const generationKey = `bull:${options.name}:generation`
  return {
    kind: 'bullmq',
    async generation() {
      // The first caller after a loss names the new generation; everyone else reads it.
      const fresh = randomUUID()
      const existing = await bounded(producer.set(generationKey, fresh, 'NX', 'GET'), timeoutMs)
      return existing ?? fresh
    },
    async add<Payload>(job: JobDefinition<Payload>, payload: Payload, add: AddOptions = {}) {
      // A timed-out add may still land once Redis is back; adding again with the same id is a no-op.
      const options = { ...(add.id && { jobId: add.id }), ...(add.delayMs && { delay: add.delayMs }) }
      await bounded(queue.add(job.name, payload, options), timeoutMs)
    },
    async process(registry: JobRegistry, concurrency: number) {
      // A blocking consumer connection must retry forever (BullMQ's requirement).
      consumer = new Redis(options.url, { maxRetriesPerRequest: null })
      consumer.on('error', () => {})
      worker = new Worker(
        options.name,
        async (job: Job) => {
          const handler = registry.handlerOf(job.name)
          if (!handler) throw new Error(`no handler registered for job "${job.name}"`)
          await handler(job.data, { id: job.id ?? '', attempt: job.attemptsMade + 1 })
        },
        {
          connection: consumer,
          concurrency,
          lockDuration: options.stalledAfterMs,
          stalledInterval: Math.max(1000, Math.floor(options.stalledAfterMs / 2)),
          maxStalledCount: 3,
        },
      )
      worker.on('error', (error) => options.log.warn({ err: error }, 'job worker connection error'))
      worker.on('failed', (job, error) => {
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
          options.log.error({ job: job.name, id: job.id, err: error }, 'job failed for good')
      })
      await worker.waitUntilReady()
    },
    async every<Payload>(job: JobDefinition<Payload>, payload: Payload, intervalMs: number) {
      // One scheduler per job name in Redis: several workers upserting it still produce one job per interval.
      await queue.upsertJobScheduler(job.name, { every: intervalMs }, { name: job.name, data: payload })
    },
    async unschedule<Payload>(job: JobDefinition<Payload>) {
      await bounded(queue.removeJobScheduler(job.name), timeoutMs)
    },
    async counts(): Promise<JobCounts> {
      const counts = await bounded(
        queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed'),
        timeoutMs,
      )
      return {
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      }
    },
    async failed(limit: number): Promise<FailedJob[]> {
      const jobs = await bounded(queue.getFailed(0, limit - 1), timeoutMs)
      return jobs.map((job) => ({
        id: job.id ?? '',
        name: job.name,
        payload: job.data,
        attempts: job.attemptsMade,
        error: job.failedReason ?? '',
        failed_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      }))
    },
    async retry(id: string) {
      const job = await bounded(queue.getJob(id), timeoutMs)
      if (!job || !(await job.isFailed())) return false
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
      return true
    },
    close() {
      closing ??= (async () => {
        await worker?.close()
        await queue.close()
        consumer?.disconnect()
        producer.disconnect()
      })()
      return closing
    },
  }
}
