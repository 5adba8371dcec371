// Who may see and change a booking or a reservation: its customer, and the staff of its business by
// the entity's powers (businesses/policy.ts). Anyone else gets 404: the row's existence is not told.
// A customer who does not manage the row may only cancel it, until it starts.
import type { Database } from '../../platform/db/database.js'
import { conflict, notFound, permissionDenied } from '../../platform/errors.js'
import { type Caller, standingIn } from '../businesses/access.js'
import { can, type Power } from '../businesses/policy.js'
import type { Status, StatusEntity } from './status.js'
import { canMove } from './status-machine.js'

const POWERS: Record<StatusEntity, { read: Power; act: Power }> = {
  booking: { read: 'bookings.read', act: 'bookings.act' },
  reservation: { read: 'reservations.read', act: 'reservations.manage' },
}

/** The business a booking or reservation belongs to, and its customer. */
export type CustomerRow = { businessId: string; customerId: string }

/**
 * The caller's access to a row they act on: 404 unless they are its customer or staff who may read
 * it; `manages` when they are staff who may act on it, rather than only its customer.
 */
export async function requireAccess(
  db: Database,
  caller: Caller,
  entity: StatusEntity,
  row: CustomerRow,
): Promise<{ manages: boolean }> {
  const standing = await standingIn(db, caller.user, row.businessId)
  const powers = POWERS[entity]
  if (!(row.customerId === caller.user.id || (standing && can(standing, powers.read)))) throw notFound()
  return { manages: Boolean(standing && can(standing, powers.act)) }
}

/** 404 unless the caller may see the row: its customer (asked no further), or staff who may read it. */
export async function requireSight(
  db: Database,
  caller: Caller,
  entity: StatusEntity,
  row: CustomerRow,
): Promise<void> {
  if (row.customerId !== caller.user.id) await requireAccess(db, caller, entity, row)
}

const tooLate = (entity: StatusEntity) =>
  conflict('too_late', `The ${entity} has started: it can no longer be cancelled by its customer.`)

/**
 * The customer's rule: a customer who does not manage the row may move it only to cancelled, and only
 * until it starts. A row that cannot be cancelled any more (already cancelled or completed) is an
 * invalid move, not a late one: the status machine refuses it.
 */
export function checkCustomerMove(
  entity: StatusEntity,
  row: { status: Status; start: Date },
  to: Status,
  now: Date,
): void {
  if (to !== 'cancelled') throw permissionDenied()
  if (canMove(row.status, to) && row.start.getTime() <= now.getTime()) throw tooLate(entity)
}
