// The one state machine of bookings and reservations: which moves are allowed, applied by a
// conditional UPDATE so two concurrent moves cannot both start from the same status, with its audit row.
import { and, eq, inArray, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Database } from '../../platform/db/index.js'
import { conflict } from '../../platform/errors.js'
import { type Actor, recordAudit } from '../audit/service.js'
import { writeEmail } from '../outbox/outbox.js'
import type { Status, StatusEntity } from './status.js'

export const ALLOWED_MOVES: Record<Status, readonly Status[]> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['completed', 'cancelled'],
  cancelled: [],
  completed: [],
}

/** Whether a row in status `from` may move to `to`. */
export const canMove = (from: Status, to: Status) => ALLOWED_MOVES[from].includes(to)

/** The statuses a row may be in to move to `to`. */
export function sourcesOf(to: Status): Status[] {
  return (Object.keys(ALLOWED_MOVES) as Status[]).filter((from) => ALLOWED_MOVES[from].includes(to))
}

export const invalidTransition = (to: Status) =>
  conflict('invalid_transition', `This cannot be moved to "${to}" from its current status.`)

type StatusTable = PgTable & {
  id: PgColumn
  status: PgColumn
  businessId: PgColumn
  updatedAt: PgColumn
  updatedBy: PgColumn
}

export type Transition = {
  table: StatusTable
  entity: StatusEntity
  id: string
  to: Status
  actor: Actor
  now: Date
  /** Extra conditions for the move (e.g. not deleted). */
  where?: SQL
}

/**
 * Moves one row to `to` if its current status allows it, audits the change and writes the customer's
 * email to the outbox, all in `tx`: a person's move and the scheduler's go through here alike. Returns
 * the status it moved from; a disallowed or lost move is 409 `invalid_transition`.
 */
export async function transition(
  tx: Database,
  move: Transition,
): Promise<{ from: Status; businessId: string }> {
  const { table } = move
  const [before] = (await tx
    .select({ status: table.status, businessId: table.businessId })
    .from(table)
    .where(and(eq(table.id, move.id), move.where))
    .for('update')) as { status: Status; businessId: string }[]
  if (!before) throw invalidTransition(move.to)
  if (!ALLOWED_MOVES[before.status].includes(move.to)) throw invalidTransition(move.to)
  await tx
    .update(table)
    .set({ status: move.to, updatedAt: move.now, updatedBy: move.actor.userId } as never)
    .where(and(eq(table.id, move.id), inArray(table.status, sourcesOf(move.to))))
  await recordAudit(
    tx,
    {
      actor: move.actor,
      businessId: before.businessId,
      action: 'status_change',
      entity: move.entity,
      entityId: move.id,
      changes: { status: [before.status, move.to] },
    },
    move.now,
  )
  await writeEmail(tx, 'status_changed', {
    entity: move.entity,
    id: move.id,
    from: before.status,
    to: move.to,
  })
  return { from: before.status, businessId: before.businessId }
}
