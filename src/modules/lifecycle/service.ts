// Reading one booking or reservation, and a person's status move of one: who may see or make it
// (access.ts), then the entity's move (moves.ts) in one transaction. The status routes of both
// entities come here (routes.ts).
import type { Clock } from '../../platform/clock.js'
import type { Database } from '../../platform/db/database.js'
import type { Actor } from '../audit/service.js'
import type { Caller } from '../businesses/access.js'
import { type CustomerRow, checkCustomerMove, requireAccess, requireSight } from './access.js'
import type { Move, MoveTarget } from './moves.js'
import type { Status, StatusEntity } from './status.js'

export type StatusDeps = { db: Database; clock: Clock }

/** What reading and moving one row needs to know of an entity (`Row`: a row as callers see it). */
export type Movable<Row> = {
  entity: StatusEntity
  /** The row as `caller` sees it; 404 without one. */
  load: (db: Database, id: string, caller: Caller) => Promise<Row>
  /** Its business and customer, and its status and start for the customer's rule. */
  facts: (row: Row) => CustomerRow & { status: Status; start: Date }
  move: Move<Row>
}

/** A row as its customer or the staff of its business who may read it see it; else 404. */
export async function visibleRow<Row>(db: Database, movable: Movable<Row>, caller: Caller, id: string) {
  const row = await movable.load(db, id, caller)
  await requireSight(db, caller, movable.entity, movable.facts(row))
  return row
}

/**
 * Confirms, completes or cancels a row: staff who may act on it make any allowed move, its customer
 * may only cancel it until it starts. Answers the row as it is afterwards.
 */
export async function changeStatus<Row>(
  deps: StatusDeps,
  movable: Movable<Row>,
  caller: Caller,
  id: string,
  to: MoveTarget,
  actor: Actor,
): Promise<Row> {
  const row = await movable.load(deps.db, id, caller)
  const facts = movable.facts(row)
  const { manages } = await requireAccess(deps.db, caller, movable.entity, facts)
  const now = deps.clock.now()
  if (!manages) checkCustomerMove(movable.entity, facts, to, now)
  await deps.db.transaction((tx) => movable.move(tx, row, to, actor, now))
  return movable.load(deps.db, id, caller)
}
