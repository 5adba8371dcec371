// The schedule (the beat): completes what has ended, cancels what was never confirmed in time, writes
// reminders, and moves the waiting lists on (offers that ran out, lines of slots that started). Status
// changes go through the same moves as a person's, so they are audited and
// mailed alike; the scheduler acts as no user.
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/index.js'
import { AppError } from '../../platform/errors.js'
import type { Actor } from '../audit/service.js'
import { type Move, type MoveTarget, moveBooking, moveReservation } from '../lifecycle/moves.js'
import type { StatusEntity } from '../lifecycle/status.js'
import { writeEmail } from '../outbox/outbox.js'
import type { Settings } from '../settings/service.js'
import { endWait, expiredOffers, expireOffer, waitsOfStartedSlots } from '../waitlist/expiry.js'
import {
  BATCH_SIZE,
  claimBookingReminders,
  claimReservationReminders,
  confirmedBookingsEndedBy,
  confirmedReservationsEndedBy,
  pendingBookingsStartedBy,
  pendingReservationsStartedBy,
} from './queries.js'

export type ScheduleSettings = Pick<Settings, 'pendingExpiryHours' | 'reminderHoursBefore'>

export type ScheduleDeps = {
  db: Database
  clock: Clock
  settings: { get(executor?: Database): Promise<ScheduleSettings> }
}

export type ScheduleResult = {
  completed: number
  cancelled: number
  reminded: number
  offersExpired: number
  waitsEnded: number
}

/** Who the scheduler is in audit rows: no user, and this in place of a request id. */
export const SCHEDULER: Actor = { userId: null, requestId: 'scheduler' }

const HOUR_MS = 3_600_000

/**
 * Runs `apply` on each row `pick` answers, one transaction per batch, until a batch comes back short:
 * what is left then is nothing, or rows another worker holds and handles. Answers the rows applied.
 */
async function inBatches<Row>(
  db: Database,
  pick: (tx: Database) => Promise<Row[]>,
  apply: (tx: Database, row: Row) => Promise<boolean>,
): Promise<number> {
  let applied = 0
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await pick(tx)
      let done = 0
      for (const row of rows) if (await apply(tx, row)) done += 1
      return { picked: rows.length, done }
    })
    applied += batch.done
    if (batch.picked < BATCH_SIZE) return applied
  }
}

/**
 * Runs a move; false when the row was no longer in a status it could move from. The pick locked it, so
 * this is a safety net: one row must never fail its whole batch. The 409 is thrown before any write,
 * so the transaction stays usable.
 */
async function unlessMovedMeanwhile(move: () => Promise<unknown>): Promise<boolean> {
  try {
    await move()
    return true
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_transition') return false
    throw error
  }
}

/** One pass of the schedule at the clock's current time. */
export async function runSchedule(deps: ScheduleDeps): Promise<ScheduleResult> {
  const { db } = deps
  const now = deps.clock.now()
  const settings = await deps.settings.get()
  // The expiry counts from the start: with 0 hours, a pending row is cancelled as it starts.
  const expiredStart = new Date(now.getTime() - settings.pendingExpiryHours * HOUR_MS)
  const window = { after: now, until: new Date(now.getTime() + settings.reminderHoursBefore * HOUR_MS) }

  /** Applies `move` to each picked row, as the scheduler. */
  const moving =
    <Row>(move: Move<Row>, to: Extract<MoveTarget, 'completed' | 'cancelled'>) =>
    (tx: Database, row: Row) =>
      unlessMovedMeanwhile(() => move(tx, row, to, SCHEDULER, now))

  const completed =
    (await inBatches(db, (tx) => confirmedBookingsEndedBy(tx, now), moving(moveBooking, 'completed'))) +
    (await inBatches(db, (tx) => confirmedReservationsEndedBy(tx, now), moving(moveReservation, 'completed')))
  const cancelled =
    (await inBatches(
      db,
      (tx) => pendingBookingsStartedBy(tx, expiredStart),
      moving(moveBooking, 'cancelled'),
    )) +
    (await inBatches(
      db,
      (tx) => pendingReservationsStartedBy(tx, expiredStart),
      moving(moveReservation, 'cancelled'),
    ))
  // Claimed and mailed in one transaction: a claimed row always has its email, and never a second one.
  const remind = (entity: StatusEntity) => async (tx: Database, id: string) => {
    await writeEmail(tx, 'reminder', { entity, id })
    return true
  }
  const reminded =
    (await inBatches(db, (tx) => claimBookingReminders(tx, window, now), remind('booking'))) +
    (await inBatches(db, (tx) => claimReservationReminders(tx, window, now), remind('reservation')))
  const offersExpired = await inBatches(
    db,
    (tx) => expiredOffers(tx, now),
    (tx, offer) => expireOffer(tx, offer, now),
  )
  const waitsEnded = await inBatches(
    db,
    (tx) => waitsOfStartedSlots(tx, now),
    (tx, wait) => endWait(tx, wait, now),
  )
  return { completed, cancelled, reminded, offersExpired, waitsEnded }
}
