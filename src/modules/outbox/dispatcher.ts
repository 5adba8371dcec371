// The dispatcher hands unsent outbox rows to the job queue, up to 200 in one batch job (jobs.ts). It runs
// where jobs run (the web process without Redis, the worker with it) and looks every 250 ms: a NOTIFY at
// each commit would wake it sooner, but NOTIFY serializes the commits that send it (booking creation
// lost a quarter of its rate to it). Rows are claimed FOR UPDATE SKIP LOCKED, so several dispatchers
// split the work.
import { and, asc, isNull, lt, or, sql } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import type { JobQueue } from '../../platform/jobs/queue.js'
import { anyId } from '../mail/queries.js'
import { emailBatchJobId, sendEmailBatch } from './jobs.js'
import { outbox } from './tables.js'

const BATCH = 200
export const POLL_MS = 250
// A row handed over this long ago and still unsent is handed over again, in case the queue dropped it
// without losing the rest (a job that used up its attempts goes back to its own job, which adding
// again leaves as it is while it exists). A queue that lost everything is noticed sooner: its
// generation changes, and every row handed to an earlier one is due at once.
export const REDISPATCH_AFTER_MS = 10 * 60_000

const isDue = (now: Date, generation: string) =>
  and(
    isNull(outbox.sentAt),
    or(
      isNull(outbox.dispatchedAt),
      sql`${outbox.dispatchedTo} is distinct from ${generation}`,
      lt(outbox.dispatchedAt, new Date(now.getTime() - REDISPATCH_AFTER_MS)),
    ),
  )

/** Hands up to one batch of due rows to the queue; returns how many. Nothing is marked if the queue refuses. */
export async function dispatchOutbox(db: Database, queue: JobQueue, now: Date): Promise<number> {
  const generation = await queue.generation()
  // Most looks find nothing: one read answers them, without a transaction.
  const [any] = await db.select({ id: outbox.id }).from(outbox).where(isDue(now, generation)).limit(1)
  if (!any) return 0
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(isDue(now, generation))
      .orderBy(asc(outbox.createdAt))
      .limit(BATCH)
      .for('update', { skipLocked: true })
    if (due.length === 0) return 0
    const outboxIds = due.map(({ id }) => id)
    await queue.add(sendEmailBatch, { outboxIds }, { id: emailBatchJobId(outboxIds) })
    await tx
      .update(outbox)
      .set({ dispatchedAt: now, dispatchedTo: generation })
      .where(sql`${outbox.id} = ${anyId(outboxIds)}`)
    return due.length
  })
}

export type Dispatcher = { stop(): Promise<void> }

export function startDispatcher(deps: {
  db: Database
  queue: JobQueue
  clock: Clock
  log: { warn(obj: object, msg: string): void; info(msg: string): void }
}): Dispatcher {
  let running: Promise<void> | undefined
  let failing = false

  async function drain(): Promise<void> {
    try {
      // A full batch means more may be waiting: go on at once.
      while ((await dispatchOutbox(deps.db, deps.queue, deps.clock.now())) === BATCH) {}
      if (failing) deps.log.info('outbox dispatch works again')
      failing = false
    } catch (error) {
      // Typically Redis away: the rows stay unsent and the next look tries again. Said once per outage.
      if (!failing) deps.log.warn({ err: error }, 'outbox dispatch failed; trying again')
      failing = true
    }
  }

  const look = () => {
    running ??= drain().finally(() => {
      running = undefined
    })
  }
  const poll = setInterval(look, POLL_MS)
  poll.unref()
  look()
  return {
    async stop() {
      clearInterval(poll)
      await running
    },
  }
}
