// The in-process queue (no REDIS_URL): jobs live in this process's memory and run in it, with the same
// retries, backoff and failed list as BullMQ. A restart forgets them; work that must survive one (email)
// is kept in the database outbox and handed to the queue again.
import { randomUUID } from 'node:crypto'
import {
  type AddOptions,
  backoffDelay,
  errorText,
  type FailedJob,
  type JobCounts,
  type JobQueue,
  type RetryPolicy,
} from './queue.js'
import type { JobDefinition, JobRegistry } from './registry.js'

type Entry = {
  id: string
  name: string
  payload: unknown
  attemptsMade: number
  state: 'waiting' | 'active' | 'delayed' | 'failed'
  error?: string
  failedAt?: Date
  timer?: NodeJS.Timeout
}

// Failed jobs kept for inspection; the oldest go first.
const FAILED_KEPT = 1000

export function inProcessQueue(
  policy: RetryPolicy,
  log: { warn(obj: object, msg: string): void } = { warn: () => {} },
): JobQueue {
  const entries = new Map<string, Entry>()
  const waiting: string[] = []
  const running = new Set<Promise<void>>()
  const intervals = new Map<string, NodeJS.Timeout>()
  let registry: JobRegistry | undefined
  let concurrency = 0
  let closed = false
  let closing: Promise<void> | undefined

  function failedEntries(): Entry[] {
    return [...entries.values()].filter((entry) => entry.state === 'failed')
  }

  /** Keeps `entry` delayed for `ms`, then puts it in line. */
  function delay(entry: Entry, ms: number): void {
    entry.state = 'delayed'
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      entry.state = 'waiting'
      waiting.push(entry.id)
      pump()
    }, ms)
    entry.timer.unref()
  }

  async function run(entry: Entry, registry: JobRegistry): Promise<void> {
    entry.attemptsMade += 1
    try {
      const handler = registry.handlerOf(entry.name)
      if (!handler) throw new Error(`no handler registered for job "${entry.name}"`)
      await handler(entry.payload, { id: entry.id, attempt: entry.attemptsMade })
      entries.delete(entry.id)
    } catch (error) {
      entry.error = errorText(error)
      if (entry.attemptsMade < policy.attempts && !closed) {
        delay(entry, backoffDelay(policy, entry.attemptsMade))
      } else {
        entry.state = 'failed'
        entry.failedAt = new Date()
        log.warn({ job: entry.name, id: entry.id, err: error }, 'job failed for good')
        const failed = failedEntries()
        for (const old of failed.slice(0, Math.max(0, failed.length - FAILED_KEPT))) entries.delete(old.id)
      }
    }
  }

  function pump(): void {
    if (!registry || closed) return
    while (running.size < concurrency && waiting.length > 0) {
      const entry = entries.get(waiting.shift() as string)
      if (entry?.state !== 'waiting') continue
      entry.state = 'active'
      const done: Promise<void> = run(entry, registry).finally(() => {
        running.delete(done)
        pump()
      })
      running.add(done)
    }
  }

  async function add<Payload>(job: JobDefinition<Payload>, payload: Payload, options: AddOptions = {}) {
    const id = options.id ?? randomUUID()
    if (entries.has(id)) return
    const entry: Entry = { id, name: job.name, payload, attemptsMade: 0, state: 'waiting' }
    entries.set(id, entry)
    if (options.delayMs) return delay(entry, options.delayMs)
    waiting.push(id)
    // Not inline: a job added from inside a transaction must not run inside it.
    queueMicrotask(pump)
  }

  // Its jobs live and die with this object.
  const generation = randomUUID()
  return {
    kind: 'in-process',
    generation: async () => generation,
    add,
    async process(given: JobRegistry, count: number) {
      registry = given
      concurrency = count
      pump()
    },
    async every<Payload>(job: JobDefinition<Payload>, payload: Payload, intervalMs: number) {
      // The job's name is its id: a tick still waiting or running is not added a second time.
      const timer = setInterval(() => void add(job, payload, { id: job.name }), intervalMs)
      timer.unref()
      intervals.set(job.name, timer)
    },
    async unschedule<Payload>(job: JobDefinition<Payload>) {
      clearInterval(intervals.get(job.name))
      intervals.delete(job.name)
    },
    async counts(): Promise<JobCounts> {
      const counts: JobCounts = { waiting: 0, active: 0, delayed: 0, failed: 0 }
      for (const entry of entries.values()) counts[entry.state] += 1
      return counts
    },
    async failed(limit: number): Promise<FailedJob[]> {
      return failedEntries()
        .reverse()
        .slice(0, limit)
        .map((entry) => ({
          id: entry.id,
          name: entry.name,
          payload: entry.payload,
          attempts: entry.attemptsMade,
          error: entry.error ?? '',
          failed_at: entry.failedAt?.toISOString() ?? null,
        }))
    },
    async retry(id: string) {
      const entry = entries.get(id)
      if (entry?.state !== 'failed') return false
      entry.state = 'waiting'
      entry.attemptsMade = 0
      waiting.push(id)
      pump()
      return true
    },
    close() {
      if (!closing) {
        closed = true
        for (const timer of intervals.values()) clearInterval(timer)
        for (const entry of entries.values()) if (entry.timer) clearTimeout(entry.timer)
        closing = Promise.allSettled([...running]).then(() => {})
      }
      return closing
    },
  }
}
