// Handing work kept in the database (emails, webhook attempts) to the job queue: which rows are due for
// a hand-over, the hand-over itself, and a loop that looks every 250 ms where jobs run. A NOTIFY at each
// commit would wake the loop sooner, but NOTIFY serializes the commits that send it (booking creation
// lost a quarter of its rate to it).
import { and, asc, isNull, lt, or, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Database } from '../db/index.js'
import type { JobQueue } from './queue.js'

const POLL_MS = 250

// A row handed over this long ago and still not done is handed over again, in case the queue dropped
// its job without losing the rest (a job that used up its attempts stays as it is: adding its id again
// is a no-op while it exists). A queue that lost everything is noticed sooner: its generation changes,
// and every row handed to an earlier one is due at once.
const REDISPATCH_AFTER_MS = 10 * 60_000

/** A table of work for the queue: its rows' ids, when each was handed over and to which generation. */
type WorkTable = PgTable & { id: PgColumn; dispatchedAt: PgColumn; dispatchedTo: PgColumn }

/** Rows never handed over, handed to an earlier generation of the queue, or handed over long ago. */
function notHandedOver(table: WorkTable, now: Date, generation: string): SQL | undefined {
  return or(
    isNull(table.dispatchedAt),
    sql`${table.dispatchedTo} is distinct from ${generation}`,
    lt(table.dispatchedAt, new Date(now.getTime() - REDISPATCH_AFTER_MS)),
  )
}

/** What one dispatcher hands over. */
export type Work = {
  table: WorkTable
  /** Which rows are work to do at `now` (unsent, or pending and due); the hand-over's rule is added. */
  due: (now: Date) => SQL | undefined
  /** Oldest first by this column. */
  order: PgColumn
  batch: number
  /** Adds the jobs of these rows to the queue. */
  add: (queue: JobQueue, ids: string[]) => Promise<unknown>
}

/**
 * Hands up to one batch of due rows to the queue and marks them with its generation; answers how many.
 * Rows are claimed FOR UPDATE SKIP LOCKED, so several dispatchers split the work; nothing is marked
 * when the queue refuses.
 */
export async function dispatchDue(db: Database, queue: JobQueue, now: Date, work: Work): Promise<number> {
  const generation = await queue.generation()
  const isDue = and(work.due(now), notHandedOver(work.table, now, generation))
  const id = sql<string>`${work.table.id}`
  // Most looks find nothing: one read answers them, without a transaction.
  const [any] = await db.select({ id }).from(work.table).where(isDue).limit(1)
  if (!any) return 0
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id })
      .from(work.table)
      .where(isDue)
      .orderBy(asc(work.order))
      .limit(work.batch)
      .for('update', { skipLocked: true })
    if (due.length === 0) return 0
    const ids = due.map((row) => row.id)
    await work.add(queue, ids)
    await tx
      .update(work.table)
      .set({ dispatchedAt: now, dispatchedTo: generation } as never)
      // One array parameter: the statement's text stays the same whatever the batch's size.
      .where(sql`${work.table.id} = any(${sql.param(ids)}::uuid[])`)
    return due.length
  })
}

export type Polling = { stop(): Promise<void> }

/**
 * Dispatches `work` now and every POLL_MS, one look at a time; a look that handed over a full batch
 * goes on at once. A failing look (typically Redis away) is logged once per outage and tried again at
 * the next interval.
 */
export type DispatcherDeps = {
  db: Database
  queue: JobQueue
  clock: { now(): Date }
  log: { warn(obj: object, msg: string): void; info(msg: string): void }
}

export function startDispatching(what: string, deps: DispatcherDeps, work: Work): Polling {
  const { log } = deps
  const look = async () => (await dispatchDue(deps.db, deps.queue, deps.clock.now(), work)) === work.batch
  let running: Promise<void> | undefined
  let failing = false

  async function drain(): Promise<void> {
    try {
      while (await look()) {}
      if (failing) log.info(`${what} works again`)
      failing = false
    } catch (error) {
      if (!failing) log.warn({ err: error }, `${what} failed; trying again`)
      failing = true
    }
  }

  const tick = () => {
    running ??= drain().finally(() => {
      running = undefined
    })
  }
  const poll = setInterval(tick, POLL_MS)
  poll.unref()
  tick()
  return {
    async stop() {
      clearInterval(poll)
      await running
    },
  }
}
