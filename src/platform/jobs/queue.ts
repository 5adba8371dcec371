// One queue interface, two implementations: BullMQ on Redis (REDIS_URL) and in-process (the embedded
// default). Both retry a failed job with exponential backoff and keep a job that used up its attempts
// as failed (the dead letters), listable and retryable.
import type { JobDefinition, JobRegistry } from './registry.js'

export type RetryPolicy = {
  /** Tries in all, the first included. */
  attempts: number
  /** Wait before the second try; each further try waits twice as long as the one before. */
  backoffMs: number
}

/** The wait before try `attempt + 1`, after `attempt` failed tries. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attempt - 1)
}

export type JobCounts = {
  waiting: number
  active: number
  delayed: number
  failed: number
}

export type FailedJob = {
  id: string
  name: string
  payload: unknown
  attempts: number
  error: string
  failed_at: string | null
}

export type AddOptions = {
  /** A job with this id already queued, running or failed is not added again. */
  id?: string
  /** Waits this long before its first try. */
  delayMs?: number
}

export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process'
  /**
   * Names the queue's current contents: it changes when the jobs were lost (Redis restarted empty, a
   * new in-process queue), so work handed to an earlier generation can be handed over again.
   */
  generation(): Promise<string>
  add<Payload>(job: JobDefinition<Payload>, payload: Payload, options?: AddOptions): Promise<void>
  /** Starts running jobs with the registry's handlers, `concurrency` at a time. */
  process(registry: JobRegistry, concurrency: number): Promise<void>
  /** Adds `job` every `intervalMs` while this process runs jobs; with several processes, once per interval. */
  every<Payload>(job: JobDefinition<Payload>, payload: Payload, intervalMs: number): Promise<void>
  /** Stops adding `job` at intervals, in every process (BullMQ keeps the schedule in Redis). */
  unschedule<Payload>(job: JobDefinition<Payload>): Promise<void>
  counts(): Promise<JobCounts>
  failed(limit: number): Promise<FailedJob[]>
  /** Moves a failed job back to waiting with fresh attempts; false when there is no such failed job. */
  retry(id: string): Promise<boolean>
  /** Stops taking jobs and waits for the running ones; closing twice is closing once. */
  close(): Promise<void>
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
