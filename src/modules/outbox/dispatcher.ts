// The dispatcher hands unsent outbox rows to the job queue, up to 200 in one batch job (jobs.ts). It runs
// where jobs run (the web process without Redis, the worker with it) and looks every 250 ms
// (platform/jobs/dispatch.ts).
import { isNull } from 'drizzle-orm'
import type { Database } from '../../platform/db/index.js'
import {
  type DispatcherDeps,
  dispatchDue,
  type Polling,
  startDispatching,
  type Work,
} from '../../platform/jobs/dispatch.js'
import type { JobQueue } from '../../platform/jobs/queue.js'
import { emailBatchJobId, sendEmailBatch } from './jobs.js'
import { outbox } from './tables.js'

const emails: Work = {
  table: outbox,
  due: () => isNull(outbox.sentAt),
  order: outbox.createdAt,
  batch: 200,
  add: (queue, outboxIds) => queue.add(sendEmailBatch, { outboxIds }, { id: emailBatchJobId(outboxIds) }),
}

/** Hands up to one batch of due rows to the queue; returns how many. Nothing is marked if the queue refuses. */
export function dispatchOutbox(db: Database, queue: JobQueue, now: Date): Promise<number> {
  return dispatchDue(db, queue, now, emails)
}

export const startDispatcher = (deps: DispatcherDeps): Polling =>
  startDispatching('outbox dispatch', deps, emails)
