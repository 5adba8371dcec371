// The email jobs. The dispatcher hands new outbox rows over in batches (`email.batch`): one job sends a
// batch's emails together and marks the sent rows sent. A row whose email failed there goes on as a job
// of its own (`email.send`, id `email-<row id>`), after JOB_BACKOFF: that job retries it with the
// configured attempts and backoff and, once they are used up, stays listed as failed for a retry by
// hand. Delivery is at least once: the Message-ID is derived from the row, so a message delivered twice
// (a crash between the SMTP answer and the mark) is recognizable as one.
import { createHash } from 'node:crypto'
import type { JobQueue } from '../../platform/jobs/queue.js'
import { defineJob, type JobRegistry } from '../../platform/jobs/registry.js'
import { type DeliveryDeps, deliverRows, unsentRows } from './delivery.js'

export { messageIdOf } from './delivery.js'

export const sendEmail = defineJob<{ outboxId: string }>('email.send')
export const sendEmailBatch = defineJob<{ outboxIds: string[] }>('email.batch')

/** The queue's job id for an outbox row's own email job. */
export const emailJobId = (outboxId: string) => `email-${outboxId}`

/** The queue's job id for a batch: the same rows handed over again make the same, already queued, job. */
export const emailBatchJobId = (outboxIds: string[]) =>
  `emails-${createHash('sha256').update(outboxIds.join(',')).digest('hex').slice(0, 32)}`

export type OutboxJobDeps = DeliveryDeps & { queue: JobQueue }

/** Sends one row's email; throws when it fails, for the queue to retry. */
export async function deliverOutboxRow(deps: DeliveryDeps, outboxId: string): Promise<void> {
  const [failure] = await deliverRows(deps, await unsentRows(deps.db, [outboxId]))
  if (failure) throw failure.error
}

/**
 * Sends a batch's emails. A row that failed before (in an earlier try of this batch, or handed over
 * again by the dispatcher) belongs to its own job, and is handed to it rather than sent here.
 */
export async function deliverOutboxBatch(deps: OutboxJobDeps, outboxIds: string[]): Promise<void> {
  const rows = await unsentRows(deps.db, outboxIds)
  const failures = await deliverRows(
    deps,
    rows.filter((row) => row.attempts === 0),
  )
  const handedOn = [...rows.filter((row) => row.attempts > 0), ...failures.map(({ row }) => row)]
  await Promise.all(
    handedOn.map(({ id }) =>
      deps.queue.add(sendEmail, { outboxId: id }, { id: emailJobId(id), delayMs: deps.config.jobBackoffMs }),
    ),
  )
}

export function registerOutboxJobs(registry: JobRegistry, deps: OutboxJobDeps): void {
  registry.handle(sendEmail, ({ outboxId }) => deliverOutboxRow(deps, outboxId))
  registry.handle(sendEmailBatch, ({ outboxIds }) => deliverOutboxBatch(deps, outboxIds))
}
