// The dispatcher hands unsent outbox rows to the job queue. It runs where jobs run (the web process
// without Redis, the worker with it), wakes on every commit that adds rows (LISTEN tessera_outbox) and
// polls as a safety net. Rows are claimed FOR UPDATE SKIP LOCKED, so several dispatchers split the work.
import { and, asc, inArray, isNull, lt, or } from 'drizzle-orm'
import type { Clock } from '../../platform/clock.js'
import type { Database, DatabaseHandle } from '../../platform/db/index.js'
import type { JobQueue } from '../../platform/jobs/queue.js'
import { sendEmail } from './jobs.js'
import { outbox } from './tables.js'

const BATCH = 200
const POLL_MS = 1000
// A row handed over this long ago and still unsent is handed over again: the queue lost it (Redis
// flushed, or an in-process queue that restarted). Adding is idempotent while the job still exists.
export const REDISPATCH_AFTER_MS = 10 * 60_000
export const OUTBOX_CHANNEL = 'tessera_outbox'

/** The queue's job id for an outbox row's email. */
export const emailJobId = (outboxId: string) => `email-${outboxId}`

/** Hands up to one batch of due rows to the queue; returns how many. Nothing is marked if the queue refuses. */
export async function dispatchOutbox(db: Database, queue: JobQueue, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isNull(outbox.sentAt),
          or(
            isNull(outbox.dispatchedAt),
            lt(outbox.dispatchedAt, new Date(now.getTime() - REDISPATCH_AFTER_MS)),
          ),
        ),
      )
      .orderBy(asc(outbox.createdAt))
      .limit(BATCH)
      .for('update', { skipLocked: true })
    if (due.length === 0) return 0
    await Promise.all(due.map(({ id }) => queue.add(sendEmail, { outboxId: id }, { id: emailJobId(id) })))
    await tx
      .update(outbox)
      .set({ dispatchedAt: now })
      .where(
        inArray(
          outbox.id,
          due.map(({ id }) => id),
        ),
      )
    return due.length
  })
}

export type Dispatcher = { stop(): Promise<void> }

export async function startDispatcher(deps: {
  database: DatabaseHandle
  queue: JobQueue
  clock: Clock
  log: { warn(obj: object, msg: string): void; info(msg: string): void }
}): Promise<Dispatcher> {
  let running: Promise<void> | undefined
  let again = false
  let failing = false
  let stopped = false

  async function drain(): Promise<void> {
    while (again && !stopped) {
      again = false
      try {
        if ((await dispatchOutbox(deps.database.db, deps.queue, deps.clock.now())) === BATCH) again = true
        if (failing) deps.log.info('outbox dispatch works again')
        failing = false
      } catch (error) {
        // Typically Redis away: the rows stay unsent and the next poll tries again. Said once per outage.
        if (!failing) deps.log.warn({ err: error }, 'outbox dispatch failed; retrying every second')
        failing = true
      }
    }
  }

  function wake(): void {
    again = true
    running ??= drain().finally(() => {
      running = undefined
    })
  }

  const poll = setInterval(wake, POLL_MS)
  poll.unref()
  const unlisten = await deps.database.listen(OUTBOX_CHANNEL, wake)
  wake()
  return {
    async stop() {
      stopped = true
      clearInterval(poll)
      await unlisten()
      await running
    },
  }
}
